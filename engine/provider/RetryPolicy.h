#pragma once

#include <optional>

#include <QByteArray>
#include <QDateTime>

class QRandomGenerator;

namespace batchdeck {

// How one provider call retries (reference §11; the SDKs' rules, with our own bounds).
struct RetryPolicy
{
    int maxAttempts = 3;             // requests per call, first one included (SDK default: 1 + 2 retries)
    int backoffBaseMs = 500;         // ceiling of the first backoff; doubles per retry
    int backoffCapMs = 8'000;        // largest ceiling
    qint64 maxRetryAfterMs = 60'000; // a longer Retry-After ends the call: the caller reschedules instead
};

// What the response said about retrying, read from its headers.
struct RetryHints
{
    std::optional<qint64> retryAfterMs; // retry-after-ms, else Retry-After (seconds or HTTP date)
    std::optional<bool> shouldRetry;    // x-should-retry: true|false
};

// Parses the three retry headers. `now` resolves an HTTP-date Retry-After; a date in the past gives 0.
// Unparsable values are ignored, as if the header were absent.
RetryHints parseRetryHints(const QByteArray& retryAfterMsHeader,
                           const QByteArray& retryAfterHeader,
                           const QByteArray& shouldRetryHeader,
                           const QDateTime& now);

// Whether an HTTP status is worth another try on its own: 408, 409, 429 and 5xx.
bool isRetryableStatus(int httpStatus);
// Whether a failure without an HTTP status (QNetworkReply::NetworkError) is worth another try:
// connection, timeout, proxy and transient network errors, not unsupported protocols or bad URLs.
bool isRetryableNetworkError(int networkError);

// Exponential backoff with full jitter: the ceiling is min(cap, base * 2^retryIndex) (retryIndex 0 for
// the first retry), the wait a uniform draw in [0, ceiling]. Full jitter spreads many clients that hit
// the same 429 instead of bringing them back together.
qint64 backoffCeilingMs(const RetryPolicy& policy, int retryIndex);
qint64 backoffDelayMs(const RetryPolicy& policy, int retryIndex, QRandomGenerator& random);

// The decision after a failed attempt.
struct RetryDecision
{
    bool retryable = false; // the failure is transient (reported to the caller when no retry happens)
    bool retryNow = false;  // send the request again in this call
    qint64 delayMs = 0;     // wait before that
};

// attempt is 1-based (the attempt that just failed). httpStatus 0 means no HTTP answer.
RetryDecision decideRetry(const RetryPolicy& policy,
                          int attempt,
                          int httpStatus,
                          int networkError,
                          const RetryHints& hints,
                          QRandomGenerator& random);

} // namespace batchdeck
