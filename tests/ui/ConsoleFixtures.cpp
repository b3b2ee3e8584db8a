#include "ConsoleFixtures.h"

#include <QBuffer>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include "core/Json.h"
#include "store/Database.h"
#include "store/ItemImporter.h"
#include "store/JobStore.h"
#include "store/ProviderBatchStore.h"
#include "store/ResultWriter.h"
#include "store/Transaction.h"

namespace batchdeck::test {

namespace {

const QStringList kBatchTypes = {
    QStringLiteral("summarize"), QStringLiteral("classify"), QStringLiteral("embed"), QStringLiteral("keywords")};

constexpr qint64 kHour = 60LL * 60 * 1000;

JobStatus statusFor(qint64 id)
{
    // Mostly finished work, some in flight, a few failures: what a busy store looks like.
    switch (id % 20) {
    case 0:
    case 1:
        return JobStatus::PendingSubmission;
    case 2:
    case 3:
    case 4:
        return JobStatus::Submitted;
    case 5:
        return JobStatus::SubmissionFailed;
    case 6:
        return JobStatus::PendingProcessing;
    case 7:
        return JobStatus::Processing;
    default:
        return JobStatus::Completed;
    }
}

void check(bool ok, const QSqlQuery& query, const char* what)
{
    if (!ok)
        qFatal("%s: %s", what, qPrintable(query.lastError().text()));
}

} // namespace

JobSnapshot syntheticJob(qint64 id, qint64 now)
{
    JobSnapshot job;
    job.id = id;
    job.runId = QStringLiteral("run-%1").arg((id - 1) / 4);
    job.batchType = kBatchTypes.at(int(id % 4));
    job.status = statusFor(id);
    job.attempt = 1 + int(id % 7 == 0);
    job.createdAt = now - (id % 500) * 60'000 - kHour;
    job.updatedAt = job.createdAt + (id % 50) * 1000;
    if (job.status != JobStatus::PendingSubmission) {
        job.llmBatchId = QStringLiteral("batch_%1").arg(id, 12, 16, QLatin1Char('0'));
        job.inputFileId = QStringLiteral("file-in-%1").arg(id);
        job.submittedAt = job.createdAt + 5000;
        job.requestTotal = 100 + id % 400;
        job.requestCompleted = job.status == JobStatus::Submitted ? job.requestTotal / 2 : job.requestTotal;
        job.providerStatus =
            job.status == JobStatus::Submitted ? QStringLiteral("in_progress") : QStringLiteral("completed");
    }
    if (job.status == JobStatus::SubmissionFailed) {
        job.providerStatus = QStringLiteral("failed");
        job.errorDetails = QJsonObject{{QStringLiteral("code"), QStringLiteral("invalid_request")},
                                       {QStringLiteral("message"), QStringLiteral("line 3: model not found")}};
    }
    return job;
}

QList<JobSnapshot> syntheticJobs(int count, qint64 now)
{
    QList<JobSnapshot> jobs;
    jobs.reserve(count);
    for (int i = 1; i <= count; ++i)
        jobs.append(syntheticJob(i, now));
    return jobs;
}

void seedJobs(Database& database, int count, qint64 now)
{
    auto connection = database.connection();
    if (!connection)
        qFatal("no connection: %s", qPrintable(connection.error().message));
    QSqlDatabase db = *connection;
    QSqlQuery query(db);
    check(query.exec(QStringLiteral("BEGIN")), query, "begin");
    QSqlQuery run(db);
    check(run.prepare(QStringLiteral("INSERT INTO runs (run_id, params, created_at, updated_at) VALUES (?, '{}', ?, ?)"
                                     " ON CONFLICT (run_id) DO NOTHING")),
          run,
          "prepare run");
    QSqlQuery job(db);
    check(job.prepare(QStringLiteral(
              "INSERT INTO pipeline_batch_jobs (run_id, batch_type, status, attempt, llm_batch_id, input_file_id,"
              " provider_status, request_total, request_completed, request_failed, error_details, created_at,"
              " updated_at, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")),
          job,
          "prepare job");
    for (int i = 1; i <= count; ++i) {
        const JobSnapshot s = syntheticJob(i, now);
        if (i % 4 == 1) {
            run.bindValue(0, s.runId);
            run.bindValue(1, s.createdAt);
            run.bindValue(2, s.createdAt);
            check(run.exec(), run, "insert run");
        }
        const QVariantList values = {
            s.runId,
            s.batchType,
            statusName(s.status),
            s.attempt,
            s.llmBatchId.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : s.llmBatchId,
            s.inputFileId.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : s.inputFileId,
            s.providerStatus.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : s.providerStatus,
            s.requestTotal,
            s.requestCompleted,
            s.requestFailed,
            s.errorDetails.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                     : QString::fromUtf8(json::compact(s.errorDetails)),
            s.createdAt,
            s.updatedAt,
            s.submittedAt > 0 ? QVariant(s.submittedAt) : QVariant(QMetaType::fromType<qint64>())};
        for (int v = 0; v < values.size(); ++v)
            job.bindValue(v, values.at(v));
        check(job.exec(), job, "insert job");
    }
    check(query.exec(QStringLiteral("COMMIT")), query, "commit");
}

void touchJobs(Database& database, const QList<qint64>& ids, qint64 now)
{
    auto connection = database.connection();
    if (!connection)
        qFatal("no connection: %s", qPrintable(connection.error().message));
    QSqlQuery query(*connection);
    check(query.exec(QStringLiteral("BEGIN")), query, "begin");
    QSqlQuery update(*connection);
    check(update.prepare(QStringLiteral("UPDATE pipeline_batch_jobs SET request_completed = request_completed + 1,"
                                        " updated_at = ? WHERE id = ?")),
          update,
          "prepare touch");
    for (qint64 id : ids) {
        update.bindValue(0, now);
        update.bindValue(1, id);
        check(update.exec(), update, "touch");
    }
    check(query.exec(QStringLiteral("COMMIT")), query, "commit");
}

namespace {

// One job's walk through the lifecycle, with the clock moving between steps, as the engine would
// record it: status changes through JobStore, the provider's batch in provider_batches.
class JobScript
{
public:
    JobScript(const std::shared_ptr<Database>& database,
              ManualClock& clock,
              const QString& runId,
              const QString& batchType,
              const SeedInputFile& inputFile = {})
        : m_database(database)
        , m_inputFile(inputFile)
        , m_store(database, clock)
        , m_batches(database, clock)
        , m_clock(clock)
    {
        auto job = m_store.createOrGet(runId, batchType, QStringLiteral("airflow"));
        if (!job)
            qFatal("createOrGet: %s", qPrintable(job.error().message));
        m_job = *job;
    }

