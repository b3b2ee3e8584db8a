#include "MetaRoutes.h"

#include <QJsonArray>

#include "http/ApiErrors.h"
#include "http/ApiMetrics.h"
#include "http/OpenApiDocument.h"
#include "service/BatchService.h"
#include "store/Database.h"
#include "store/JobFeed.h"
#include "store/JobStore.h"

namespace batchdeck::http {

MetaRoutes::MetaRoutes(ApiContext& context)
    : m_context(context)
{}

void MetaRoutes::registerRoutes(ApiRouter& router)
{
    const QString tag = QStringLiteral("server");
    router.add("GET",
               QStringLiteral("/healthz"),
               {.handler = [this](const ApiRequest& request) { return health(request); },
                .doc = {.summary = QStringLiteral("Liveness and readiness, without the token: 200 once the database "
                                                  "is open and answers, 503 (with Retry-After) before or while not."),
                        .tag = tag,
                        .responseSchema = QStringLiteral("Health"),
                        .errorStatuses = {503}},
                .open = true,
                .needsEngine = false});
    router.add("GET",
               QStringLiteral("/metrics"),
               {.handler = [this](const ApiRequest& request) { return metrics(request); },
                .doc = {.summary = QStringLiteral("Prometheus metrics: jobs by status, results stored, provider calls "
                                                  "by outcome with latency, HTTP requests by route and code."),
                        .tag = tag,
                        .responseContentType = QStringLiteral("text/plain")},
                .needsEngine = false});
    router.add("GET",
               QStringLiteral("/openapi.json"),
               {.handler = [this](const ApiRequest& request) { return openApi(request); },
                .doc = {.summary = QStringLiteral("This API as an OpenAPI 3.0 document."),
                        .tag = tag,
                        .responseSchema = QStringLiteral("OpenApi")},
                .needsEngine = false});
    router.add("GET",
               QStringLiteral("/batch-types"),
               {.handler = [this](const ApiRequest& request) { return batchTypes(request); },
                .doc = {.summary = QStringLiteral("The batch types this server knows, as their definition files say."),
                        .tag = tag,
                        .responseSchema = QStringLiteral("BatchTypeList"),
                        .errorStatuses = {503}}});
}

QCoro::Task<HttpResponse> MetaRoutes::health(ApiRequest request)
{
    if (auto checked = request.onlyQueryParameters({}); !checked)
        co_return errorResponse(checked.error());
    if (!m_context.ready())
        co_return errorResponse(makeError(ErrorKind::Database,
                                          QStringLiteral("not_ready"),
                                          QStringLiteral("the server is starting: the database is not open yet")));
    auto version = m_context.service->database()->schemaVersion();
    if (!version)
        co_return errorResponse(
            makeError(ErrorKind::Database, QStringLiteral("database_unavailable"), version.error().message));
    co_return jsonResponse(200,
                           QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                                       {QStringLiteral("version"), QStringLiteral(BATCHDECK_VERSION)},
                                       {QStringLiteral("schema_version"), *version}});
}

QCoro::Task<HttpResponse> MetaRoutes::metrics(ApiRequest request)
{
    if (auto checked = request.onlyQueryParameters({}); !checked)
        co_return errorResponse(checked.error());
    ApiMetrics::StoreFigures figures;
    std::optional<StatusCounts> counts;
    if (m_context.ready()) {
        const auto database = m_context.service->database();
        auto byStatus = JobFeed(database).countsByStatus();
        auto jobs = JobStore(database).list();
        if (byStatus && jobs) {
            counts = *byStatus;
            figures.jobs = &*counts;
            for (const JobSnapshot& job : std::as_const(*jobs)) {
                figures.resultsSaved += job.resultsSaved;
                figures.resultErrors += job.resultErrors;
            }
        }
    }
    HttpResponse response;
    response.body = m_context.metrics->render(m_context.ready(), figures);
    response.setHeader("content-type", "text/plain; version=0.0.4; charset=utf-8");
    co_return response;
}

QCoro::Task<HttpResponse> MetaRoutes::openApi(ApiRequest request)
{
    if (auto checked = request.onlyQueryParameters({}); !checked)
        co_return errorResponse(checked.error());
    co_return jsonResponse(200, openApiDocument(*m_context.router));
}

QCoro::Task<HttpResponse> MetaRoutes::batchTypes(ApiRequest request)
{
    if (auto checked = request.onlyQueryParameters({}); !checked)
        co_return errorResponse(checked.error());
    QJsonArray types;
    const QList<BatchType> all = m_context.service->batchTypes().types();
    for (const BatchType& type : all) {
        QJsonObject object = type.toJson();
        object.insert(QStringLiteral("origin"), type.origin);
        types.append(object);
    }
    co_return jsonResponse(200, QJsonObject{{QStringLiteral("batch_types"), types}});
}

} // namespace batchdeck::http
