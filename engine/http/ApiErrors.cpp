#include "ApiErrors.h"

#include <QJsonDocument>

namespace batchdeck::http {

namespace {

QString defaultCode(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::InvalidInput:
        return QStringLiteral("invalid_input");
    case ErrorKind::NotFound:
        return QStringLiteral("not_found");
    case ErrorKind::Conflict:
        return QStringLiteral("conflict");
    case ErrorKind::Database:
        return QStringLiteral("database_unavailable");
    case ErrorKind::SchemaTooNew:
        return QStringLiteral("schema_too_new");
    case ErrorKind::ProviderTransient:
        return QStringLiteral("provider_unavailable");
    case ErrorKind::ProviderPermanent:
        return QStringLiteral("provider_error");
    case ErrorKind::Io:
        return QStringLiteral("io_error");
    case ErrorKind::Internal:
        break;
    }
    return QStringLiteral("internal_error");
}

// A message that starts with a digit ("429 Too Many Requests from the provider") would look like a
// status code to Airflow's allowlist: say whose message it is first.
QString safeMessage(const QString& message, const QString& code)
{
    if (message.isEmpty())
        return code;
    if (message.front().isDigit())
        return code + QStringLiteral(": ") + message;
    return message;
}

} // namespace

int httpStatusFor(const Error& error)
{
    const QString& code = error.code;
    if (code == u"unknown_batch_type" || code == u"job_not_found" || code == u"run_not_found" ||
        code == u"route_not_found")
        return 404;
    if (code == u"submission_in_progress" || code == u"job_not_ready" || code == u"job_failed" ||
        code == u"job_not_retryable" || code == u"job_not_cancellable")
        return 409;
    if (code == u"nothing_to_submit" || code == u"render_failed" || code == u"over_provider_limit")
        return 422;
    if (code == u"unauthorized" || code == u"missing_token" || code == u"invalid_token")
        return 401;
    if (code == u"method_not_allowed")
        return 405;
    if (code == u"body_too_large")
        return 413;
    if (code == u"unsupported_media_type")
        return 415;
    if (code == u"not_ready")
        return 503;
    switch (error.kind) {
    case ErrorKind::InvalidInput:
        return 400;
    case ErrorKind::NotFound:
        return 404;
    case ErrorKind::Conflict:
        return 409;
    case ErrorKind::Database:
    case ErrorKind::ProviderTransient:
        return 503;
    case ErrorKind::ProviderPermanent:
        return 502;
    case ErrorKind::SchemaTooNew:
    case ErrorKind::Io:
    case ErrorKind::Internal:
        break;
    }
    return 500;
}

int retryAfterSecondsFor(const Error& error)
{
    if (error.code == u"submission_in_progress")
        return 5; // another caller holds the submit lease for seconds, rarely minutes
    if (error.code == u"not_ready")
        return 2;
    switch (error.kind) {
    case ErrorKind::Database:
        return 5;
    case ErrorKind::ProviderTransient:
        return 30;
    default:
        return 0;
    }
}

HttpResponse errorResponse(int status, const QString& code, const QString& message)
{
    return jsonResponse(status,
                        QJsonObject{{QStringLiteral("error"),
                                     QJsonObject{{QStringLiteral("code"), code},
                                                 {QStringLiteral("message"), safeMessage(message, code)}}}});
}

HttpResponse errorResponse(const Error& error)
{
    const QString code = error.code.isEmpty() ? defaultCode(error.kind) : error.code;
    HttpResponse response = errorResponse(httpStatusFor(error), code, error.message);
    if (const int seconds = retryAfterSecondsFor(error); seconds > 0)
        response.setHeader("retry-after", QByteArray::number(seconds));
    return response;
}

HttpResponse jsonResponse(int status, const QJsonObject& body)
{
    HttpResponse response;
    response.status = status;
    response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    response.body += '\n';
    response.setHeader("content-type", "application/json");
    return response;
}

Error invalidRequest(const QString& code, const QString& message)
{
    return makeError(ErrorKind::InvalidInput, code, message);
}

} // namespace batchdeck::http
