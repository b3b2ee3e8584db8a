#pragma once

#include "http/ApiRoute.h"

namespace batchdeck::http {

// The job operations: the seed's three (submit, status, process) that Airflow drives, and the
// operator's retry and cancel. Each handler is a coroutine over BatchService: while one awaits the
// provider, the server answers other requests.
class PipelineRoutes
{
public:
    explicit PipelineRoutes(ApiContext& context);
    void registerRoutes(ApiRouter& router);

private:
    QCoro::Task<HttpResponse> submit(ApiRequest request);
    QCoro::Task<HttpResponse> status(ApiRequest request);
    QCoro::Task<HttpResponse> process(ApiRequest request);
    QCoro::Task<HttpResponse> retry(ApiRequest request);
    QCoro::Task<HttpResponse> cancel(ApiRequest request);

    ApiContext& m_context;
};

} // namespace batchdeck::http
