// BatchService::status and refresh: what the provider says, mapped onto the job (design.md, "status").
#include <QJsonArray>

#include "BatchService.h"
#include "core/Json.h"
#include "core/Logging.h"
#include "provider/BatchProvider.h"
#include "service/StatusBody.h"
#include "store/JobStore.h"
#include "store/ProviderBatchStore.h"

namespace batchdeck {

namespace {

QVariant nullableText(const QString& text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

// The provider's reasons for a failed batch, kept with the job: the first error as code/message, and
// every error with its input line.
QString failureDetails(const ProviderBatch& batch)
{
    QJsonArray lines;
    for (const BatchError& error : batch.errors) {
        QJsonObject entry{{QStringLiteral("code"), error.code}, {QStringLiteral("message"), error.message}};
        if (error.line)
            entry.insert(QStringLiteral("line"), *error.line);
        if (!error.param.isEmpty())
            entry.insert(QStringLiteral("param"), error.param);
        lines.append(entry);
    }
    QString code = batchStatusToString(batch.status);
    QString message = QStringLiteral("the provider batch %1 ended %2").arg(batch.id, code);
    if (!batch.errors.isEmpty()) {
        const BatchError& first = batch.errors.first();
        code = first.code.isEmpty() ? code : first.code;
        message = first.line ? QStringLiteral("line %1: %2").arg(*first.line).arg(first.message) : first.message;
        if (batch.errors.size() > 1)
            message += QStringLiteral(" (and %1 more errors)").arg(batch.errors.size() - 1);
    }
    // A token limit clears once other batches finish: worth retrying later.
    const bool retryable = batch.status != BatchStatus::Failed || code == u"token_limit_exceeded";
    return QString::fromUtf8(json::compact(QJsonObject{{QStringLiteral("code"), code},
                                                       {QStringLiteral("message"), message},
                                                       {QStringLiteral("retryable"), retryable},
                                                       {QStringLiteral("errors"), lines}}));
}

} // namespace

Result<JobSnapshot>
BatchService::applyProviderBatch(const JobSnapshot& job, const ProviderBatch& batch, const QString& actor)
{
    const QString providerStatus = batchStatusToString(batch.status);
    ProviderBatchRecord record;
    record.jobId = job.id;
    record.attempt = job.attempt;
    record.llmBatchId = batch.id;
    record.inputFileId = batch.inputFileId;
    record.outputFileId = batch.outputFileId;
    record.errorFileId = batch.errorFileId;
    record.providerStatus = providerStatus;
    record.requestTotal = batch.requestCounts.total;
    record.requestCompleted = batch.requestCounts.completed;
    record.requestFailed = batch.requestCounts.failed;
    record.raw = batch.raw;
    if (auto saved = ProviderBatchStore(m_database, m_clock).save(record); !saved)
        return saved.error();

    JobUpdate changes;
    changes.set(JobField::ProviderStatus, providerStatus)
        .set(JobField::RequestTotal, batch.requestCounts.total)
        .set(JobField::RequestCompleted, batch.requestCounts.completed)
        .set(JobField::RequestFailed, batch.requestCounts.failed)
        .set(JobField::OutputFileId, nullableText(batch.outputFileId))
        .set(JobField::ErrorFileId, nullableText(batch.errorFileId));
    if (batch.expiresAtMs)
        changes.set(JobField::ProviderExpiresAt, *batch.expiresAtMs);

    JobStore jobs(m_database, m_clock);
    std::optional<JobStatus> target;
    QString message;
    if (batch.status == BatchStatus::Completed) {
        target = JobStatus::PendingProcessing;
        message = QStringLiteral("the provider completed batch %1 (%2 of %3 requests succeeded)")
                      .arg(batch.id)
                      .arg(batch.requestCounts.completed)
                      .arg(batch.requestCounts.total);
    } else if (batch.status == BatchStatus::Failed || batch.status == BatchStatus::Expired ||
               batch.status == BatchStatus::Cancelled) {
        target = JobStatus::SubmissionFailed;
        changes.set(JobField::ErrorDetails, failureDetails(batch));
        message = QStringLiteral("the provider batch %1 ended %2").arg(batch.id, providerStatus);
        if (!batch.outputFileId.isEmpty())
            message += QStringLiteral("; it has output that can be processed");
    }
    if (target) {
        auto outcome = jobs.transition({job.id, JobStatus::Submitted, *target, actor, message, changes, {}});
        if (!outcome)
            return outcome.error();
    } else if (auto updated = jobs.update(job.id, JobStatus::Submitted, changes); !updated) {
        return updated.error();
    }
    Q_EMIT jobChanged(job.id);
    return jobs.job(job.id);
}

QCoro::Task<Result<JobSnapshot>> BatchService::refresh(qint64 jobId, QString actor)
{
    JobStore jobs(m_database, m_clock);
    auto job = jobs.job(jobId);
    if (!job)
        co_return job.error();
    if (job->status != JobStatus::Submitted || job->llmBatchId.isEmpty())
        co_return *job;
    auto batch = co_await m_provider.getBatch(job->llmBatchId);
    if (!batch) {
        qCWarning(lcService) << "cannot refresh job" << jobId << batch.error().message;
        co_return Error(batch.error());
    }
    co_return applyProviderBatch(*job, *batch, actor);
}

QCoro::Task<Result<QJsonObject>> BatchService::status(QString runId, QString batchType, QString actor)
{
    auto job = findJob(runId, batchType);
    if (!job)
        co_return job.error();
    if (job->status == JobStatus::Submitted) {
        // Many sensors may poll one job: one of them per interval asks the provider, the rest read.
        auto claimed = JobStore(m_database, m_clock).claimProviderCheck(job->id, m_settings.statusIntervalMs);
        if (!claimed)
            co_return claimed.error();
        if (*claimed) {
            auto refreshed = co_await refresh(job->id, actor);
            if (refreshed)
                job = *refreshed;
            // Provider trouble is not the job's failure: answer from what we know.
        }
    }
    co_return statusBody(*job);
}

} // namespace batchdeck
