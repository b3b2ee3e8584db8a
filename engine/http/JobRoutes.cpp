#include "JobRoutes.h"

#include <limits>

#include <QJsonArray>

#include "core/Names.h"
#include "http/ApiErrors.h"
#include "service/BatchService.h"
#include "service/StatusBody.h"
#include "store/JobFeed.h"
#include "store/JobStore.h"
#include "store/ProviderBatchStore.h"

namespace batchdeck::http {

namespace {

// A job in lists: its row and the status body's derived fields, so a list and a status agree.
QJsonObject jobJson(const JobSnapshot& job)
{
    QJsonObject object = job.toJson();
    const QJsonObject status = statusBody(job);
    for (const char* key : {"llm_status", "terminal", "outcome"})
        object.insert(QLatin1String(key), status.value(QLatin1String(key)));
    return object;
}

bool matchesFilter(const JobFilter& filter, const JobSnapshot& job)
{
    return (!filter.status || job.status == *filter.status) && (filter.runId.isEmpty() || job.runId == filter.runId) &&
           (filter.batchType.isEmpty() || job.batchType == filter.batchType);
}

QJsonArray jobsJson(const QList<JobSnapshot>& jobs)
{
    QJsonArray array;
    for (const JobSnapshot& job : jobs)
        array.append(jobJson(job));
    return array;
}

} // namespace

JobRoutes::JobRoutes(ApiContext& context)
    : m_context(context)
{}

void JobRoutes::registerRoutes(ApiRouter& router)
{
    const QString tag = QStringLiteral("jobs");
    router.add(
        "GET",
        QStringLiteral("/jobs"),
        {.handler = [this](const ApiRequest& request) { return list(request); },
         .doc = {.summary = QStringLiteral(
                     "Jobs in the order they were created, filtered like the console's table (status, run_id, "
                     "batch_type) and paged "
                     "(limit, offset). With since (a cursor from an earlier answer) it is the change feed of live "
                     "views: the jobs changed since the cursor that match the filters (some seen before; compare), "
                     "removed_ids (jobs that changed and no longer match: drop them), a new cursor, and "
                     "full=true when every matching job is listed (then jobs missing from the answer are gone). "
                     "counts are over all jobs."),
                 .tag = tag,
                 .query = {{QStringLiteral("status"), QStringLiteral("string"), QStringLiteral("a job status")},
                           {QStringLiteral("run_id"), QStringLiteral("string"), QStringLiteral("one run")},
                           {QStringLiteral("batch_type"), QStringLiteral("string"), QStringLiteral("one batch type")},
                           {QStringLiteral("limit"), QStringLiteral("integer"), QStringLiteral("1-1000, default 100")},
                           {QStringLiteral("offset"), QStringLiteral("integer"), QStringLiteral("default 0")},
                           {QStringLiteral("since"), QStringLiteral("integer"), QStringLiteral("feed cursor; 0: all")},
                           {QStringLiteral("full"), QStringLiteral("boolean"), QStringLiteral("with since: all jobs")}},
                 .responseSchema = QStringLiteral("JobList"),
                 .errorStatuses = {503}}});
    router.add("GET",
               QStringLiteral("/pipeline/{run_id}/jobs"),
               {.handler = [this](const ApiRequest& request) { return runJobs(request); },
                .doc = {.summary = QStringLiteral("The run's jobs, one per batch type."),
                        .tag = tag,
                        .responseSchema = QStringLiteral("JobList"),
                        .errorStatuses = {503}}});
    router.add("GET",
               QStringLiteral("/pipeline/{run_id}/batch-jobs/{batch_type}"),
               {.handler = [this](const ApiRequest& request) { return detail(request); },
                .doc = {.summary = QStringLiteral("One job: its row, its status body, its history of transitions "
                                                  "and its provider batches (one per attempt and shard)."),
                        .tag = tag,
                        .responseSchema = QStringLiteral("JobDetail"),
                        .errorStatuses = {404, 503}}});
}

QCoro::Task<HttpResponse> JobRoutes::list(ApiRequest request)
{
    if (request.hasQuery(QStringLiteral("since")) || request.hasQuery(QStringLiteral("full")))
        co_return feed(request);
    if (auto checked = request.onlyQueryParameters({QStringLiteral("status"),
                                                    QStringLiteral("run_id"),
                                                    QStringLiteral("batch_type"),
                                                    QStringLiteral("limit"),
                                                    QStringLiteral("offset")});
        !checked)
        co_return errorResponse(checked.error());
    auto filter = jobFilter(request);
    if (!filter)
        co_return errorResponse(filter.error());
    auto limit = request.queryInteger(QStringLiteral("limit"), kDefaultLimit, 1, kMaxLimit);
    if (!limit)
        co_return errorResponse(limit.error());
    auto offset = request.queryInteger(QStringLiteral("offset"), 0, 0, 1'000'000'000);
    if (!offset)
        co_return errorResponse(offset.error());
    filter->limit = int(*limit) + 1; // one more tells whether there is a next page
    filter->offset = int(*offset);
    auto jobs = JobStore(m_context.service->database()).list(*filter);
    if (!jobs)
        co_return errorResponse(jobs.error());
    const bool more = jobs->size() > *limit;
    if (more)
        jobs->removeLast();
    co_return jsonResponse(200,
                           QJsonObject{{QStringLiteral("jobs"), jobsJson(*jobs)},
                                       {QStringLiteral("limit"), *limit},
                                       {QStringLiteral("offset"), *offset},
                                       {QStringLiteral("next_offset"),
                                        more ? QJsonValue(*offset + *limit) : QJsonValue(QJsonValue::Null)}});
}

Result<JobFilter> JobRoutes::jobFilter(const ApiRequest& request)
{
    JobFilter filter;
    if (request.hasQuery(QStringLiteral("status"))) {
        const QString name = request.query(QStringLiteral("status")).toUpper();
        filter.status = jobStatusFromString(name);
        if (!filter.status)
            return invalidRequest(
                QStringLiteral("invalid_parameter"),
                QStringLiteral("unknown status '%1' (one of PENDING_SUBMISSION, SUBMITTED, SUBMISSION_FAILED, "
                               "PENDING_PROCESSING, PROCESSING, COMPLETED)")
                    .arg(request.query(QStringLiteral("status"))));
    }
    if (request.hasQuery(QStringLiteral("run_id"))) {
        filter.runId = request.query(QStringLiteral("run_id"));
        if (auto valid = validateRunId(filter.runId); !valid)
            return invalidRequest(QStringLiteral("invalid_run_id"), valid.error().message);
    }
    if (request.hasQuery(QStringLiteral("batch_type"))) {
        filter.batchType = request.query(QStringLiteral("batch_type"));
        if (auto valid = validateBatchTypeName(filter.batchType); !valid)
            return invalidRequest(QStringLiteral("invalid_batch_type"), valid.error().message);
    }
    return filter;
}

HttpResponse JobRoutes::feed(const ApiRequest& request)
{
    if (auto checked = request.onlyQueryParameters({QStringLiteral("since"),
                                                    QStringLiteral("full"),
                                                    QStringLiteral("status"),
                                                    QStringLiteral("run_id"),
                                                    QStringLiteral("batch_type")});
        !checked)
        return errorResponse(checked.error());
    auto since = request.queryInteger(QStringLiteral("since"), 0, 0, std::numeric_limits<qint64>::max());
    if (!since)
        return errorResponse(since.error());
    auto full = request.queryBool(QStringLiteral("full"), false);
    if (!full)
        return errorResponse(full.error());
    auto filter = jobFilter(request);
    if (!filter)
        return errorResponse(filter.error());
    auto page = JobFeed(m_context.service->database()).read(*since, *full);
    if (!page)
        return errorResponse(page.error());
    // A filtered live view: a job that changed and no longer matches (its status moved on) leaves the
    // view, so its id is listed as removed; one the view never had is simply ignored by the reader.
    QList<JobSnapshot> matching;
    QJsonArray removedIds;
    for (const JobSnapshot& job : std::as_const(page->jobs)) {
        if (matchesFilter(*filter, job))
            matching.append(job);
        else if (!page->full)
            removedIds.append(job.id);
    }
    QJsonObject body{{QStringLiteral("jobs"), jobsJson(matching)},
                     {QStringLiteral("removed_ids"), removedIds},
                     {QStringLiteral("full"), page->full},
                     {QStringLiteral("cursor"), page->cursor}};
    if (page->counts) {
        QJsonObject counts;
        for (JobStatus status : allJobStatuses())
            counts.insert(statusName(status), page->counts->count(status));
        body.insert(QStringLiteral("counts"), counts);
    }
    return jsonResponse(200, body);
}

QCoro::Task<HttpResponse> JobRoutes::runJobs(ApiRequest request)
{
    if (auto checked = request.onlyQueryParameters({}); !checked)
        co_return errorResponse(checked.error());
    JobFilter filter;
    filter.runId = request.runId;
    auto jobs = JobStore(m_context.service->database()).list(filter);
    if (!jobs)
        co_return errorResponse(jobs.error());
    co_return jsonResponse(
        200, QJsonObject{{QStringLiteral("run_id"), request.runId}, {QStringLiteral("jobs"), jobsJson(*jobs)}});
}

QCoro::Task<HttpResponse> JobRoutes::detail(ApiRequest request)
{
    if (auto checked = request.onlyQueryParameters({}); !checked)
        co_return errorResponse(checked.error());
    const auto database = m_context.service->database();
    auto found = JobStore(database).find(request.runId, request.batchType);
    if (!found)
        co_return errorResponse(found.error());
    if (!found->has_value())
        co_return errorResponse(
            makeError(ErrorKind::NotFound,
                      QStringLiteral("job_not_found"),
                      QStringLiteral("no job for batch type '%1' in run %2").arg(request.batchType, request.runId)));
    const JobSnapshot& job = **found;
    auto events = JobStore(database).events(job.id);
    if (!events)
        co_return errorResponse(events.error());
    auto batches = ProviderBatchStore(database).forJob(job.id);
    if (!batches)
        co_return errorResponse(batches.error());
    QJsonArray eventArray;
    for (const JobEvent& event : std::as_const(*events))
        eventArray.append(event.toJson());
    QJsonArray batchArray;
    for (const ProviderBatchRecord& batch : std::as_const(*batches))
        batchArray.append(batch.toJson());
    QJsonObject body = jobJson(job);
    body.insert(QStringLiteral("status"), statusBody(job));
    body.insert(QStringLiteral("events"), eventArray);
    body.insert(QStringLiteral("provider_batches"), batchArray);
    co_return jsonResponse(200, body);
}

} // namespace batchdeck::http
