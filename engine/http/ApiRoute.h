#pragma once

#include <functional>

#include <QJsonObject>
#include <QList>
#include <QString>
#include <qcoro/qcorotask.h>

#include "http/ApiRequest.h"
#include "http/HttpMessage.h"
#include "http/Router.h"

namespace batchdeck {
class BatchService;
}

namespace batchdeck::http {

class ApiMetrics;
class StatusCache;

// What a route says about itself, for /openapi.json.
struct RouteDoc
{
    struct Parameter
    {
        QString name;
        QString type; // "string", "integer", "boolean"
        QString description;
    };

    QString summary;
    QString tag;
    QList<Parameter> query;
    QString requestSchema;           // a component schema name, or empty for no body
    QStringList requestContentTypes; // default application/json
    QString responseSchema;          // component schema of the 200 answer
    QString responseContentType;     // default application/json
    QList<int> errorStatuses;        // besides 400/401 (every route may answer those)
};

// Handlers are member coroutines taking ApiRequest by value; the std::function passes an lvalue, which
// they copy. (g++ 12 miscompiles a coroutine parameter initialised from an xvalue or a temporary: the
// frame and the caller then both destroy it. Valgrind found it here.)
using ApiHandler = std::function<QCoro::Task<HttpResponse>(const ApiRequest&)>;

struct ApiRoute
{
    ApiHandler handler;
    RouteDoc doc;
    bool open = false;       // answered without the token (/healthz)
    bool needsEngine = true; // 503 not_ready until the database is open
};

using ApiRouter = Router<ApiRoute>;

// What route handlers work with, owned by the ApiServer. `service` is set once the engine is ready;
// routes with needsEngine are only called after that.
struct ApiContext
{
    BatchService* service = nullptr;
    ApiMetrics* metrics = nullptr;
    StatusCache* statusCache = nullptr;
    const ApiRouter* router = nullptr;

    bool ready() const { return service != nullptr; }
};

} // namespace batchdeck::http
