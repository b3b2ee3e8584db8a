#include "ProviderError.h"

#include <QStringList>

namespace batchdeck {

using namespace Qt::StringLiterals;

namespace {
constexpr qsizetype kMinSecretLength = 6;
}

QString ProviderError::describe() const
{
    // Shape: "<operation> failed: <message> [type/code, param] (HTTP 429, request req_x, 3 attempts, retryable)"
    QString text = operation.isEmpty() ? u"Provider call failed"_s : operation + u" failed"_s;
    if (!message.isEmpty())
        text += u": "_s + message;

    QStringList tags;
    if (!type.isEmpty())
        tags << type;
    if (!code.isEmpty() && code != type)
        tags << code;
    if (!param.isEmpty())
        tags << u"param "_s + param;
    if (!tags.isEmpty())
        text += u" ["_s + tags.join(u", "_s) + u']';

    QStringList facts;
    if (httpStatus > 0)
        facts << u"HTTP "_s + QString::number(httpStatus);
    if (!requestId.isEmpty())
        facts << u"request "_s + requestId;
    if (attempts > 1)
        facts << QString::number(attempts) + u" attempts"_s;
    facts << (retryable ? u"retryable"_s : u"not retryable"_s);
    text += u" ("_s + facts.join(u", "_s) + u')';
    return text;
}

QString redactSecret(QString text, const QString& secret)
{
    if (secret.size() < kMinSecretLength)
        return text;
    text.replace(secret, u"[redacted]"_s);
    return text;
}

} // namespace batchdeck
