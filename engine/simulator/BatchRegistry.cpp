#include "BatchRegistry.h"

#include <algorithm>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

#include "core/Logging.h"
#include "simulator/FileStore.h"
#include "simulator/Ids.h"
#include "simulator/InputValidator.h"
#include "simulator/SimClock.h"
#include "simulator/SimulatorOptions.h"

namespace batchdeck::sim {

using namespace Qt::StringLiterals;

namespace {

const QString kOrganization = u"org-simulator"_s;

QJsonArray singleError(const QString& code, const QString& message, const QJsonValue& param = QJsonValue())
{
    return QJsonArray{BatchError{code, message, param, std::nullopt}.toJson()};
}

// Output and error files written at a terminal state; each is created only once it has a line.
class ResultFileWriter
{
public:
    ResultFileWriter(FileStore& files)
        : m_files(files)
    {}

    bool write(const QByteArray& line)
    {
        if (!m_file.isOpen()) {
            m_file.setFileName(m_files.newStagingPath());
            if (!m_file.open(QIODevice::WriteOnly))
                return false;
        }
        return m_file.write(line) == line.size() && m_file.putChar('\n');
    }

    // The stored file's id, or empty when nothing was written.
    QString commit(const QString& filename, qint64 atMs, std::optional<qint64> expiresAtMs)
    {
        if (!m_file.isOpen())
            return {};
        m_file.close();
        Result<StoredFile> stored =
            m_files.adoptStaged(m_file.fileName(), filename, u"batch_output"_s, atMs, expiresAtMs);
        if (!stored) {
            qCWarning(lcSimulator) << "cannot store result file:" << stored.error().message;
            return {};
        }
        return stored->id;
    }

private:
    FileStore& m_files;
    QFile m_file;
};

} // namespace

BatchRegistry::BatchRegistry(QString directory, FileStore& files, quint64 seed)
    : m_dir(std::move(directory))
    , m_files(files)
    , m_seed(seed)
{}

BatchRegistry::~BatchRegistry() = default;

Status BatchRegistry::open()
{
    QDir dir(m_dir);
    if (!dir.mkpath(u"."_s))
        return makeError(ErrorKind::Io, u"cannot create %1"_s.arg(m_dir));
    for (const QString& name : dir.entryList({u"batch_*.json"_s}, QDir::Files)) {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        std::optional<BatchRecord> record =
            BatchRecord::fromStorageJson(QJsonDocument::fromJson(file.readAll()).object());
        if (!record) {
            qCWarning(lcSimulator) << "ignoring damaged batch record" << file.fileName();
            continue;
        }
        m_nextSeq = qMax(m_nextSeq, record->seq + 1);
        if (!isTerminal(record->status) && record->inProgressAtMs) {
            auto plan = std::make_unique<BatchPlan>(planPath(record->id), record->id, m_seed);
            if (Status loaded = plan->load(); !loaded) {
                qCWarning(lcSimulator) << "batch" << record->id << "lost its plan:" << loaded.error().message;
                fail(*record,
                     record->inProgressAtMs.value(),
                     singleError(u"invalid_request"_s, u"The simulator lost this batch's state."_s));
                persist(*record);
            } else {
                m_plans[record->id] = std::move(plan);
            }
        }
        m_records.insert(record->id, *record);
    }
    return {};
}

BatchRecord BatchRegistry::create(const CreateBatchParams& params, qint64 nowMs, qint64 phaseMs, qint64 expiryMs)
{
    BatchRecord record;
    record.id = newBatchId();
    record.endpoint = params.endpoint;
    record.inputFileId = params.inputFileId;
    record.completionWindow = params.completionWindow;
    record.metadata = params.metadata;
    record.outputExpiresAfterSeconds = params.outputExpiresAfterSeconds;
    record.seq = m_nextSeq++;
    record.phaseMs = qMax<qint64>(0, phaseMs);
    record.createdAtMs = nowMs;
    record.expiresAtMs = nowMs + qMax<qint64>(0, expiryMs);
    m_records.insert(record.id, record);
    persist(record);
    return record;
}

void BatchRegistry::advance(qint64 nowMs, const SimulatorFaults& faults)
{
    while (true) {
        BatchRecord* due = nullptr;
        Event dueEvent;
        for (BatchRecord& record : m_records) {
            const std::optional<Event> event = nextEvent(record);
            if (!event || event->atMs > nowMs)
                continue;
            if (!due || event->atMs < dueEvent.atMs || (event->atMs == dueEvent.atMs && record.seq < due->seq)) {
                due = &record;
                dueEvent = *event;
            }
        }
        if (!due)
            return;
        apply(*due, dueEvent, faults);
        persist(*due);
    }
}

std::optional<BatchRegistry::Event> BatchRegistry::nextEvent(const BatchRecord& record) const
{
    switch (record.status) {
    case BatchStatus::Validating:
        return Event{record.createdAtMs + record.phaseMs, EventKind::Validate};
    case BatchStatus::InProgress: {
        const qint64 end = *record.inProgressAtMs + record.phaseMs;
        if (record.expiresAtMs < end)
            return Event{qMax(record.expiresAtMs, *record.inProgressAtMs), EventKind::Expire};
        return Event{end, EventKind::Finalize};
    }
    case BatchStatus::Finalizing:
        return Event{*record.finalizingAtMs + record.phaseMs, EventKind::Complete};
    case BatchStatus::Cancelling:
        return Event{*record.cancellingAtMs + record.phaseMs, EventKind::Cancelled};
    default:
        return std::nullopt;
    }
}

void BatchRegistry::apply(BatchRecord& record, const Event& event, const SimulatorFaults& faults)
{
    switch (event.kind) {
    case EventKind::Validate:
        validate(record, event.atMs, faults);
        break;
    case EventKind::Finalize:
        record.status = BatchStatus::Finalizing;
        record.finalizingAtMs = event.atMs;
        break;
    case EventKind::Complete:
        record.status = BatchStatus::Completed;
        record.completedAtMs = event.atMs;
        finish(record, event.atMs, record.total, {}, {});
        break;
    case EventKind::Expire:
        record.status = BatchStatus::Expired;
        record.expiredAtMs = event.atMs;
        finish(record,
               event.atMs,
               executedAt(record, event.atMs),
               u"batch_expired"_s,
               u"This request could not be executed before the completion window expired."_s);
        break;
    case EventKind::Cancelled:
        record.status = BatchStatus::Cancelled;
        record.cancelledAtMs = event.atMs;
        finish(record,
               event.atMs,
               record.executedLimit.value_or(0),
               u"batch_cancelled"_s,
               u"This request was not executed because the batch was cancelled."_s);
        break;
    }
    qCDebug(lcSimulator) << record.id << "is now" << toString(record.status);
}

void BatchRegistry::validate(BatchRecord& record, qint64 atMs, const SimulatorFaults& faults)
{
    const std::optional<StoredFile> input = m_files.find(record.inputFileId, atMs);
    QFile content(input ? m_files.contentPath(input->id) : QString());
    if (!input || !content.open(QIODevice::ReadOnly)) {
        fail(record,
             atMs,
             singleError(u"invalid_request"_s,
                         u"Cannot find file %1, or organization %2 does not have access to it."_s.arg(
                             record.inputFileId, kOrganization),
                         u"input_file_id"_s));
        return;
    }
    const qint64 length = content.size() - input->contentOffset;
    const uchar* mapped = length > 0 ? content.map(input->contentOffset, length) : nullptr;
    const QByteArrayView bytes =
        mapped ? QByteArrayView(reinterpret_cast<const char*>(mapped), length) : QByteArrayView();

    // A first pass only checks, so that answers (large for embeddings) are generated for good files only.
    InputValidator validator(record.endpoint);
    validator.run(bytes, [](const InputRequest&) {});
    if (!validator.ok()) {
        QJsonArray errors;
        for (const BatchError& error : validator.errors())
            errors.append(error.toJson());
        fail(record, atMs, errors);
        return;
    }
    const QString model = resolvedModel(validator.model());
    const qint64 limit = faults.enqueuedTokenLimitPerModel;
    if (limit > 0 && enqueuedTokens(model) + validator.estimatedTokens() > limit) {
        record.model = model;
        fail(record,
             atMs,
             singleError(u"token_limit_exceeded"_s,
                         u"Enqueued token limit reached for %1 in organization %2. Limit: %3 enqueued tokens. Please "
                         "try again once some in_progress batches have been completed."_s.arg(
                             model, kOrganization, QString::number(limit))));
        return;
    }

    auto plan = std::make_unique<BatchPlan>(planPath(record.id), record.id, m_seed);
    Status written = plan->beginWrite();
    const ResponseGenerator generator(record.id, record.endpoint, model, toSeconds(atMs));
    InputValidator(record.endpoint).run(bytes, [&](const InputRequest& request) {
        if (written)
            written = plan->append(request.customId, generator.generate(request));
    });
    if (written)
        written = plan->finishWrite();
    if (!written) {
        plan->discard();
        qCWarning(lcSimulator) << "batch" << record.id << written.error().message;
        fail(record, atMs, singleError(u"invalid_request"_s, u"The simulator could not store this batch."_s));
        return;
    }
    record.status = BatchStatus::InProgress;
    record.inProgressAtMs = atMs;
    record.model = model;
    record.total = validator.requestCount();
    record.estimatedTokens = validator.estimatedTokens();
    m_plans[record.id] = std::move(plan);
}

void BatchRegistry::fail(BatchRecord& record, qint64 atMs, const QJsonArray& errors)
{
    record.status = BatchStatus::Failed;
    record.failedAtMs = atMs;
    record.errors = errors;
    record.total = 0;
}

void BatchRegistry::finish(
    BatchRecord& record, qint64 atMs, int executed, const QString& stopCode, const QString& stopMessage)
{
    record.executedLimit = executed;
    const auto planIt = m_plans.find(record.id);
    if (planIt == m_plans.end())
        return; // never validated (cancelled while validating): no lines, no files
    BatchPlan& plan = *planIt->second;
    ResultFileWriter output(m_files);
    ResultFileWriter errors(m_files);
    const ResponseGenerator generator(record.id, record.endpoint, record.model, toSeconds(atMs));
    bool ok = true;
    for (int i = 0; i < plan.size() && ok; ++i) {
        const BatchPlan::Entry& entry = plan.entry(i);
        if (i >= executed) {
            ok = errors.write(generator.unexecutedLine(entry.customId, stopCode, stopMessage));
            continue;
        }
        const Result<QByteArray> line = plan.readLine(i);
        ok = line.ok() && (entry.ok ? output.write(*line) : errors.write(*line));
    }
    if (!ok)
        qCWarning(lcSimulator) << "batch" << record.id << "could not write all result lines";
    const std::optional<qint64> expiresAtMs =
        record.outputExpiresAfterSeconds ? std::optional<qint64>(atMs + *record.outputExpiresAfterSeconds * 1000)
                                         : std::nullopt;
    record.outputFileId = output.commit(record.id + u"_output.jsonl"_s, atMs, expiresAtMs);
    record.errorFileId = errors.commit(record.id + u"_error.jsonl"_s, atMs, expiresAtMs);
    record.finalProgress = plan.progressOfFirst(executed);
    plan.discard();
    m_plans.erase(planIt);
}

Result<BatchRecord> BatchRegistry::cancel(const QString& id, qint64 nowMs)
{
    const auto it = m_records.find(id);
    if (it == m_records.end())
        return makeError(ErrorKind::NotFound, u"No batch found with id '%1'."_s.arg(id));
    BatchRecord& record = *it;
    switch (record.status) {
    case BatchStatus::Validating:
    case BatchStatus::InProgress:
    case BatchStatus::Finalizing:
        record.executedLimit = executedAt(record, nowMs);
        record.status = BatchStatus::Cancelling;
        record.cancellingAtMs = nowMs;
        persist(record);
        return record;
    case BatchStatus::Cancelling:
    case BatchStatus::Cancelled:
        return record;
    default:
        return makeError(ErrorKind::Conflict,
                         u"Cannot cancel a batch with status '%1'."_s.arg(toString(record.status)));
    }
}

int BatchRegistry::executedAt(const BatchRecord& record, qint64 nowMs) const
{
    switch (record.status) {
    case BatchStatus::Validating:
    case BatchStatus::Failed:
        return 0;
    case BatchStatus::InProgress:
    case BatchStatus::Expired: {
        // Lines run evenly over the in_progress phase.
        if (record.phaseMs <= 0)
            return record.total;
        const qint64 elapsed = qBound<qint64>(0, nowMs - *record.inProgressAtMs, record.phaseMs);
        return int(qint64(record.total) * elapsed / record.phaseMs);
    }
    case BatchStatus::Finalizing:
    case BatchStatus::Completed:
        return record.total;
    case BatchStatus::Cancelling:
    case BatchStatus::Cancelled:
        return record.executedLimit.value_or(0);
    }
    return 0;
}

qint64 BatchRegistry::enqueuedTokens(const QString& model) const
{
    qint64 tokens = 0;
    for (const BatchRecord& record : m_records) {
        if (!isTerminal(record.status) && record.inProgressAtMs && record.model == model)
            tokens += record.estimatedTokens;
    }
    return tokens;
}

const BatchRecord* BatchRegistry::find(const QString& id) const
{
    const auto it = m_records.constFind(id);
    return it == m_records.constEnd() ? nullptr : &*it;
}

QList<const BatchRecord*> BatchRegistry::newestFirst() const
{
    QList<const BatchRecord*> records;
    records.reserve(m_records.size());
    for (const BatchRecord& record : m_records)
        records.append(&record);
    std::sort(
        records.begin(), records.end(), [](const BatchRecord* a, const BatchRecord* b) { return a->seq > b->seq; });
    return records;
}

BatchProgress BatchRegistry::progress(const BatchRecord& record, qint64 nowMs) const
{
    if (isTerminal(record.status))
        return record.finalProgress;
    const auto plan = m_plans.find(record.id);
    if (plan == m_plans.end())
        return {};
    return plan->second->progressOfFirst(executedAt(record, nowMs));
}

QJsonObject BatchRegistry::toApiJson(const BatchRecord& record, qint64 nowMs, bool emptyStringFileIds) const
{
    return record.toApiJson(progress(record, nowMs), emptyStringFileIds);
}

void BatchRegistry::persist(const BatchRecord& record) const
{
    QSaveFile file(recordPath(record.id));
    if (!file.open(QIODevice::WriteOnly)) {
        qCWarning(lcSimulator) << "cannot write" << file.fileName();
        return;
    }
    file.write(QJsonDocument(record.toStorageJson()).toJson(QJsonDocument::Indented));
    if (!file.commit())
        qCWarning(lcSimulator) << "cannot write" << file.fileName();
}

QString BatchRegistry::recordPath(const QString& id) const
{
    return QDir(m_dir).filePath(id + u".json"_s);
}

QString BatchRegistry::planPath(const QString& id) const
{
    return QDir(m_dir).filePath(id + u".plan.jsonl"_s);
}

} // namespace batchdeck::sim
