#pragma once

#include "http/ApiRoute.h"

namespace batchdeck::http {

// POST /pipeline/{run_id}/items: a run's input items as a JSON array (application/json) or JSONL
// (application/x-ndjson, application/jsonl), with the CLI import's rules (key field, one
// transaction, every bad record named). The import runs on a worker thread with its own database
// connection, so a large body does not hold up other requests.
class ItemRoutes
{
public:
    explicit ItemRoutes(ApiContext& context);
    void registerRoutes(ApiRouter& router);

private:
    QCoro::Task<HttpResponse> importItems(ApiRequest request);

    ApiContext& m_context;
};

} // namespace batchdeck::http
