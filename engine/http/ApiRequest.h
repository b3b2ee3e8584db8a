#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include "core/Result.h"
#include "http/HttpMessage.h"

namespace batchdeck::http {

// One API request as a route handler sees it: the path parameters are decoded and checked already
// (run_id by validateRunId, batch_type by validateBatchTypeName), and the caller is authenticated.
struct ApiRequest
{
    HttpRequest http;
    QString route; // the matched pattern, e.g. "/pipeline/{run_id}/jobs"
    QStringList params;
    QString runId;     // when the route has {run_id}
    QString batchType; // when the route has {batch_type}
    QString actor;     // who, for the job's history ("api")

    // 400 unknown_parameter for a query parameter not in `allowed` (a typo must not be ignored).
    Status onlyQueryParameters(const QStringList& allowed) const;
    bool hasQuery(const QString& name) const;
    QString query(const QString& name) const; // percent-decoded
    // 400 invalid_parameter unless the parameter, when present, is an integer in [min, max].
    Result<qint64> queryInteger(const QString& name, qint64 fallback, qint64 min, qint64 max) const;
    Result<bool> queryBool(const QString& name, bool fallback) const;

    // The body as a JSON object whose fields are all in `allowed`. An empty body is an empty object.
    // 415 for a body that is declared as something else than JSON, 400 invalid_json naming the
    // problem (and its offset), 400 unknown_field.
    Result<QJsonObject> jsonObject(const QStringList& allowed) const;
};

} // namespace batchdeck::http
