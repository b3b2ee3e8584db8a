#pragma once

#include "http/ApiRoute.h"

namespace batchdeck {
struct JobFilter;
}

namespace batchdeck::http {

// Reading jobs: the list with the console's filters and paging, the change feed behind live views
// (GET /jobs?since=), a run's jobs, and one job with its events and provider batches.
class JobRoutes
{
public:
    explicit JobRoutes(ApiContext& context);
    void registerRoutes(ApiRouter& router);

    static constexpr int kDefaultLimit = 100;
    static constexpr int kMaxLimit = 1000;

private:
    QCoro::Task<HttpResponse> list(ApiRequest request);
    QCoro::Task<HttpResponse> runJobs(ApiRequest request);
    QCoro::Task<HttpResponse> detail(ApiRequest request);
    HttpResponse feed(const ApiRequest& request);
    // status, run_id and batch_type from the query, validated.
    static Result<JobFilter> jobFilter(const ApiRequest& request);

    ApiContext& m_context;
};

} // namespace batchdeck::http
