#include "ApiError.h"

#include <QJsonDocument>

namespace batchdeck::sim {

using namespace Qt::StringLiterals;
using http::HttpResponse;

QJsonObject errorEnvelope(const QString& message, const QString& type, const QJsonValue& param, const QJsonValue& code)
{
    return QJsonObject{
        {u"error"_s, QJsonObject{{u"message"_s, message}, {u"type"_s, type}, {u"param"_s, param}, {u"code"_s, code}}}};
}

QString errorTypeForStatus(int status)
{
    if (status == 401)
        return QStringLiteral("invalid_request_error");
    if (status == 403)
        return QStringLiteral("permission_error");
    if (status == 429)
        return QStringLiteral("rate_limit_exceeded");
    if (status >= 500)
        return QStringLiteral("server_error");
    return QStringLiteral("invalid_request_error");
}

HttpResponse apiError(int status, const QString& message, const QJsonValue& param, const QJsonValue& code)
{
    return apiError(status, message, errorTypeForStatus(status), param, code);
}

HttpResponse
apiError(int status, const QString& message, const QString& type, const QJsonValue& param, const QJsonValue& code)
{
    return jsonResponse(status, errorEnvelope(message, type, param, code));
}

HttpResponse jsonResponse(int status, const QJsonObject& body)
{
    HttpResponse response;
    response.status = status;
    response.body = QJsonDocument(body).toJson(QJsonDocument::Indented);
    response.setHeader("content-type", "application/json");
    return response;
}

QJsonObject listPage(const QJsonArray& data, bool hasMore)
{
    const QJsonValue firstId = data.isEmpty() ? QJsonValue() : data.first().toObject().value(u"id");
    const QJsonValue lastId = data.isEmpty() ? QJsonValue() : data.last().toObject().value(u"id");
    return QJsonObject{{u"object"_s, u"list"_s},
                       {u"data"_s, data},
                       {u"first_id"_s, firstId},
                       {u"last_id"_s, lastId},
                       {u"has_more"_s, hasMore}};
}

} // namespace batchdeck::sim
