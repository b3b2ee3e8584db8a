#pragma once

#include <QJsonObject>
#include <QString>

#include "core/Result.h"

namespace batchdeck::sim {

// Switches for trouble, changeable while the simulator runs (SimulatorServer::setFaults or
// POST /_sim/faults). All off by default.
struct SimulatorFaults
{
    double fail429Ratio = 0.0;             // share of /v1 requests answered 429 rate_limit_exceeded
    double fail500Ratio = 0.0;             // share of /v1 requests answered 500 server_error
    int retryAfterSeconds = 1;             // Retry-After (and retry-after-ms) on those 429s
    qint64 stallMs = 0;                    // every /v1 response waits this long before it goes out
    qint64 createDelayMs = 0;              // POST /v1/batches answers this much later (the batch exists at once)
    bool emptyStringFileIds = false;       // "" instead of null for output_file_id/error_file_id
    qint64 enqueuedTokenLimitPerModel = 0; // 0 = unlimited; over it a batch fails token_limit_exceeded

    // snake_case keys as in the admin endpoint: fail_429_ratio, fail_500_ratio, retry_after_seconds,
    // stall_ms, create_delay_ms, empty_string_file_ids, enqueued_token_limit_per_model.
    QJsonObject toJson() const;
    // Applies the keys present in `json` on top of *this; unknown keys and bad values are errors.
    Result<SimulatorFaults> merged(const QJsonObject& json) const;
};

struct SimulatorOptions
{
    qint64 phaseMs = 2000;                          // duration of validating, of in_progress and of finalizing each
    qint64 expiryMs = 24LL * 3600 * 1000;           // the completion window; expires_at = created_at + this
    QString stateDir;                               // empty: nothing survives the process
    QString apiKey;                                 // empty: any key (or none) is accepted
    quint64 seed = 1;                               // drives fault rolls and output shuffling
    qint64 maxBatchFileBytes = 200LL * 1024 * 1024; // "File is too large." above this for purpose=batch
    qint64 maxFileBytes = 512LL * 1024 * 1024;
    SimulatorFaults faults;
};

} // namespace batchdeck::sim