    JobScript& wait(qint64 minutes)
    {
        m_clock.advance(minutes * 60'000);
        return *this;
    }

    JobScript& to(JobStatus to, const QString& actor, const QString& message, const JobUpdate& changes = {})
    {
        auto outcome = m_store.transition({m_job.id, m_job.status, to, actor, message, changes, {}});
        if (!outcome || !outcome->applied)
            qFatal("transition to %s failed", qPrintable(statusName(to)));
        m_job.status = to;
        return *this;
    }

    JobScript& submit(qint64 requests)
    {
        const QString suffix = QString::number(m_job.id * 7919 + 100'000, 36);
        m_batch.jobId = m_job.id;
        m_batch.llmBatchId = QStringLiteral("batch_6f1c%1a9e").arg(suffix);
        m_batch.inputFileId = m_inputFile ? m_inputFile(m_job.id, m_job.runId, m_job.batchType) : QString();
        if (m_batch.inputFileId.isEmpty())
            m_batch.inputFileId = QStringLiteral("file-3Jq%1Lx").arg(suffix);
        m_batch.providerStatus = QStringLiteral("validating");
        m_batch.requestTotal = requests;
        m_submittedAt = m_clock.nowMs();
        saveBatch();
        return to(JobStatus::Submitted,
                  QStringLiteral("api"),
                  QStringLiteral("batch created"),
                  JobUpdate()
                      .set(JobField::LlmBatchId, m_batch.llmBatchId)
                      .set(JobField::InputFileId, m_batch.inputFileId)
                      .set(JobField::ProviderStatus, m_batch.providerStatus)
                      .set(JobField::RequestTotal, requests)
                      .set(JobField::SubmittedAt, m_submittedAt)
                      .set(JobField::ProviderExpiresAt, m_submittedAt + 24 * kHour));
    }

    JobScript& progress(qint64 completed, qint64 failed, const QString& providerStatus = QStringLiteral("in_progress"))
    {
        m_batch.providerStatus = providerStatus;
        m_batch.requestCompleted = completed;
        m_batch.requestFailed = failed;
        saveBatch();
        auto done = m_store.update(m_job.id,
                                   m_job.status,
                                   JobUpdate()
                                       .set(JobField::ProviderStatus, providerStatus)
                                       .set(JobField::ProviderCheckedAt, m_clock.nowMs())
                                       .set(JobField::RequestCompleted, completed)
                                       .set(JobField::RequestFailed, failed));
        if (!done || !*done)
            qFatal("progress update failed");
        return *this;
    }

    JobScript& finished(qint64 failed = 0)
    {
        const QString suffix = QString::number(m_job.id * 104'729 + 7, 36);
        m_batch.providerStatus = QStringLiteral("completed");
        m_batch.outputFileId = QStringLiteral("file-Out%1q").arg(suffix);
        m_batch.errorFileId = failed > 0 ? QStringLiteral("file-Err%1z").arg(suffix) : QString();
        m_batch.requestCompleted = m_batch.requestTotal - failed;
        m_batch.requestFailed = failed;
        saveBatch();
        JobUpdate changes;
        changes.set(JobField::ProviderStatus, m_batch.providerStatus)
            .set(JobField::RequestCompleted, m_batch.requestCompleted)
            .set(JobField::RequestFailed, failed)
            .set(JobField::OutputFileId, m_batch.outputFileId);
        if (failed > 0)
            changes.set(JobField::ErrorFileId, m_batch.errorFileId);
        return to(
            JobStatus::PendingProcessing, QStringLiteral("poller"), QStringLiteral("provider completed"), changes);
    }

    JobScript& processed(qint64 saved, qint64 errors)
    {
        to(JobStatus::Processing, QStringLiteral("api"), QStringLiteral("claimed for processing"));
        wait(1);
        storeResults(saved, errors);
        return to(JobStatus::Completed,
                  QStringLiteral("api"),
                  QStringLiteral("results stored"),
                  JobUpdate()
                      .set(JobField::ResultsSaved, saved)
                      .set(JobField::ResultErrors, errors)
                      .set(JobField::CompletedAt, m_clock.nowMs()));
    }

    JobScript& failed(const QString& providerStatus, const QJsonObject& error)
    {
        m_batch.providerStatus = providerStatus;
        saveBatch(error);
        return to(JobStatus::SubmissionFailed,
                  QStringLiteral("poller"),
                  QStringLiteral("provider batch %1").arg(providerStatus),
                  JobUpdate()
                      .set(JobField::ProviderStatus, providerStatus)
                      .set(JobField::ErrorDetails, QString::fromUtf8(json::compact(error))));
    }

private:
    // What processing stores: a result per request, the failed ones (every 70th request, from the
    // end) with the error the provider's error file gave.
    void storeResults(qint64 saved, qint64 errors)
    {
        auto connection = m_database->connection();
        if (!connection)
            qFatal("no connection: %s", qPrintable(connection.error().message));
        auto transaction = Transaction::begin(*connection);
        if (!transaction)
            qFatal("begin: %s", qPrintable(transaction.error().message));
        auto writer = ResultWriter::prepare(*connection, m_job.id, m_clock.nowMs());
        if (!writer)
            qFatal("result writer: %s", qPrintable(writer.error().message));
        const qint64 total = saved + errors;
        qint64 outputLine = 0;
        qint64 errorLine = 0;
        for (qint64 i = 1; i <= total; ++i) {
            BatchResult result;
            result.customId = QStringLiteral("review-%1").arg(i);
            const bool failed = (total - i) % 70 == 0 && errorLine < errors;
            if (failed) {
                result.lineNumber = ++errorLine;
                if (errorLine % 3 == 0) {
                    result.statusCode = 500;
                    result.errorCode = QStringLiteral("server_error");
                    result.errorMessage =
                        QStringLiteral("The server had an error while processing your request. Sorry about that!");
                } else {
                    result.statusCode = 400;
                    result.errorCode = QStringLiteral("context_length_exceeded");
                    result.errorMessage = QStringLiteral("This model's maximum context length is 128000 tokens. "
                                                         "However, your messages resulted in %1 tokens.")
                                              .arg(128'000 + i * 37 % 9000);
                }
            } else {
                result.ok = true;
                result.statusCode = 200;
                result.lineNumber = ++outputLine;
                result.content = contentFor(i);
                if (m_job.batchType == u"keywords")
                    result.parsedJson = result.content; // kept as JSON
                result.inputTokens = 60 + i % 90;
                result.outputTokens = 12 + i % 40;
                result.totalTokens = result.inputTokens + result.outputTokens;
            }
            if (Status written = (*writer)->write(result); !written)
                qFatal("result: %s", qPrintable(written.error().message));
        }
        if (Status finished = (*writer)->finish(); !finished)
            qFatal("results: %s", qPrintable(finished.error().message));
        if (Status committed = transaction->commit(); !committed)
            qFatal("commit: %s", qPrintable(committed.error().message));
    }

    QString contentFor(qint64 i) const
    {
        const QString& type = m_job.batchType;
        if (type == u"classify") {
            static const QStringList labels = {
                QStringLiteral("positive"), QStringLiteral("neutral"), QStringLiteral("negative")};
            return labels.at(int(i % labels.size()));
        }
        if (type == u"embed")
            return QStringLiteral("[%1, %2, %3, …]")
                .arg(double(i % 97) / 100 - 0.5, 0, 'f', 4)
                .arg(double(i % 89) / 100 - 0.4, 0, 'f', 4)
                .arg(double(i % 83) / 100 - 0.3, 0, 'f', 4);
        if (type == u"keywords")
            return QStringLiteral("{\"keywords\":[\"sample\",\"review %1\"]}").arg(i);
        return QStringLiteral("A short summary of sample review %1.").arg(i);
    }

    // The provider's Batch object as the Batch API returns it (times in seconds).
    void saveBatch(const QJsonObject& error = {})
    {
        const auto nullable = [](const QString& text) { return text.isEmpty() ? QJsonValue() : QJsonValue(text); };
        m_batch.raw = QJsonObject{
            {QStringLiteral("id"), m_batch.llmBatchId},
            {QStringLiteral("object"), QStringLiteral("batch")},
            {QStringLiteral("endpoint"), QStringLiteral("/v1/chat/completions")},
            {QStringLiteral("errors"), error.isEmpty() ? QJsonValue() : QJsonValue(error)},
            {QStringLiteral("input_file_id"), m_batch.inputFileId},
            {QStringLiteral("completion_window"), QStringLiteral("24h")},
            {QStringLiteral("status"), m_batch.providerStatus},
            {QStringLiteral("output_file_id"), nullable(m_batch.outputFileId)},
            {QStringLiteral("error_file_id"), nullable(m_batch.errorFileId)},
            {QStringLiteral("created_at"), m_submittedAt / 1000},
            {QStringLiteral("expires_at"), (m_submittedAt + 24 * kHour) / 1000},
            {QStringLiteral("request_counts"),
             QJsonObject{{QStringLiteral("total"), m_batch.requestTotal},
                         {QStringLiteral("completed"), m_batch.requestCompleted},
                         {QStringLiteral("failed"), m_batch.requestFailed}}},
            {QStringLiteral("metadata"),
             QJsonObject{{QStringLiteral("job_id"), QString::number(m_job.id)},
                         {QStringLiteral("attempt"), QStringLiteral("1")},
                         {QStringLiteral("run_id"), m_job.runId},
                         {QStringLiteral("batch_type"), m_job.batchType}}},
        };
        auto saved = m_batches.save(m_batch);
        if (!saved)
            qFatal("provider batch: %s", qPrintable(saved.error().message));
        m_batch = *saved;
    }

    std::shared_ptr<Database> m_database;
    SeedInputFile m_inputFile;
    JobStore m_store;
    ProviderBatchStore m_batches;
    ManualClock& m_clock;
    JobSnapshot m_job;
    ProviderBatchRecord m_batch;
    qint64 m_submittedAt = 0;
};

QString dailyRunId(const QDate& date)
{
    return QStringLiteral("scheduled__%1T00:00:00+00:00").arg(date.toString(Qt::ISODate));
}

void importItems(const std::shared_ptr<Database>& database, const Clock& clock, const QString& runId, int count)
{
    QByteArray jsonl;
    for (int i = 1; i <= count; ++i)
        jsonl += json::compact(QJsonObject{{QStringLiteral("id"), QStringLiteral("review-%1").arg(i)},
                                           {QStringLiteral("text"), QStringLiteral("Sample review %1").arg(i)}}) +
                 '\n';
    QBuffer buffer(&jsonl);
    buffer.open(QIODevice::ReadOnly);
    auto imported = ItemImporter(database, clock)
                        .importDevice(runId, buffer, ItemFormat::Jsonl, QStringLiteral("id"), QStringLiteral("seed"));
    if (!imported)
        qFatal("import: %s", qPrintable(imported.error().message));
}

} // namespace

void seedRealisticStore(const std::shared_ptr<Database>& database, ManualClock& clock, const SeedInputFile& inputFile)
{
    const qint64 end = clock.nowMs();
    const QDate today = QDateTime::fromMSecsSinceEpoch(end, Qt::UTC).date();
    const QJsonObject expired{
        {QStringLiteral("code"), QStringLiteral("batch_expired")},
        {QStringLiteral("message"), QStringLiteral("The batch expired before all requests ran: 212 of 1,500 left")},
        {QStringLiteral("retryable"), true},
        {QStringLiteral("provider_status"), QStringLiteral("expired")}};
    const QJsonObject invalid{
        {QStringLiteral("code"), QStringLiteral("invalid_request_file")},
        {QStringLiteral("message"), QStringLiteral("The provider rejected 2 lines of the input file")},
        {QStringLiteral("retryable"), false},
        {QStringLiteral("errors"),
         QJsonArray{QJsonObject{{QStringLiteral("line"), 17},
                                {QStringLiteral("code"), QStringLiteral("invalid_value")},
                                {QStringLiteral("message"), QStringLiteral("'gpt-4o-minii' is not a model")}},
                    QJsonObject{{QStringLiteral("line"), 18},
                                {QStringLiteral("code"), QStringLiteral("too_many_tokens")},
                                {QStringLiteral("message"), QStringLiteral("max_tokens exceeds the model limit")}}}}};

    // Two days ago: all done, one expired batch.
    clock.set(end - 50 * kHour);
    const QString first = dailyRunId(today.addDays(-2));
    importItems(database, clock, first, 1500);
    JobScript(database, clock, first, QStringLiteral("summarize"), inputFile)
        .submit(1500)
        .wait(94)
        .finished()
        .wait(3)
        .processed(1500, 0);
    JobScript(database, clock, first, QStringLiteral("classify"), inputFile)
        .wait(1)
        .submit(1500)
        .wait(130)
        .finished(4)
        .wait(2)
        .processed(1496, 4);
    JobScript(database, clock, first, QStringLiteral("embed"), inputFile)
        .wait(1)
        .submit(1500)
        .wait(41)
        .finished()
        .wait(2)
        .processed(1500, 0);
    JobScript(database, clock, first, QStringLiteral("keywords"), inputFile)
        .wait(2)
        .submit(1500)
        .progress(1288, 0)
        .wait(24 * 60)
        .failed(QStringLiteral("expired"), expired);

    // Yesterday: a rejected input file, results waiting to be processed.
    clock.set(end - 26 * kHour);
    const QString second = dailyRunId(today.addDays(-1));
    importItems(database, clock, second, 1320);
    JobScript(database, clock, second, QStringLiteral("summarize"), inputFile)
        .submit(1320)
        .wait(77)
        .finished()
        .wait(2)
        .processed(1320, 0);
    JobScript(database, clock, second, QStringLiteral("classify"), inputFile)
        .wait(1)
        .submit(1320)
        .wait(15)
        .failed(QStringLiteral("failed"), invalid);
    JobScript(database, clock, second, QStringLiteral("embed"), inputFile).wait(2).submit(1320).wait(60).finished();
    JobScript(database, clock, second, QStringLiteral("keywords"), inputFile)
        .wait(3)
        .submit(1320)
        .wait(80)
        .finished(18)
        .wait(1)
        .processed(1302, 18);

    // Today: work in flight.
    clock.set(end - 5 * kHour);
    const QString third = dailyRunId(today);
    importItems(database, clock, third, 1410);
    JobScript(database, clock, third, QStringLiteral("summarize"), inputFile).submit(1410).wait(170).progress(902, 11);
    JobScript(database, clock, third, QStringLiteral("classify"), inputFile)
        .wait(2)
        .submit(1410)
        .wait(100)
        .progress(1410, 0, QStringLiteral("finalizing"));
    JobScript(database, clock, third, QStringLiteral("embed"), inputFile)
        .wait(5)
        .submit(1410)
        .wait(20)
        .finished()
        .wait(3)
        .to(JobStatus::Processing, QStringLiteral("api"), QStringLiteral("claimed for processing"));
    JobScript(database, clock, third, QStringLiteral("keywords"), inputFile).wait(1);

    // A manual backfill an analyst started an hour ago.
    clock.set(end - kHour);
    const QString manual = QStringLiteral("manual__%1T09:30:00+00:00").arg(today.toString(Qt::ISODate));
    importItems(database, clock, manual, 240);
    JobScript(database, clock, manual, QStringLiteral("summarize"), inputFile).submit(240).wait(40).progress(96, 0);
    JobScript(database, clock, manual, QStringLiteral("classify"), inputFile).wait(2);
    clock.set(end);
}

} // namespace batchdeck::test
