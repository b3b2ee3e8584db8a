#include "ProviderBatch.h"

#include <array>
#include <utility>

#include <QJsonArray>

#include "core/Json.h"
#include "provider/ProviderJson.h"

namespace batchdeck {

using namespace Qt::StringLiterals;
namespace pj = providerjson;

namespace {

constexpr std::array<std::pair<BatchStatus, QLatin1StringView>, 8> kStatusNames{{
    {BatchStatus::Validating, "validating"_L1},
    {BatchStatus::InProgress, "in_progress"_L1},
    {BatchStatus::Finalizing, "finalizing"_L1},
    {BatchStatus::Completed, "completed"_L1},
    {BatchStatus::Failed, "failed"_L1},
    {BatchStatus::Expired, "expired"_L1},
    {BatchStatus::Cancelling, "cancelling"_L1},
    {BatchStatus::Cancelled, "cancelled"_L1},
}};

// "In_Progress", "inProgress", "in-progress" and "IN PROGRESS" all become "inprogress".
QString normalisedStatus(const QString& text)
{
    QString key;
    key.reserve(text.size());
    for (const QChar c : text) {
        if (c.isLetter())
            key.append(c.toLower());
    }
    // British and American spellings both occur in compatible servers.
    key.replace(u"canceled"_s, u"cancelled"_s);
    key.replace(u"canceling"_s, u"cancelling"_s);
    return key;
}

QList<BatchError> parseErrors(const QJsonValue& value)
{
    // The spec shape is {object:"list", data:[...]}; tolerate a bare array from compatible servers.
    const QJsonArray entries = value.isArray() ? value.toArray() : value.toObject().value("data"_L1).toArray();
    QList<BatchError> errors;
    errors.reserve(entries.size());
    for (const QJsonValue& entry : entries) {
        const QJsonObject e = entry.toObject();
        errors.append(BatchError{pj::text(e, "code"_L1),
                                 pj::text(e, "message"_L1),
                                 pj::text(e, "param"_L1),
                                 pj::optionalInteger(e.value("line"_L1))});
    }
    return errors;
}

RequestCounts parseCounts(const QJsonObject& counts)
{
    return RequestCounts{pj::integer(counts.value("total"_L1)),
                         pj::integer(counts.value("completed"_L1)),
                         pj::integer(counts.value("failed"_L1))};
}

std::optional<BatchUsage> parseUsage(const QJsonValue& value)
{
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject usage = value.toObject();
    BatchUsage parsed;
    parsed.inputTokens = pj::integer(usage.value("input_tokens"_L1));
    parsed.cachedTokens = pj::integer(usage.value("input_tokens_details"_L1).toObject().value("cached_tokens"_L1));
    parsed.outputTokens = pj::integer(usage.value("output_tokens"_L1));
    parsed.reasoningTokens =
        pj::integer(usage.value("output_tokens_details"_L1).toObject().value("reasoning_tokens"_L1));
    parsed.totalTokens = pj::integer(usage.value("total_tokens"_L1), parsed.inputTokens + parsed.outputTokens);
    return parsed;
}

QMap<QString, QString> parseMetadata(const QJsonObject& metadata)
{
    QMap<QString, QString> map;
    for (auto it = metadata.begin(); it != metadata.end(); ++it) {
        const QJsonValue value = it.value();
        if (value.isString())
            map.insert(it.key(), value.toString());
        else if (value.isObject())
            map.insert(it.key(), QString::fromUtf8(json::compact(value.toObject())));
        else if (value.isArray())
            map.insert(it.key(), QString::fromUtf8(json::compact(value.toArray())));
        else if (value.isDouble())
            map.insert(it.key(), QString::number(value.toDouble()));
        else if (value.isBool())
            map.insert(it.key(), value.toBool() ? u"true"_s : u"false"_s);
        // null values mean "no value": dropped, as the provider would drop them.
    }
    return map;
}

} // namespace

BatchStatus batchStatusFromString(const QString& text)
{
    const QString key = normalisedStatus(text);
    for (const auto& [status, name] : kStatusNames) {
        if (key == normalisedStatus(QString(name)))
            return status;
    }
    return BatchStatus::Unknown;
}

QString batchStatusToString(BatchStatus status)
{
    for (const auto& [candidate, name] : kStatusNames) {
        if (candidate == status)
            return QString(name);
    }
    return u"unknown"_s;
}

bool isTerminal(BatchStatus status)
{
    switch (status) {
    case BatchStatus::Completed:
    case BatchStatus::Failed:
    case BatchStatus::Expired:
    case BatchStatus::Cancelled:
        return true;
    case BatchStatus::Unknown:
    case BatchStatus::Validating:
    case BatchStatus::InProgress:
    case BatchStatus::Finalizing:
    case BatchStatus::Cancelling:
        return false;
    }
    return false;
}

Result<ProviderBatch> ProviderBatch::fromJson(const QJsonObject& object)
{
    ProviderBatch batch;
    batch.id = pj::text(object, "id"_L1);
    if (batch.id.isEmpty())
        return makeError(ErrorKind::ProviderPermanent, u"The provider sent a batch object without an id"_s);

    batch.object = pj::text(object, "object"_L1);
    batch.endpoint = pj::text(object, "endpoint"_L1);
    batch.model = pj::text(object, "model"_L1);
    batch.errors = parseErrors(object.value("errors"_L1));
    batch.inputFileId = pj::text(object, "input_file_id"_L1);
    batch.completionWindow = pj::text(object, "completion_window"_L1);
    batch.statusText = pj::text(object, "status"_L1);
    batch.status = batchStatusFromString(batch.statusText);
    batch.outputFileId = pj::text(object, "output_file_id"_L1);
    batch.errorFileId = pj::text(object, "error_file_id"_L1);

    batch.createdAtMs = pj::epochMs(object.value("created_at"_L1));
    batch.inProgressAtMs = pj::epochMs(object.value("in_progress_at"_L1));
    batch.expiresAtMs = pj::epochMs(object.value("expires_at"_L1));
    batch.finalizingAtMs = pj::epochMs(object.value("finalizing_at"_L1));
    batch.completedAtMs = pj::epochMs(object.value("completed_at"_L1));
    batch.failedAtMs = pj::epochMs(object.value("failed_at"_L1));
    batch.expiredAtMs = pj::epochMs(object.value("expired_at"_L1));
    batch.cancellingAtMs = pj::epochMs(object.value("cancelling_at"_L1));
    batch.cancelledAtMs = pj::epochMs(object.value("cancelled_at"_L1));

    batch.requestCounts = parseCounts(object.value("request_counts"_L1).toObject());
    batch.usage = parseUsage(object.value("usage"_L1));
    batch.metadata = parseMetadata(object.value("metadata"_L1).toObject());
    batch.raw = object;
    return batch;
}

} // namespace batchdeck
