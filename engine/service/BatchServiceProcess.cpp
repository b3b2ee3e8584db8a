// BatchService::process: claim, download, parse in parallel, store with COMPLETED in one transaction
// (design.md, "process").
#include <cstring>
#include <memory>

#include <QFile>
#include <QFuture>
#include <QScopeGuard>
#include <QtConcurrent/QtConcurrentMap>
#include <qcoro/qcorofuture.h>

#include "BatchService.h"
#include "core/Logging.h"
#include "provider/BatchProvider.h"
#include "service/LeaseGuard.h"
#include "service/OutputLineParser.h"
#include "service/WorkPool.h"
#include "store/Database.h"
#include "store/JobStore.h"
#include "store/ResultStore.h"
#include "store/ResultWriter.h"
#include "store/SqlSupport.h"
#include "store/SqliteCheckpoint.h"

namespace batchdeck {

namespace {

struct RemoveOnExit
{
    QStringList paths;
    ~RemoveOnExit()
    {
        for (const QString& path : std::as_const(paths))
            QFile::remove(path);
    }
};

// A line of a block: where it is in the block's bytes, its number in the file, and (once a worker has
// parsed it) its result.
struct ParsedLine
{
    qsizetype offset = 0;
    qsizetype size = 0;
    qint64 number = 0;
    BatchResult result;
};

// Whole lines of a result file, read in one piece: parsing takes views into it, never a copy per line.
// The workers write each line's result in place (QtConcurrent::map): no result is copied on its way to
// the writer.
struct LineBlock
{
    QByteArray bytes;
    QList<ParsedLine> lines;
};

// A block also ends at this many bytes, so that long lines (embeddings: ~16 KB each) keep memory
// bounded as well as short ones.
constexpr qint64 kParseBlockBytes = 8 * 1024 * 1024;
constexpr qint64 kReadBytes = 1024 * 1024;

// Blank as QByteArray::trimmed() sees it: such lines are skipped (they still count for line numbers).
bool isBlankLine(const char* begin, const char* end)
{
    for (const char* p = begin; p < end; ++p) {
        const char c = *p;
        if (c != ' ' && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r')
            return false;
    }
    return true;
}

// Streams one result file in blocks of lines: while the thread pool parses one block, this thread
// reads the next one and writes the results of the previous one, in order. Memory holds about three
// blocks, never the file.
Status storeFile(const QString& path, const OutputLineContext& context, int blockLines, ResultWriter& writer)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Io, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    qint64 lineNumber = 0;
    LineBlock block;       // block.bytes: whole lines, then the start of the next one
    qsizetype scanned = 0; // block.bytes before this offset is split into lines
    qint64 lineBytes = 0;  // bytes of the lines in block.lines
    // The block the workers are parsing: its lines are theirs until `inFlight` has finished.
    auto parsing = std::make_unique<LineBlock>();
    QFuture<void> inFlight;
    // The workers read `context` and `parsing`: never leave with a block still being parsed.
    auto waitOnExit = qScopeGuard([&inFlight] {
        if (inFlight.isValid())
            inFlight.waitForFinished();
    });
    auto writeBlock = [&](const LineBlock& parsed) -> Status {
        for (const ParsedLine& line : parsed.lines) {
            if (auto written = writer.write(line.result); !written)
                return written;
        }
        return {};
    };
    // Hands the complete lines to the workers; the start of an unfinished line stays for the next block.
    // While they parse it, this thread writes the block parsed before.
    auto dispatch = [&]() -> Status {
        if (inFlight.isValid())
            inFlight.waitForFinished();
        auto parsed = std::exchange(parsing, std::make_unique<LineBlock>());
        QByteArray rest = block.bytes.mid(scanned);
        block.bytes.truncate(scanned);
        *parsing = std::exchange(block, {});
        const OutputLineContext* sharedContext = &context;
        const char* bytes = parsing->bytes.constData();
        inFlight = QtConcurrent::map(parsing->lines, [sharedContext, bytes](ParsedLine& line) {
            line.result = parseOutputLine(QByteArrayView(bytes + line.offset, line.size), line.number, *sharedContext);
        });
        block.bytes = std::move(rest);
        block.lines.reserve(blockLines);
        scanned = 0;
        lineBytes = 0;
        return writeBlock(*parsed);
    };
    // Splits block.bytes from `scanned` into lines; with `atEnd`, a last line without '\n' counts too.
    auto split = [&](bool atEnd) {
        const char* data = block.bytes.constData();
        const qsizetype size = block.bytes.size();
        while (scanned < size) {
            const void* found = std::memchr(data + scanned, '\n', size_t(size - scanned));
            if (!found && !atEnd)
                return;
            const qsizetype next = found ? static_cast<const char*>(found) - data + 1 : size;
            qsizetype end = found ? next - 1 : size;
            while (end > scanned && data[end - 1] == '\r')
                --end;
            ++lineNumber;
            if (!isBlankLine(data + scanned, data + end)) {
                block.lines.append({scanned, end - scanned, lineNumber, {}});
                lineBytes += end - scanned;
            }
            scanned = next;
        }
    };
    block.lines.reserve(blockLines);
    for (;;) {
        const qsizetype before = block.bytes.size();
        block.bytes.resize(before + kReadBytes);
        const qint64 got = file.read(block.bytes.data() + before, kReadBytes);
        if (got < 0)
            return makeError(ErrorKind::Io, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
        block.bytes.truncate(before + got);
        split(got == 0);
        if (got == 0)
            break;
        if (block.lines.size() >= blockLines || lineBytes >= kParseBlockBytes) {
            if (auto done = dispatch(); !done)
                return done;
        }
    }
    if (auto done = dispatch(); !done)
        return done;
    inFlight.waitForFinished();
    return writeBlock(*parsing);
}

} // namespace

void BatchService::waitForBackgroundWork()
{
    if (m_checkpoint.isValid())
        m_checkpoint.waitForFinished();
}

Result<BatchService::StoredResults> BatchService::storeResults(const JobSnapshot& job,
                                                               const QString& owner,
                                                               const QString& actor,
                                                               const QString& outputPath,
                                                               const QString& errorPath) const
{
    StoredResults stored;
    auto type = m_batchTypes.find(job.batchType);
    if (!type)
        return makeError(ErrorKind::NotFound, QStringLiteral("unknown_batch_type"), type.error().message);
    const qint64 now = m_clock.nowMs();
    auto work = [&](const QSqlDatabase& db) -> Result<JobUpdate> {
        auto writer = ResultWriter::prepare(db, job.id, now);
        if (!writer)
            return writer.error();
        OutputLineContext context{type->endpoint, type->keep, job.attempt, QStringLiteral("output")};
        if (!outputPath.isEmpty()) {
            if (auto stored = storeFile(outputPath, context, m_settings.parseBlockLines, **writer); !stored)
                return stored.error();
        }
        context.fileLabel = QStringLiteral("error");
        if (!errorPath.isEmpty()) {
            if (auto stored = storeFile(errorPath, context, m_settings.parseBlockLines, **writer); !stored)
                return stored.error();
        }
        if (auto finished = (*writer)->finish(); !finished)
            return finished.error();
        // Counts over every attempt's results: a resent request's new answer replaced its old one.
        auto counted = ResultStore::countOn(db, job.id);
        if (!counted)
            return counted.error();
        stored.saved = counted->saved;
        stored.errors = counted->errors;
        JobUpdate update;
        update.set(JobField::ResultsSaved, stored.saved).set(JobField::ResultErrors, stored.errors);
        return update;
    };
    JobUpdate changes;
    changes.set(JobField::CompletedAt, now).clear(JobField::LeaseOwner).clear(JobField::LeaseUntil);
    JobStore jobs(m_database, m_clock);
    auto db = m_database->connection();
    if (!db)
        return db.error();
    // The WAL checkpoint of these results' pages runs after the commit, on its own thread.
    DeferredCheckpoint checkpoint(
        *db, m_database->isSqlite() && !m_database->url().inMemory ? m_database->url().path : QString());
    auto transition = jobs.transition(
        {job.id, JobStatus::Processing, JobStatus::Completed, actor, QStringLiteral("results stored"), changes, owner},
        work);
    if (transition && transition->applied)
        stored.checkpoint = checkpoint.start();
    if (!transition)
        return transition.error();
    if (!transition->applied)
        return makeError(
            ErrorKind::Conflict,
            QStringLiteral("job_not_ready"),
            QStringLiteral("the processing lease was lost; the job is %1 now").arg(statusName(transition->current)));
    return stored;
}

QCoro::Task<Result<ProcessOutcome>> BatchService::process(QString runId, QString batchType, QString actor, bool harvest)
{
    auto job = findJob(runId, batchType);
    if (!job)
        co_return job.error();
    JobStore jobs(m_database, m_clock);
    if (job->status == JobStatus::Completed)
        co_return ProcessOutcome{true, *job, job->resultsSaved, job->resultErrors};

    if (job->status == JobStatus::SubmissionFailed && harvest) {
        if (job->outputFileId.isEmpty() && job->errorFileId.isEmpty())
            co_return makeError(ErrorKind::Conflict,
                                QStringLiteral("job_not_ready"),
                                QStringLiteral("the failed job has no output to harvest"));
        auto harvested =
            jobs.transition({job->id,
                             JobStatus::SubmissionFailed,
                             JobStatus::PendingProcessing,
                             actor,
                             QStringLiteral("harvesting the output of a %1 batch").arg(job->providerStatus),
                             {},
                             {}});
        if (!harvested)
            co_return harvested.error();
        job = jobs.job(job->id);
        if (!job)
            co_return job.error();
    }

    const QString owner = newLeaseOwner();
    if (job->status == JobStatus::PendingProcessing) {
        JobUpdate lease;
        lease.set(JobField::LeaseOwner, owner).set(JobField::LeaseUntil, m_clock.nowMs() + m_settings.processLeaseMs);
        auto claimed = jobs.transition({job->id,
                                        JobStatus::PendingProcessing,
                                        JobStatus::Processing,
                                        actor,
                                        QStringLiteral("processing results"),
                                        lease,
                                        {}});
        if (!claimed)
            co_return claimed.error();
        if (!claimed->applied) {
            auto now = jobs.job(job->id);
            if (now && now->status == JobStatus::Completed)
                co_return ProcessOutcome{true, *now, now->resultsSaved, now->resultErrors};
            co_return makeError(
                ErrorKind::Conflict,
                QStringLiteral("job_not_ready"),
                QStringLiteral("another worker is processing this job (it is %1)").arg(statusName(claimed->current)));
        }
    } else if (job->status == JobStatus::Processing) {
        // A worker that died mid-way leaves its lease to expire; then anyone may take the job over.
        auto reclaimed = jobs.takeLease(job->id, owner, m_settings.processLeaseMs);
        if (!reclaimed)
            co_return reclaimed.error();
        if (!*reclaimed)
            co_return makeError(ErrorKind::Conflict,
                                QStringLiteral("job_not_ready"),
                                QStringLiteral("the job is PROCESSING by %1").arg(job->leaseOwner));
        (void)jobs.recordEvent(
            job->id, JobStatus::Processing, actor, QStringLiteral("took over an expired processing lease"));
    } else {
        co_return makeError(ErrorKind::Conflict,
                            QStringLiteral("job_not_ready"),
                            QStringLiteral("the job is %1, not PENDING_PROCESSING").arg(statusName(job->status)));
    }
    Q_EMIT jobChanged(job->id);
    LeaseGuard lease(jobs, job->id, owner);

    RemoveOnExit downloads;
    QString outputPath;
    QString errorPath;
    const QString stem = workPath(QStringLiteral("job-%1-%2").arg(job->id).arg(owner.right(12)));
    // The output file (successes) and the error file (failed and unexecuted requests), when present.
    const std::pair<QString, QString*> files[] = {{job->outputFileId, &outputPath}, {job->errorFileId, &errorPath}};
    for (const auto& [fileId, path] : files) {
        if (fileId.isEmpty())
            continue;
        const QString id = fileId;
        const QString target = stem + u'-' + id + QStringLiteral(".jsonl");
        // "step:" lines mark how far an operation got; the fault campaign (tests/faults) kills at them.
        qCDebug(lcService) << "step: download job" << job->id;
        auto downloaded = co_await m_provider.downloadFileContent(id, target);
        if (!downloaded)
            co_return Error(downloaded.error());
        *path = downloaded->path;
        downloads.paths << *path;
    }

    qCDebug(lcService) << "step: store-results job" << job->id;
    // On the work pool: this thread goes on answering while the results are written.
    const JobSnapshot claimed = *job;
    auto work = [this, claimed, owner, actor, outputPath, errorPath] {
        return storeResults(claimed, owner, actor, outputPath, errorPath);
    };
    QFuture<Result<StoredResults>> storing = m_workPool->run(std::move(work));
    const std::shared_ptr<bool> alive = m_alive;
    Result<StoredResults> stored = co_await storing;
    if (!*alive)
        co_return makeError(ErrorKind::Internal, QStringLiteral("the service ended while the results were stored"));
    if (!stored)
        co_return stored.error();
    m_checkpoint = stored->checkpoint;
    lease.dismiss();
    ProcessOutcome outcome;
    outcome.resultsSaved = stored->saved;
    outcome.errors = stored->errors;
    outcome.job = *jobs.job(job->id);
    Q_EMIT jobChanged(job->id);
    qCInfo(lcService) << "processed job" << job->id << runId << batchType << outcome.resultsSaved << "results,"
                      << outcome.errors << "errors";
    co_return outcome;
}

} // namespace batchdeck
