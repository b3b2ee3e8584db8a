#pragma once

#include <optional>

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include "core/Result.h"

namespace batchdeck {

// The provider's batch status (reference §4). Unknown covers statuses a newer API may add: the raw
// text stays in ProviderBatch::statusText so nothing is lost.
enum class BatchStatus
{
    Unknown,
    Validating,
    InProgress,
    Finalizing,
    Completed,
    Failed,
    Expired,
    Cancelling,
    Cancelled,
};

// Case- and separator-insensitive: "in_progress", "InProgress" and Azure's "Validating" all parse.
BatchStatus batchStatusFromString(const QString& text);
// The canonical wire spelling ("in_progress"); "unknown" for Unknown.
QString batchStatusToString(BatchStatus status);
// completed, failed, expired, cancelled: the provider will not change the batch any more.
bool isTerminal(BatchStatus status);

// One entry of Batch.errors.data: why the batch as a whole failed (validation, token limit, ...).
struct BatchError
{
    QString code;
    QString message;
    QString param;              // empty when null
    std::optional<qint64> line; // 1-based input line, when the error is about one line
};

struct RequestCounts
{
    qint64 total = 0;
    qint64 completed = 0;
    qint64 failed = 0;
};

// Batch.usage, present on batches created after 2025-09.
struct BatchUsage
{
    qint64 inputTokens = 0;
    qint64 cachedTokens = 0; // input_tokens_details.cached_tokens
    qint64 outputTokens = 0;
    qint64 reasoningTokens = 0; // output_tokens_details.reasoning_tokens
    qint64 totalTokens = 0;
};

// A snapshot of the provider's Batch object. Every documented field is parsed; `raw` keeps the whole
// object so fields we do not know yet (Azure's input_blob, future additions) survive a round trip to
// the database. Times are UTC epoch milliseconds, as everywhere in Batchdeck; absent times are nullopt.
struct ProviderBatch
{
    QString id;
    QString object;           // "batch"
    QString endpoint;         // "/v1/chat/completions"; empty when null (Azure)
    QString model;            // resolved model; empty while validating
    QList<BatchError> errors; // empty when null
    QString inputFileId;
    QString completionWindow;
    BatchStatus status = BatchStatus::Unknown;
    QString statusText;   // as sent, e.g. "in_progress" or Azure's "Validating"
    QString outputFileId; // empty when missing, null or ""
    QString errorFileId;  // empty when missing, null or ""

    std::optional<qint64> createdAtMs;
    std::optional<qint64> inProgressAtMs;
    std::optional<qint64> expiresAtMs;
    std::optional<qint64> finalizingAtMs;
    std::optional<qint64> completedAtMs;
    std::optional<qint64> failedAtMs;
    std::optional<qint64> expiredAtMs;
    std::optional<qint64> cancellingAtMs;
    std::optional<qint64> cancelledAtMs;

    RequestCounts requestCounts;     // nulls read as 0
    std::optional<BatchUsage> usage; // nullopt when null or missing
    QMap<QString, QString> metadata; // non-string values (never sent by OpenAI) kept as compact JSON
    QJsonObject raw;

    bool isTerminal() const { return batchdeck::isTerminal(status); }

    // Fails only when the object has no id: anything else is tolerated and defaulted.
    static Result<ProviderBatch> fromJson(const QJsonObject& object);
};

} // namespace batchdeck
