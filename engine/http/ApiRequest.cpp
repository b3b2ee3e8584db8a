#include "ApiRequest.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include "http/ApiErrors.h"
#include "http/BodyBuffer.h"

namespace batchdeck::http {

namespace {

constexpr qint64 kMaxJsonBodyBytes = 1024 * 1024;

} // namespace

Status ApiRequest::onlyQueryParameters(const QStringList& allowed) const
{
    const auto items = http.query.queryItems(QUrl::FullyDecoded);
    for (const auto& [name, value] : items) {
        if (!allowed.contains(name)) {
            const QString known = allowed.isEmpty() ? QStringLiteral("none") : allowed.join(QStringLiteral(", "));
            return invalidRequest(
                QStringLiteral("unknown_parameter"),
                QStringLiteral("unknown query parameter '%1' (this route takes: %2)").arg(name, known));
        }
    }
    return {};
}

bool ApiRequest::hasQuery(const QString& name) const
{
    return http.query.hasQueryItem(name);
}

QString ApiRequest::query(const QString& name) const
{
    return http.query.queryItemValue(name, QUrl::FullyDecoded);
}

Result<qint64> ApiRequest::queryInteger(const QString& name, qint64 fallback, qint64 min, qint64 max) const
{
    if (!hasQuery(name))
        return fallback;
    bool ok = false;
    const qint64 value = query(name).toLongLong(&ok);
    if (!ok || value < min || value > max)
        return invalidRequest(
            QStringLiteral("invalid_parameter"),
            QStringLiteral("query parameter '%1' must be an integer from %2 to %3").arg(name).arg(min).arg(max));
    return value;
}

Result<bool> ApiRequest::queryBool(const QString& name, bool fallback) const
{
    if (!hasQuery(name))
        return fallback;
    const QString value = query(name).toLower();
    if (value == u"true" || value == u"1" || value.isEmpty())
        return true;
    if (value == u"false" || value == u"0")
        return false;
    return invalidRequest(QStringLiteral("invalid_parameter"),
                          QStringLiteral("query parameter '%1' must be true or false").arg(name));
}

Result<QJsonObject> ApiRequest::jsonObject(const QStringList& allowed) const
{
    const qint64 size = http.body ? http.body->size() : 0;
    if (size == 0)
        return QJsonObject();
    const QByteArray contentType = http.header("content-type").toLower();
    if (!contentType.isEmpty() && !contentType.startsWith("application/json"))
        return makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("unsupported_media_type"),
            QStringLiteral("the body must be application/json, not %1").arg(QString::fromLatin1(contentType)));
    if (size > kMaxJsonBodyBytes)
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("body_too_large"),
                         QStringLiteral("a JSON body of this route may hold at most %1 bytes").arg(kMaxJsonBodyBytes));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(http.body->toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return invalidRequest(QStringLiteral("invalid_json"),
                              QStringLiteral("the body is not valid JSON: %1 at offset %2")
                                  .arg(parseError.errorString())
                                  .arg(parseError.offset));
    if (!document.isObject())
        return invalidRequest(QStringLiteral("invalid_json"), QStringLiteral("the body must be a JSON object"));
    const QJsonObject object = document.object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!allowed.contains(it.key())) {
            const QString known = allowed.isEmpty() ? QStringLiteral("none") : allowed.join(QStringLiteral(", "));
            return invalidRequest(
                QStringLiteral("unknown_field"),
                QStringLiteral("unknown field '%1' in the body (this route takes: %2)").arg(it.key(), known));
        }
    }
    return object;
}

} // namespace batchdeck::http
