#include "PipelineRoutes.h"

#include "http/ApiErrors.h"
#include "http/StatusCache.h"
#include "service/BatchService.h"
#include "service/StatusBody.h"
#include "store/JobStore.h"

namespace batchdeck::http {

namespace {

const QString kRunAndType = QStringLiteral("/pipeline/{run_id}/%1/{batch_type}");

Result<QString> reasonFrom(const ApiRequest& request)
{
    auto body = request.jsonObject({QStringLiteral("reason")});
    if (!body)
        return body.error();
    const QJsonValue reason = body->value(QStringLiteral("reason"));
    if (reason.isUndefined() || reason.isNull())
        return QString();
    if (!reason.isString())
        return invalidRequest(QStringLiteral("invalid_field"), QStringLiteral("'reason' must be a string"));
    if (reason.toString().size() > 1000)
        return invalidRequest(QStringLiteral("invalid_field"),
                              QStringLiteral("'reason' may hold at most 1000 characters"));
    return reason.toString();
}

} // namespace

PipelineRoutes::PipelineRoutes(ApiContext& context)
    : m_context(context)
{}

void PipelineRoutes::registerRoutes(ApiRouter& router)
{
    const QString tag = QStringLiteral("pipeline");
    router.add("POST",
               kRunAndType.arg(QStringLiteral("submit-batch")),
               {.handler = [this](const ApiRequest& request) { return submit(request); },
                .doc = {.summary = QStringLiteral(
                            "Render the run's items for the batch type, upload them and create a provider batch. A "
                            "job that was submitted already answers status skipped with its batch id, so a retried "
                            "Airflow task never makes a second batch."),
                        .tag = tag,
                        .responseSchema = QStringLiteral("SubmitOutcome"),
                        .errorStatuses = {404, 409, 422, 502, 503}}});
    router.add("GET",
               kRunAndType.arg(QStringLiteral("batch-job-status")),
               {.handler = [this](const ApiRequest& request) { return status(request); },
                .doc = {.summary = QStringLiteral(
                            "The job's status for an Airflow HttpSensor: 200 for every known job; read terminal and "
                            "llm_status. The provider is asked at most once per job every few seconds, however many "
                            "sensors poll."),
                        .tag = tag,
                        .responseSchema = QStringLiteral("JobStatus"),
                        .errorStatuses = {404, 503}}});
    router.add("POST",
               kRunAndType.arg(QStringLiteral("process-batch-results")),
               {.handler = [this](const ApiRequest& request) { return process(request); },
                .doc = {.summary = QStringLiteral(
                            "Download the completed batch's output and store every result. A processed job answers "
                            "status skipped with the same counts. With harvest, a batch that expired or was "
                            "cancelled gives what it finished."),
                        .tag = tag,
                        .requestSchema = QStringLiteral("ProcessRequest"),
                        .responseSchema = QStringLiteral("ProcessOutcome"),
                        .errorStatuses = {404, 409, 502, 503}}});
    router.add(
        "POST",
        kRunAndType.arg(QStringLiteral("retry-batch")),
        {.handler = [this](const ApiRequest& request) { return retry(request); },
         .doc = {.summary = QStringLiteral("Make a SUBMISSION_FAILED job ready to submit again, as a new attempt."),
                 .tag = tag,
                 .requestSchema = QStringLiteral("ReasonRequest"),
                 .responseSchema = QStringLiteral("JobStatus"),
                 .errorStatuses = {404, 409, 503}}});
    router.add("POST",
               kRunAndType.arg(QStringLiteral("cancel-batch")),
               {.handler = [this](const ApiRequest& request) { return cancel(request); },
                .doc = {.summary = QStringLiteral("Cancel the job: a SUBMITTED batch is cancelled at the provider, a "
                                                  "job not sent yet fails at once."),
                        .tag = tag,
                        .requestSchema = QStringLiteral("ReasonRequest"),
                        .responseSchema = QStringLiteral("JobStatus"),
                        .errorStatuses = {404, 409, 502, 503}}});
}

QCoro::Task<HttpResponse> PipelineRoutes::submit(ApiRequest request)
{
    if (auto checked = request.onlyQueryParameters({}); !checked)
        co_return errorResponse(checked.error());
    if (auto body = request.jsonObject({}); !body)
        co_return errorResponse(body.error());
    auto outcome = co_await m_context.service->submit(request.runId, request.batchType, request.actor);
    if (!outcome)
        co_return errorResponse(outcome.error());
    co_return jsonResponse(200, outcome->toJson());
}

QCoro::Task<HttpResponse> PipelineRoutes::status(ApiRequest request)
{
    if (auto checked = request.onlyQueryParameters({}); !checked)
        co_return errorResponse(checked.error());
    StatusCache& cache = *m_context.statusCache;
    if (const QByteArray cached = cache.find(request.runId, request.batchType); !cached.isNull()) {
        HttpResponse response;
        response.body = cached;
        response.setHeader("content-type", "application/json");
        co_return response;
    }
    const quint64 generation = cache.generation();
    auto body = co_await m_context.service->status(request.runId, request.batchType, request.actor);
    if (!body)
        co_return errorResponse(body.error());
    HttpResponse response = jsonResponse(200, *body);
    if (cache.enabled() && cache.generation() == generation) {
        // The job's id ties the entry to BatchService::jobChanged; one more read, once per ttl.
        auto job = JobStore(m_context.service->database()).find(request.runId, request.batchType);
        if (job && job->has_value())
            cache.store(request.runId, request.batchType, (*job)->id, response.body);
    }
    co_return response;
}

QCoro::Task<HttpResponse> PipelineRoutes::process(ApiRequest request)
{
    if (auto checked = request.onlyQueryParameters({}); !checked)
        co_return errorResponse(checked.error());
    auto body = request.jsonObject({QStringLiteral("harvest")});
    if (!body)
        co_return errorResponse(body.error());
    const QJsonValue harvest = body->value(QStringLiteral("harvest"));
    if (!harvest.isUndefined() && !harvest.isBool())
        co_return errorResponse(
            invalidRequest(QStringLiteral("invalid_field"), QStringLiteral("'harvest' must be true or false")));
    const bool harvesting = harvest.toBool(false);
    auto outcome = co_await m_context.service->process(request.runId, request.batchType, request.actor, harvesting);
    if (!outcome)
        co_return errorResponse(outcome.error());
    co_return jsonResponse(200, outcome->toJson());
}

QCoro::Task<HttpResponse> PipelineRoutes::retry(ApiRequest request)
{
    if (auto checked = request.onlyQueryParameters({}); !checked)
        co_return errorResponse(checked.error());
    auto reason = reasonFrom(request);
    if (!reason)
        co_return errorResponse(reason.error());
    auto job = m_context.service->retry(request.runId, request.batchType, request.actor, *reason);
    if (!job)
        co_return errorResponse(job.error());
    co_return jsonResponse(200, statusBody(*job));
}

QCoro::Task<HttpResponse> PipelineRoutes::cancel(ApiRequest request)
{
    if (auto checked = request.onlyQueryParameters({}); !checked)
        co_return errorResponse(checked.error());
    auto reason = reasonFrom(request);
    if (!reason)
        co_return errorResponse(reason.error());
    const QString why = *reason;
    auto job = co_await m_context.service->cancel(request.runId, request.batchType, request.actor, why);
    if (!job)
        co_return errorResponse(job.error());
    co_return jsonResponse(200, statusBody(*job));
}

} // namespace batchdeck::http
