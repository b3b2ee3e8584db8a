#include "BatchRecord.h"

#include "simulator/SimClock.h"

namespace batchdeck::sim {

using namespace Qt::StringLiterals;

namespace {

struct StatusName
{
    BatchStatus status;
    const char16_t* name;
};

constexpr StatusName kStatusNames[] = {{BatchStatus::Validating, u"validating"},
                                       {BatchStatus::Failed, u"failed"},
                                       {BatchStatus::InProgress, u"in_progress"},
                                       {BatchStatus::Finalizing, u"finalizing"},
                                       {BatchStatus::Completed, u"completed"},
                                       {BatchStatus::Expired, u"expired"},
                                       {BatchStatus::Cancelling, u"cancelling"},
                                       {BatchStatus::Cancelled, u"cancelled"}};

QJsonValue seconds(const std::optional<qint64>& ms)
{
    return ms ? QJsonValue(toSeconds(*ms)) : QJsonValue();
}

QJsonValue millis(const std::optional<qint64>& ms)
{
    return ms ? QJsonValue(*ms) : QJsonValue();
}

std::optional<qint64> optionalMillis(const QJsonValue& value)
{
    return value.isDouble() ? std::optional<qint64>(value.toInteger()) : std::nullopt;
}

} // namespace

QString toString(BatchStatus status)
{
    for (const StatusName& entry : kStatusNames) {
        if (entry.status == status)
            return QString::fromUtf16(entry.name);
    }
    return {};
}

std::optional<BatchStatus> batchStatusFromString(const QString& text)
{
    for (const StatusName& entry : kStatusNames) {
        if (text == QStringView(entry.name))
            return entry.status;
    }
    return std::nullopt;
}

bool isTerminal(BatchStatus status)
{
    return status == BatchStatus::Failed || status == BatchStatus::Completed || status == BatchStatus::Expired ||
           status == BatchStatus::Cancelled;
}

QJsonObject BatchRecord::toApiJson(const BatchProgress& progress, bool emptyStringFileIds) const
{
    const auto fileId = [emptyStringFileIds](const QString& id) {
        if (!id.isEmpty())
            return QJsonValue(id);
        return emptyStringFileIds ? QJsonValue(u""_s) : QJsonValue();
    };
    return QJsonObject{
        {u"id"_s, id},
        {u"object"_s, u"batch"_s},
        {u"endpoint"_s, endpoint},
        {u"model"_s, model.isEmpty() ? QJsonValue() : QJsonValue(model)},
        {u"errors"_s, errors.isEmpty() ? QJsonValue() : QJsonObject{{u"object"_s, u"list"_s}, {u"data"_s, errors}}},
        {u"input_file_id"_s, inputFileId},
        {u"completion_window"_s, completionWindow},
        {u"status"_s, toString(status)},
        {u"output_file_id"_s, fileId(outputFileId)},
        {u"error_file_id"_s, fileId(errorFileId)},
        {u"created_at"_s, toSeconds(createdAtMs)},
        {u"in_progress_at"_s, seconds(inProgressAtMs)},
        {u"expires_at"_s, toSeconds(expiresAtMs)},
        {u"finalizing_at"_s, seconds(finalizingAtMs)},
        {u"completed_at"_s, seconds(completedAtMs)},
        {u"failed_at"_s, seconds(failedAtMs)},
        {u"expired_at"_s, seconds(expiredAtMs)},
        {u"cancelling_at"_s, seconds(cancellingAtMs)},
        {u"cancelled_at"_s, seconds(cancelledAtMs)},
        {u"request_counts"_s,
         QJsonObject{{u"total"_s, total}, {u"completed"_s, progress.completed}, {u"failed"_s, progress.failed}}},
        {u"usage"_s, progress.usage.toBatchUsageJson()},
        {u"metadata"_s, metadata}};
}

QJsonObject BatchRecord::toStorageJson() const
{
    return QJsonObject{{u"id"_s, id},
                       {u"endpoint"_s, endpoint},
                       {u"input_file_id"_s, inputFileId},
                       {u"completion_window"_s, completionWindow},
                       {u"metadata"_s, metadata},
                       {u"output_expires_after_seconds"_s, millis(outputExpiresAfterSeconds)},
                       {u"seq"_s, seq},
                       {u"phase_ms"_s, phaseMs},
                       {u"created_at_ms"_s, createdAtMs},
                       {u"expires_at_ms"_s, expiresAtMs},
                       {u"status"_s, toString(status)},
                       {u"in_progress_at_ms"_s, millis(inProgressAtMs)},
                       {u"finalizing_at_ms"_s, millis(finalizingAtMs)},
                       {u"completed_at_ms"_s, millis(completedAtMs)},
                       {u"failed_at_ms"_s, millis(failedAtMs)},
                       {u"expired_at_ms"_s, millis(expiredAtMs)},
                       {u"cancelling_at_ms"_s, millis(cancellingAtMs)},
                       {u"cancelled_at_ms"_s, millis(cancelledAtMs)},
                       {u"model"_s, model},
                       {u"errors"_s, errors},
                       {u"total"_s, total},
                       {u"executed_limit"_s, executedLimit ? QJsonValue(*executedLimit) : QJsonValue()},
                       {u"estimated_tokens"_s, estimatedTokens},
                       {u"output_file_id"_s, outputFileId},
                       {u"error_file_id"_s, errorFileId},
                       {u"final_completed"_s, finalProgress.completed},
                       {u"final_failed"_s, finalProgress.failed},
                       {u"final_usage"_s, finalProgress.usage.toBatchUsageJson()}};
}

std::optional<BatchRecord> BatchRecord::fromStorageJson(const QJsonObject& json)
{
    BatchRecord record;
    record.id = json.value(u"id").toString();
    const std::optional<BatchStatus> status = batchStatusFromString(json.value(u"status").toString());
    if (record.id.isEmpty() || !status)
        return std::nullopt;
    record.status = *status;
    record.endpoint = json.value(u"endpoint").toString();
    record.inputFileId = json.value(u"input_file_id").toString();
    record.completionWindow = json.value(u"completion_window").toString();
    record.metadata = json.value(u"metadata");
    record.outputExpiresAfterSeconds = optionalMillis(json.value(u"output_expires_after_seconds"));
    record.seq = json.value(u"seq").toInteger();
    record.phaseMs = json.value(u"phase_ms").toInteger();
    record.createdAtMs = json.value(u"created_at_ms").toInteger();
    record.expiresAtMs = json.value(u"expires_at_ms").toInteger();
    record.inProgressAtMs = optionalMillis(json.value(u"in_progress_at_ms"));
    record.finalizingAtMs = optionalMillis(json.value(u"finalizing_at_ms"));
    record.completedAtMs = optionalMillis(json.value(u"completed_at_ms"));
    record.failedAtMs = optionalMillis(json.value(u"failed_at_ms"));
    record.expiredAtMs = optionalMillis(json.value(u"expired_at_ms"));
    record.cancellingAtMs = optionalMillis(json.value(u"cancelling_at_ms"));
    record.cancelledAtMs = optionalMillis(json.value(u"cancelled_at_ms"));
    record.model = json.value(u"model").toString();
    record.errors = json.value(u"errors").toArray();
    record.total = json.value(u"total").toInt();
    if (json.value(u"executed_limit").isDouble())
        record.executedLimit = json.value(u"executed_limit").toInt();
    record.estimatedTokens = json.value(u"estimated_tokens").toInteger();
    record.outputFileId = json.value(u"output_file_id").toString();
    record.errorFileId = json.value(u"error_file_id").toString();
    record.finalProgress.completed = json.value(u"final_completed").toInt();
    record.finalProgress.failed = json.value(u"final_failed").toInt();
    record.finalProgress.usage = LineUsage::fromResponseBody(QJsonObject{{u"usage"_s, json.value(u"final_usage")}});
    return record;
}

} // namespace batchdeck::sim
