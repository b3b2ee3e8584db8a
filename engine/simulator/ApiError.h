#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include "http/HttpMessage.h"

namespace batchdeck::sim {

// Every non-2xx answer carries exactly {"error":{"message","type","param","code"}}, as OpenAI does.
QJsonObject errorEnvelope(const QString& message,
                          const QString& type,
                          const QJsonValue& param = QJsonValue::Null,
                          const QJsonValue& code = QJsonValue::Null);

// The envelope with the type OpenAI uses for the status (invalid_request_error, server_error, ...).
http::HttpResponse apiError(int status,
                            const QString& message,
                            const QJsonValue& param = QJsonValue::Null,
                            const QJsonValue& code = QJsonValue::Null);
http::HttpResponse
apiError(int status, const QString& message, const QString& type, const QJsonValue& param, const QJsonValue& code);

http::HttpResponse jsonResponse(int status, const QJsonObject& body);

// {object:"list", data, first_id, last_id, has_more}; first/last are null on an empty page.
QJsonObject listPage(const QJsonArray& data, bool hasMore);

QString errorTypeForStatus(int status);

} // namespace batchdeck::sim
