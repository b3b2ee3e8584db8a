#pragma once

#include <optional>

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include "simulator/ResponseGenerator.h"

namespace batchdeck::sim {

enum class BatchStatus
{
    Validating,
    Failed,
    InProgress,
    Finalizing,
    Completed,
    Expired,
    Cancelling,
    Cancelled,
};

QString toString(BatchStatus status);
std::optional<BatchStatus> batchStatusFromString(const QString& text);
bool isTerminal(BatchStatus status);

// Live progress of a batch at one moment: what request_counts and usage show.
struct BatchProgress
{
    int completed = 0;
    int failed = 0;
    LineUsage usage;
};

// Everything the simulator knows about one batch. Times are epoch milliseconds internally (the
// lifecycle runs in tens of milliseconds in tests); the API shows whole seconds.
struct BatchRecord
{
    QString id;
    QString endpoint;
    QString inputFileId;
    QString completionWindow;
    QJsonValue metadata; // object or null, as given
    std::optional<qint64> outputExpiresAfterSeconds;
    qint64 seq = 0; // creation order, for listing (created_at has only second resolution)

    // The schedule, fixed at creation so that option changes or restarts never rewrite history.
    qint64 phaseMs = 0;
    qint64 createdAtMs = 0;
    qint64 expiresAtMs = 0;

    BatchStatus status = BatchStatus::Validating;
    std::optional<qint64> inProgressAtMs;
    std::optional<qint64> finalizingAtMs;
    std::optional<qint64> completedAtMs;
    std::optional<qint64> failedAtMs;
    std::optional<qint64> expiredAtMs;
    std::optional<qint64> cancellingAtMs;
    std::optional<qint64> cancelledAtMs;

    QString model;     // empty until validation resolved it
    QJsonArray errors; // BatchError objects when the batch failed as a whole
    int total = 0;
    std::optional<int> executedLimit; // how many lines ran before cancel/expiry stopped the batch
    qint64 estimatedTokens = 0;       // what counts against the enqueued-token limit
    QString outputFileId;
    QString errorFileId;
    BatchProgress finalProgress; // frozen once the batch is terminal

    QJsonObject toApiJson(const BatchProgress& progress, bool emptyStringFileIds) const;
    QJsonObject toStorageJson() const;
    static std::optional<BatchRecord> fromStorageJson(const QJsonObject& json);
};

} // namespace batchdeck::sim
