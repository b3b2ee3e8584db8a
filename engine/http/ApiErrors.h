#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include "core/Result.h"
#include "http/HttpMessage.h"

namespace batchdeck::http {

// The API's answers. Every error is {"error": {"code": "...", "message": "..."}}; the code is stable
// (scripts and DAGs match on it), the message is for people and never starts with a digit: Airflow's
// response_error_codes_allowlist matches the start of the message, so "503 ..." would be taken for a
// status code.

// The one mapping from engine errors (kind and code) to HTTP statuses: stable codes first
// (unknown_batch_type 404, submission_in_progress 409, nothing_to_submit 422, ...), then the kind
// (InvalidInput 400, NotFound 404, Conflict 409, Database 503, ProviderTransient 503,
// ProviderPermanent 502, anything else 500).
int httpStatusFor(const Error& error);

// Seconds a client should wait before trying again, or 0 when waiting does not help.
int retryAfterSecondsFor(const Error& error);

// The error's answer: status from httpStatusFor, code from the error (or one for its kind),
// Retry-After where it helps.
HttpResponse errorResponse(const Error& error);
HttpResponse errorResponse(int status, const QString& code, const QString& message);

HttpResponse jsonResponse(int status, const QJsonObject& body);

// Shorthand for the API's own refusals of a request.
Error invalidRequest(const QString& code, const QString& message);

} // namespace batchdeck::http
