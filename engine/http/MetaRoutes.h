#pragma once

#include "http/ApiRoute.h"

namespace batchdeck::http {

// The server about itself: /healthz (no token; 200 once the database answers), /metrics
// (Prometheus text), /openapi.json (built from the routes themselves) and the batch types it knows.
class MetaRoutes
{
public:
    explicit MetaRoutes(ApiContext& context);
    void registerRoutes(ApiRouter& router);

private:
    QCoro::Task<HttpResponse> health(ApiRequest request);
    QCoro::Task<HttpResponse> metrics(ApiRequest request);
    QCoro::Task<HttpResponse> openApi(ApiRequest request);
    QCoro::Task<HttpResponse> batchTypes(ApiRequest request);

    ApiContext& m_context;
};

} // namespace batchdeck::http
