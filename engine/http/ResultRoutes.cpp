#include "ResultRoutes.h"

#include <memory>

#include <QDir>
#include <QJsonArray>
#include <QTemporaryFile>
#include <QtConcurrent/QtConcurrentRun>
#include <qcoro/qcorofuture.h>

#include "core/Json.h"
#include "http/ApiErrors.h"
#include "service/BatchService.h"
#include "store/JobStore.h"
#include "store/ResultStore.h"

namespace batchdeck::http {

namespace {

Result<ResultFilter::Kind> kindFrom(const ApiRequest& request)
{
    const QString kind = request.query(QStringLiteral("kind"));
    if (kind.isEmpty() || kind == u"all")
        return ResultFilter::Kind::All;
    if (kind == u"ok")
        return ResultFilter::Kind::Successes;
    if (kind == u"errors")
        return ResultFilter::Kind::Errors;
    return invalidRequest(QStringLiteral("invalid_parameter"),
                          QStringLiteral("query parameter 'kind' must be all, ok or errors"));
}

// Writes every result of the job as JSONL into `file` (opened by the caller). Runs on a worker
// thread, which gets its own database connection from Database.
Status
exportJsonl(const std::shared_ptr<Database>& database, qint64 jobId, ResultFilter::Kind kind, QTemporaryFile* file)
{
    ResultFilter filter;
    filter.kind = kind;
    bool written = true;
    Status done = ResultStore(database).forEach(jobId, filter, [&](const BatchResult& result) {
        const QByteArray line = json::compact(result.toJson()) + '\n';
        written = file->write(line) == line.size();
        return written;
    });
    if (!done)
        return done;
    if (!written || !file->flush())
        return makeError(ErrorKind::Io, QStringLiteral("cannot write the results export: ") + file->errorString());
    return {};
}

} // namespace

ResultRoutes::ResultRoutes(ApiContext& context, QString spoolDir)
    : m_context(context)
    , m_spoolDir(std::move(spoolDir))
{}

void ResultRoutes::registerRoutes(ApiRouter& router)
{
    router.add(
        "GET",
        QStringLiteral("/pipeline/{run_id}/results/{batch_type}"),
        {.handler = [this](const ApiRequest& request) { return results(request); },
         .doc = {.summary = QStringLiteral("The job's results in custom_id order: a page of JSON, or all of them as "
                                           "JSONL with format=jsonl or Accept: application/x-ndjson."),
                 .tag = QStringLiteral("results"),
                 .query = {{QStringLiteral("limit"), QStringLiteral("integer"), QStringLiteral("1-1000, default 100")},
                           {QStringLiteral("offset"), QStringLiteral("integer"), QStringLiteral("default 0")},
                           {QStringLiteral("kind"), QStringLiteral("string"), QStringLiteral("all, ok or errors")},
                           {QStringLiteral("format"), QStringLiteral("string"), QStringLiteral("json or jsonl")}},
                 .responseSchema = QStringLiteral("ResultPage"),
                 .errorStatuses = {404, 503}}});
}

QCoro::Task<HttpResponse> ResultRoutes::results(ApiRequest request)
{
    const QStringList allowed{
        QStringLiteral("limit"), QStringLiteral("offset"), QStringLiteral("kind"), QStringLiteral("format")};
    if (auto checked = request.onlyQueryParameters(allowed); !checked)
        co_return errorResponse(checked.error());
    const QString format = request.query(QStringLiteral("format"));
    if (!format.isEmpty() && format != u"json" && format != u"jsonl")
        co_return errorResponse(invalidRequest(QStringLiteral("invalid_parameter"),
                                               QStringLiteral("query parameter 'format' must be json or jsonl")));
    const bool jsonl =
        format == u"jsonl" || (format.isEmpty() && (request.http.header("accept").contains("application/x-ndjson") ||
                                                    request.http.header("accept").contains("application/jsonl")));
    auto kind = kindFrom(request);
    if (!kind)
        co_return errorResponse(kind.error());
    auto limit = request.queryInteger(QStringLiteral("limit"), kDefaultLimit, 1, kMaxLimit);
    if (!limit)
        co_return errorResponse(limit.error());
    auto offset = request.queryInteger(QStringLiteral("offset"), 0, 0, 1'000'000'000);
    if (!offset)
        co_return errorResponse(offset.error());

    const std::shared_ptr<Database> database = m_context.service->database();
    auto found = JobStore(database).find(request.runId, request.batchType);
    if (!found)
        co_return errorResponse(found.error());
    if (!found->has_value())
        co_return errorResponse(
            makeError(ErrorKind::NotFound,
                      QStringLiteral("job_not_found"),
                      QStringLiteral("no job for batch type '%1' in run %2").arg(request.batchType, request.runId)));
    const qint64 jobId = (*found)->id;

    if (jsonl) {
        auto file = std::make_shared<QTemporaryFile>(QDir(m_spoolDir).filePath(QStringLiteral("results-XXXXXX.jsonl")));
        if (!file->open())
            co_return errorResponse(
                makeError(ErrorKind::Io, QStringLiteral("cannot create a temporary file: ") + file->errorString()));
        QTemporaryFile* target = file.get();
        const ResultFilter::Kind wanted = *kind;
        // Named closure and future: g++ 12 destroys temporaries of a co_await expression twice.
        const auto work = [database, jobId, wanted, target] { return exportJsonl(database, jobId, wanted, target); };
        QFuture<Status> future = QtConcurrent::run(work);
        const Status exported = co_await future;
        if (!exported)
            co_return errorResponse(exported.error());
        file->seek(0);
        HttpResponse response;
        response.setHeader("content-type", "application/x-ndjson");
        response.bodyDevice = file;
        co_return response;
    }

    ResultFilter filter;
    filter.kind = *kind;
    filter.limit = int(*limit) + 1;
    filter.offset = int(*offset);
    auto page = ResultStore(database).list(jobId, filter);
    if (!page)
        co_return errorResponse(page.error());
    const bool more = page->size() > *limit;
    if (more)
        page->removeLast();
    QJsonArray results;
    for (const BatchResult& result : std::as_const(*page))
        results.append(result.toJson());
    auto counts = ResultStore(database).counts(jobId);
    if (!counts)
        co_return errorResponse(counts.error());
    co_return jsonResponse(
        200,
        QJsonObject{{QStringLiteral("run_id"), request.runId},
                    {QStringLiteral("batch_type"), request.batchType},
                    {QStringLiteral("job_id"), jobId},
                    {QStringLiteral("total"), counts->saved},
                    {QStringLiteral("errors"), counts->errors},
                    {QStringLiteral("limit"), *limit},
                    {QStringLiteral("offset"), *offset},
                    {QStringLiteral("next_offset"), more ? QJsonValue(*offset + *limit) : QJsonValue(QJsonValue::Null)},
                    {QStringLiteral("results"), results}});
}

} // namespace batchdeck::http
