#include "RetryPolicy.h"

#include <algorithm>
#include <cmath>

#include <QLocale>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTimeZone>

namespace batchdeck {

using namespace Qt::StringLiterals;

namespace {

std::optional<qint64> parseMilliseconds(const QByteArray& header)
{
    bool ok = false;
    const double ms = header.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(ms) || ms < 0)
        return std::nullopt;
    return static_cast<qint64>(std::ceil(ms));
}

// RFC 9110 HTTP-date: the IMF-fixdate form, plus the obsolete RFC 850 and asctime forms. The weekday is
// dropped before parsing: it is redundant, and Qt rejects a date whose weekday does not match, which a
// two-digit RFC 850 year read as 19yy never does.
std::optional<QDateTime> parseHttpDate(const QByteArray& header)
{
    QString text = QString::fromLatin1(header).simplified();
    const qsizetype comma = text.indexOf(u',');
    if (comma >= 0)
        text = text.mid(comma + 1).trimmed();
    else
        text = text.section(u' ', 1); // asctime: "Sun Nov 6 08:49:37 1994"
    const QLocale c = QLocale::c();
    QDateTime when = c.toDateTime(text, u"dd MMM yyyy HH:mm:ss 'GMT'"_s);
    if (!when.isValid()) {
        // RFC 850's two-digit year: Qt reads it as 19yy; anything before 1970 means 20yy.
        when = c.toDateTime(text, u"dd-MMM-yy HH:mm:ss 'GMT'"_s);
        if (when.isValid() && when.date().year() < 1970)
            when = when.addYears(100);
    }
    if (!when.isValid())
        when = c.toDateTime(text, u"MMM d HH:mm:ss yyyy"_s);
    if (!when.isValid())
        return std::nullopt;
    return QDateTime(when.date(), when.time(), QTimeZone::utc());
}

std::optional<qint64> parseRetryAfter(const QByteArray& header, const QDateTime& now)
{
    const QByteArray trimmed = header.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double seconds = trimmed.toDouble(&ok);
    if (ok) {
        if (!std::isfinite(seconds) || seconds < 0)
            return std::nullopt;
        return static_cast<qint64>(std::ceil(seconds * 1000.0));
    }
    const std::optional<QDateTime> when = parseHttpDate(trimmed);
    if (!when)
        return std::nullopt;
    return std::max<qint64>(0, now.msecsTo(*when));
}

} // namespace

RetryHints parseRetryHints(const QByteArray& retryAfterMsHeader,
                           const QByteArray& retryAfterHeader,
                           const QByteArray& shouldRetryHeader,
                           const QDateTime& now)
{
    RetryHints hints;
    hints.retryAfterMs = parseMilliseconds(retryAfterMsHeader);
    if (!hints.retryAfterMs)
        hints.retryAfterMs = parseRetryAfter(retryAfterHeader, now);
    const QByteArray shouldRetry = shouldRetryHeader.trimmed().toLower();
    if (shouldRetry == "true")
        hints.shouldRetry = true;
    else if (shouldRetry == "false")
        hints.shouldRetry = false;
    return hints;
}

bool isRetryableStatus(int httpStatus)
{
    return httpStatus == 408 || httpStatus == 409 || httpStatus == 429 || httpStatus >= 500;
}

bool isRetryableNetworkError(int networkError)
{
    switch (static_cast<QNetworkReply::NetworkError>(networkError)) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // what a transfer timeout turns into
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProtocolFailure:
        return true;
    default:
        return false;
    }
}

qint64 backoffCeilingMs(const RetryPolicy& policy, int retryIndex)
{
    const qint64 base = std::max(0, policy.backoffBaseMs);
    const qint64 cap = std::max<qint64>(base, policy.backoffCapMs);
    // Shift at most 30 so a large retry index cannot overflow.
    const int shift = std::clamp(retryIndex, 0, 30);
    return std::min(cap, base << shift);
}

qint64 backoffDelayMs(const RetryPolicy& policy, int retryIndex, QRandomGenerator& random)
{
    const qint64 ceiling = backoffCeilingMs(policy, retryIndex);
    if (ceiling <= 0)
        return 0;
    return static_cast<qint64>(random.bounded(static_cast<quint64>(ceiling) + 1));
}

RetryDecision decideRetry(const RetryPolicy& policy,
                          int attempt,
                          int httpStatus,
                          int networkError,
                          const RetryHints& hints,
                          QRandomGenerator& random)
{
    RetryDecision decision;
    decision.retryable = httpStatus > 0 ? isRetryableStatus(httpStatus) : isRetryableNetworkError(networkError);
    // The server knows better than our status table (OpenAI sends x-should-retry on purpose).
    if (hints.shouldRetry)
        decision.retryable = *hints.shouldRetry;
    if (!decision.retryable || attempt >= policy.maxAttempts)
        return decision;

    if (hints.retryAfterMs) {
        // A long wait is better spent by the caller (the job stays pending and is tried on a later tick)
        // than by a coroutine holding the call open.
        if (*hints.retryAfterMs > policy.maxRetryAfterMs)
            return decision;
        decision.delayMs = *hints.retryAfterMs;
    } else {
        decision.delayMs = backoffDelayMs(policy, attempt - 1, random);
    }
    decision.retryNow = true;
    return decision;
}

} // namespace batchdeck
