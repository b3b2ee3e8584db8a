#include "JobSnapshot.h"

namespace batchdeck {

namespace {

QJsonValue textOrNull(const QString& text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonValue timeOrNull(qint64 ms)
{
    return ms == 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(ms);
}

} // namespace

QJsonObject JobSnapshot::toJson() const
{
    return QJsonObject{
        {QStringLiteral("job_id"), id},
        {QStringLiteral("run_id"), runId},
        {QStringLiteral("batch_type"), batchType},
        {QStringLiteral("job_status"), statusName(status)},
        {QStringLiteral("attempt"), attempt},
        {QStringLiteral("llm_batch_id"), textOrNull(llmBatchId)},
        {QStringLiteral("input_file_id"), textOrNull(inputFileId)},
        {QStringLiteral("output_file_id"), textOrNull(outputFileId)},
        {QStringLiteral("error_file_id"), textOrNull(errorFileId)},
        {QStringLiteral("provider_status"), textOrNull(providerStatus)},
        {QStringLiteral("provider_checked_at"), timeOrNull(providerCheckedAt)},
        {QStringLiteral("provider_expires_at"), timeOrNull(providerExpiresAt)},
        {QStringLiteral("request_counts"),
         QJsonObject{{QStringLiteral("total"), requestTotal},
                     {QStringLiteral("completed"), requestCompleted},
                     {QStringLiteral("failed"), requestFailed}}},
        {QStringLiteral("results_saved"), resultsSaved},
        {QStringLiteral("result_errors"), resultErrors},
        {QStringLiteral("error"), errorDetails.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(errorDetails)},
        {QStringLiteral("lease_owner"), textOrNull(leaseOwner)},
        {QStringLiteral("lease_until"), timeOrNull(leaseUntil)},
        {QStringLiteral("created_at"), createdAt},
        {QStringLiteral("updated_at"), updatedAt},
        {QStringLiteral("submitted_at"), timeOrNull(submittedAt)},
        {QStringLiteral("completed_at"), timeOrNull(completedAt)},
    };
}

QJsonObject JobEvent::toJson() const
{
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("job_id"), jobId},
        {QStringLiteral("at"), at},
        {QStringLiteral("from"), textOrNull(fromStatus)},
        {QStringLiteral("to"), toStatus},
        {QStringLiteral("actor"), actor},
        {QStringLiteral("message"), message},
    };
}

} // namespace batchdeck
