#pragma once

#include <optional>
#include <utility>

#include <QString>

#include "core/Result.h"

namespace batchdeck {

// Everything the provider told us (or what the network did) about one failed call, after retries.
// The engine stores `code`/`message`/`retryable` with the job; the rest helps an operator open a
// ticket with the provider (x-request-id) or see why a call was given up on.
struct ProviderError
{
    QString operation;                  // "create batch", "upload file", ...
    int httpStatus = 0;                 // 0 when no HTTP answer came (network error, timeout)
    QString type;                       // error.type of the envelope, e.g. invalid_request_error
    QString code;                       // error.code, e.g. invalid_api_key; empty when null
    QString message;                    // error.message, or a description of the network failure
    QString param;                      // error.param; empty when null
    QString requestId;                  // x-request-id response header
    int networkError = 0;               // QNetworkReply::NetworkError, 0 when the HTTP exchange completed
    bool retryable = false;             // another try later may succeed (429, 5xx, 408, 409, network)
    int attempts = 0;                   // how many requests were sent for this call
    std::optional<qint64> retryAfterMs; // what the provider asked us to wait, when it said so

    ErrorKind kind() const { return retryable ? ErrorKind::ProviderTransient : ErrorKind::ProviderPermanent; }

    // One line for logs and for the engine's Error. Never starts with a status code: Airflow matches its
    // retry allowlist on the start of a message. Holds no key: every provider text is redacted on intake.
    QString describe() const;

    Error toError() const { return makeError(kind(), describe()); }
};

// Replaces each occurrence of `secret` in `text` (a provider may echo the key back in a 401 message,
// a proxy may put it in an HTML page). Short secrets are left alone: masking "a" would mangle the text,
// and a one-letter key is not worth hiding.
QString redactSecret(QString text, const QString& secret);

// A Result<T> that also keeps the typed ProviderError when the failure came from the provider. It is a
// Result<T>, so `Result<T> r = co_await provider.getBatch(id);` works and drops the details; callers that
// want the HTTP status or request id use providerError().
template <typename T> class [[nodiscard]] ProviderResult : public Result<T>
{
public:
    ProviderResult() = default; // an error; QCoro::waitFor needs default-constructible values
    ProviderResult(T value)
        : Result<T>(std::move(value))
    {}
    ProviderResult(ProviderError error)
        : Result<T>(error.toError())
        , m_providerError(std::move(error))
    {}
    // Failures found before anything was sent (bad input, unreadable file) carry no provider details.
    ProviderResult(Error error)
        : Result<T>(std::move(error))
    {}

    const std::optional<ProviderError>& providerError() const { return m_providerError; }

private:
    std::optional<ProviderError> m_providerError;
};

// Carries the failure of one result into a result of another type, details included.
template <typename T, typename U> ProviderResult<T> forwardFailure(const ProviderResult<U>& failed)
{
    if (failed.providerError())
        return *failed.providerError();
    return failed.error();
}

} // namespace batchdeck
