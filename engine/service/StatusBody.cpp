#include "StatusBody.h"

namespace batchdeck {

namespace {

QJsonValue textOrNull(const QString& text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

} // namespace

QString llmStatusOf(const JobSnapshot& job)
{
    switch (job.status) {
    case JobStatus::PendingSubmission:
        return QStringLiteral("not_submitted");
    case JobStatus::Submitted:
        return QStringLiteral("in_progress");
    case JobStatus::SubmissionFailed:
        return QStringLiteral("failed");
    case JobStatus::PendingProcessing:
    case JobStatus::Processing:
    case JobStatus::Completed:
        return QStringLiteral("completed");
    }
    return QStringLiteral("in_progress");
}

QString outcomeOf(const JobSnapshot& job)
{
    switch (job.status) {
    case JobStatus::PendingSubmission:
    case JobStatus::Submitted:
        return QStringLiteral("pending");
    case JobStatus::SubmissionFailed:
        if (job.providerStatus == u"expired")
            return QStringLiteral("expired");
        if (job.providerStatus == u"cancelled")
            return QStringLiteral("cancelled");
        return QStringLiteral("failed");
    case JobStatus::PendingProcessing:
    case JobStatus::Processing:
    case JobStatus::Completed: {
        // Harvested output of an expired or cancelled batch, or some requests failed: partial.
        const bool harvested = job.providerStatus == u"expired" || job.providerStatus == u"cancelled";
        const bool someFailed = job.requestFailed > 0 || job.resultErrors > 0 ||
                                (job.requestTotal > 0 && job.requestCompleted < job.requestTotal);
        return harvested || someFailed ? QStringLiteral("partial") : QStringLiteral("success");
    }
    }
    return QStringLiteral("pending");
}

QJsonObject statusBody(const JobSnapshot& job)
{
    const QString llmStatus = llmStatusOf(job);
    QJsonValue provider(QJsonValue::Null);
    if (!job.llmBatchId.isEmpty()) {
        provider = QJsonObject{
            {QStringLiteral("batch_id"), job.llmBatchId},
            {QStringLiteral("status"), textOrNull(job.providerStatus)},
            {QStringLiteral("input_file_id"), textOrNull(job.inputFileId)},
            {QStringLiteral("output_file_id"), textOrNull(job.outputFileId)},
            {QStringLiteral("error_file_id"), textOrNull(job.errorFileId)},
            {QStringLiteral("expires_at"),
             job.providerExpiresAt == 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(job.providerExpiresAt)},
        };
    }
    QJsonValue error(QJsonValue::Null);
    if (!job.errorDetails.isEmpty()) {
        error = QJsonObject{
            {QStringLiteral("code"), job.errorDetails.value(QStringLiteral("code")).toString()},
            {QStringLiteral("message"), job.errorDetails.value(QStringLiteral("message")).toString()},
            {QStringLiteral("retryable"), job.errorDetails.value(QStringLiteral("retryable")).toBool()},
        };
    }
    return QJsonObject{
        {QStringLiteral("run_id"), job.runId},
        {QStringLiteral("batch_type"), job.batchType},
        {QStringLiteral("job_status"), statusName(job.status)},
        {QStringLiteral("llm_status"), llmStatus},
        {QStringLiteral("terminal"), llmStatus == u"completed" || llmStatus == u"failed"},
        {QStringLiteral("outcome"), outcomeOf(job)},
        {QStringLiteral("provider"), provider},
        {QStringLiteral("request_counts"),
         QJsonObject{{QStringLiteral("total"), job.requestTotal},
                     {QStringLiteral("completed"), job.requestCompleted},
                     {QStringLiteral("failed"), job.requestFailed}}},
        {QStringLiteral("attempt"), job.attempt},
        {QStringLiteral("error"), error},
        {QStringLiteral("updated_at"), job.updatedAt},
    };
}

} // namespace batchdeck
