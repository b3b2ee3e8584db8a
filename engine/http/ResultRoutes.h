#pragma once

#include <QString>

#include "http/ApiRoute.h"

namespace batchdeck::http {

// A job's results: a page of JSON, or every result as JSONL (format=jsonl or Accept:
// application/x-ndjson). The JSONL export runs on a worker thread with its own database connection
// and goes out from a temporary file, so a million results neither block other requests nor sit in
// memory.
class ResultRoutes
{
public:
    ResultRoutes(ApiContext& context, QString spoolDir);
    void registerRoutes(ApiRouter& router);

    static constexpr int kDefaultLimit = 100;
    static constexpr int kMaxLimit = 1000;

private:
    QCoro::Task<HttpResponse> results(ApiRequest request);

    ApiContext& m_context;
    QString m_spoolDir;
};

} // namespace batchdeck::http
