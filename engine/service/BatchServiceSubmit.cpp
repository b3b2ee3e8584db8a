// BatchService::submit and what it needs (design.md, "submit").
#include <QFile>
#include <qcoro/qcorofuture.h>

#include "BatchService.h"
#include "core/Json.h"
#include "core/Logging.h"
#include "provider/BatchProvider.h"
#include "service/LeaseGuard.h"
#include "service/RequestFileCheck.h"
#include "service/RequestFileWriter.h"
#include "service/WorkPool.h"
#include "store/Database.h"
#include "store/JobStore.h"
#include "store/ProviderBatchStore.h"

namespace batchdeck {

namespace {

const QString kCreating = QStringLiteral("creating");
const QString kMetaJob = QStringLiteral("batchdeck_job_id");
const QString kMetaAttempt = QStringLiteral("batchdeck_attempt");
const QString kMetaRun = QStringLiteral("batchdeck_run_id");
const QString kMetaType = QStringLiteral("batchdeck_batch_type");

// A removed temporary file, however the submit ends.
struct RemoveOnExit
{
    QString path;
    ~RemoveOnExit() { QFile::remove(path); }
};

QString errorDetailsJson(const Error& error, bool retryable)
{
    QString code = error.code;
    if (code.isEmpty())
        code = error.kind == ErrorKind::ProviderTransient || error.kind == ErrorKind::ProviderPermanent
                   ? QStringLiteral("provider_error")
                   : QStringLiteral("submit_failed");
    return QString::fromUtf8(json::compact(QJsonObject{{QStringLiteral("code"), code},
                                                       {QStringLiteral("message"), error.message},
                                                       {QStringLiteral("retryable"), retryable}}));
}

} // namespace

Error BatchService::recordSubmitError(const JobSnapshot& job, const Error& error, const QString& actor)
{
    JobStore jobs(m_database, m_clock);
    if (error.kind == ErrorKind::ProviderPermanent) {
        // The provider refused for good: the job fails, and says why, until an operator retries it.
        JobUpdate changes;
        changes.set(JobField::ErrorDetails, errorDetailsJson(error, false))
            .clear(JobField::LeaseOwner)
            .clear(JobField::LeaseUntil);
        auto outcome = jobs.transition({job.id,
                                        JobStatus::PendingSubmission,
                                        JobStatus::SubmissionFailed,
                                        actor,
                                        QStringLiteral("the provider refused the batch: ") + error.message,
                                        changes,
                                        {}});
        if (!outcome)
            qCWarning(lcService) << "cannot record the failure of job" << job.id << outcome.error().message;
    } else {
        // Transient trouble or a problem of the input: the job stays PENDING_SUBMISSION, saying why.
        const bool retryable = error.kind == ErrorKind::ProviderTransient || error.kind == ErrorKind::Database;
        JobUpdate changes;
        changes.set(JobField::ErrorDetails, errorDetailsJson(error, retryable));
        if (auto updated = jobs.update(job.id, JobStatus::PendingSubmission, changes); !updated)
            qCWarning(lcService) << "cannot record the error of job" << job.id << updated.error().message;
    }
    Q_EMIT jobChanged(job.id);
    return error;
}

Result<JobSnapshot> BatchService::markSubmitted(const JobSnapshot& job,
                                                const ProviderBatch& batch,
                                                const QString& owner,
                                                const QString& actor,
                                                const QString& message)
{
    ProviderBatchRecord record;
    record.jobId = job.id;
    record.attempt = job.attempt;
    record.llmBatchId = batch.id;
    record.inputFileId = batch.inputFileId;
    record.providerStatus = batch.statusText.isEmpty() ? batchStatusToString(batch.status) : batch.statusText;
    record.requestTotal = batch.requestCounts.total;
    record.raw = batch.raw;
    if (auto saved = ProviderBatchStore(m_database, m_clock).save(record); !saved)
        return saved.error();

    JobUpdate changes;
    changes.set(JobField::LlmBatchId, batch.id)
        .set(JobField::InputFileId, batch.inputFileId)
        .set(JobField::ProviderStatus, record.providerStatus)
        .set(JobField::SubmittedAt, m_clock.nowMs())
        .set(JobField::ProviderExpiresAt,
             batch.expiresAtMs ? QVariant(*batch.expiresAtMs) : QVariant(QMetaType::fromType<qint64>()))
        .clear(JobField::ErrorDetails)
        .clear(JobField::LeaseOwner)
        .clear(JobField::LeaseUntil);
    JobStore jobs(m_database, m_clock);
    auto outcome =
        jobs.transition({job.id, JobStatus::PendingSubmission, JobStatus::Submitted, actor, message, changes, owner});
    if (!outcome)
        return outcome.error();
    if (!outcome->applied)
        return makeError(ErrorKind::Conflict,
                         QStringLiteral("submission_in_progress"),
                         QStringLiteral("the job's lease was lost while submitting; it is %1 now")
                             .arg(statusName(outcome->current)));
    Q_EMIT jobChanged(job.id);
    return jobs.job(job.id);
}

QCoro::Task<Result<std::optional<ProviderBatch>>> BatchService::findAdoptableBatch(JobSnapshot job)
{
    // Batches are listed newest first; one created before the job cannot be its batch.
    const qint64 oldest = job.createdAt - 60'000;
    std::optional<ProviderBatch> match;
    auto listed = co_await m_provider.listAllBatches(100, [&](const ProviderBatch& batch) {
        if (batch.metadata.value(kMetaJob) == QString::number(job.id) &&
            batch.metadata.value(kMetaAttempt) == QString::number(job.attempt) &&
            batch.metadata.value(kMetaRun) == job.runId && batch.metadata.value(kMetaType) == job.batchType) {
            match = batch;
            return false;
        }
        return !batch.createdAtMs || *batch.createdAtMs >= oldest;
    });
    if (!listed && !match)
        co_return Error(listed.error());
    co_return match;
}

QCoro::Task<Result<SubmitOutcome>> BatchService::submit(QString runId, QString batchType, QString actor)
{
    auto type = m_batchTypes.find(batchType);
    if (!type)
        co_return makeError(ErrorKind::NotFound, QStringLiteral("unknown_batch_type"), type.error().message);
    const BatchType rendered = *type;
    RequestSource render = [this, runId, rendered](const QString& path) {
        return RequestFileWriter(m_database, m_settings).write(runId, rendered, path);
    };
    co_return co_await submitRequests(runId, batchType, actor, render);
}

QCoro::Task<Result<SubmitOutcome>>
BatchService::submitFile(QString runId, QString batchType, QString requestFilePath, QString actor)
{
    auto type = m_batchTypes.find(batchType);
    if (!type)
        co_return makeError(ErrorKind::NotFound, QStringLiteral("unknown_batch_type"), type.error().message);
    const RequestFileLimits limits{m_settings.maxRequestsPerBatch, m_settings.maxBytesPerFile};
    const QString endpoint = endpointPath(type->endpoint);
    // Checked before the job exists: a bad file leaves no trace in the database and uploads nothing.
    auto checkFile = [requestFilePath, limits, endpoint, batchType](const QString& copyTo) -> Result<RequestFile> {
        auto report = checkRequestFile(requestFilePath, limits, 0, copyTo);
        if (!report)
            return report.error();
        if (report->ok() && report->url != endpoint)
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("invalid_request_file"),
                             QStringLiteral("%1: the requests go to %2, but batch type '%3' sends to %4")
                                 .arg(requestFilePath, report->url, batchType, endpoint));
        if (!report->ok())
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("invalid_request_file"),
                             QStringLiteral("%1 has %2 bad lines:\n%3")
                                 .arg(requestFilePath)
                                 .arg(report->problemCount)
                                 .arg(report->summary()));
        return RequestFile{copyTo, report->requests, report->bytes};
    };
    if (auto checked = checkFile(QString()); !checked)
        co_return checked.error();
    RequestSource copy = checkFile;
    co_return co_await submitRequests(runId, batchType, actor, copy);
}

QCoro::Task<Result<SubmitOutcome>>
BatchService::submitRequests(QString runId, QString batchType, QString actor, RequestSource writeRequests)
{
    JobStore jobs(m_database, m_clock);
    auto job = jobs.createOrGet(runId, batchType, actor);
    if (!job)
        co_return job.error();
    if (job->status == JobStatus::SubmissionFailed)
        co_return makeError(ErrorKind::Conflict,
                            QStringLiteral("job_failed"),
                            QStringLiteral("the job failed (%1); retry it to submit again")
                                .arg(job->errorDetails.value(QStringLiteral("message")).toString()));
    if (job->status != JobStatus::PendingSubmission)
        co_return SubmitOutcome{true, false, *job, 0};

    const QString owner = newLeaseOwner();
    auto leased = jobs.takeLease(job->id, owner, m_settings.submitLeaseMs);
    if (!leased)
        co_return leased.error();
    if (!*leased)
        co_return makeError(ErrorKind::Conflict,
                            QStringLiteral("submission_in_progress"),
                            QStringLiteral("another worker is submitting this job right now"));
    LeaseGuard lease(jobs, job->id, owner);
    // Another worker may have finished between our first look and the lease.
    job = jobs.job(job->id);
    if (!job)
        co_return job.error();
    if (job->status != JobStatus::PendingSubmission)
        co_return SubmitOutcome{true, false, *job, 0};

    ProviderBatchStore batches(m_database, m_clock);
    auto earlier = batches.find(job->id, job->attempt);
    if (!earlier)
        co_return earlier.error();
    if (earlier->has_value() && (*earlier)->providerStatus == kCreating) {
        // An earlier submit died between "create batch" and storing its answer: adopt, never duplicate.
        auto adoptable = co_await findAdoptableBatch(*job);
        if (!adoptable)
            co_return recordSubmitError(*job, adoptable.error(), actor);
        if (adoptable->has_value()) {
            auto submitted = markSubmitted(
                *job,
                **adoptable,
                owner,
                actor,
                QStringLiteral("adopted provider batch %1 of an interrupted submit").arg((*adoptable)->id));
            if (!submitted)
                co_return submitted.error();
            lease.dismiss();
            co_return SubmitOutcome{false, true, *submitted, 0};
        }
    }

    const QString requestPath =
        workPath(QStringLiteral("job-%1-attempt-%2-%3.jsonl").arg(job->id).arg(job->attempt).arg(owner.right(12)));
    RemoveOnExit removeRequests{requestPath};
    // Rendering reads every item of the run: on the work pool, so that this thread goes on answering.
    auto work = [writeRequests, requestPath] { return writeRequests(requestPath); };
    QFuture<Result<RequestFile>> writing = m_workPool->run(std::move(work));
    const std::shared_ptr<bool> alive = m_alive;
    Result<RequestFile> file = co_await writing;
    if (!*alive)
        co_return makeError(ErrorKind::Internal, QStringLiteral("the service ended while the requests were written"));
    if (!file)
        co_return recordSubmitError(*job, file.error(), actor);

    // "step:" lines mark how far an operation got; the fault campaign (tests/faults) kills at them.
    qCDebug(lcService) << "step: upload job" << job->id;
    // Named, not a braced temporary: g++ 12 mishandles temporaries bound to coroutine parameters.
    UploadFileRequest upload;
    upload.path = requestPath;
    upload.filename = QStringLiteral("%1-%2-attempt%3.jsonl").arg(batchType).arg(job->id).arg(job->attempt);
    auto uploaded = co_await m_provider.uploadFile(upload);
    if (!uploaded)
        co_return recordSubmitError(*job, uploaded.error(), actor);

    // The trace that lets a later submit adopt the batch if we die after creating it.
    ProviderBatchRecord creating;
    creating.jobId = job->id;
    creating.attempt = job->attempt;
    creating.inputFileId = uploaded->id;
    creating.providerStatus = kCreating;
    creating.requestTotal = file->requests;
    if (auto saved = batches.save(creating); !saved)
        co_return saved.error();

    CreateBatchRequest create;
    create.inputFileId = uploaded->id;
    auto type = m_batchTypes.find(batchType);
    if (!type)
        co_return makeError(ErrorKind::NotFound, QStringLiteral("unknown_batch_type"), type.error().message);
    create.endpoint = endpointPath(type->endpoint);
    create.metadata = {{kMetaJob, QString::number(job->id)},
                       {kMetaAttempt, QString::number(job->attempt)},
                       {kMetaRun, runId},
                       {kMetaType, batchType}};
    qCDebug(lcService) << "step: create job" << job->id;
    auto created = co_await m_provider.createBatch(create);
    if (!created)
        co_return recordSubmitError(*job, created.error(), actor);
    qCDebug(lcService) << "step: store-batch job" << job->id;

    auto submitted = markSubmitted(
        *job,
        *created,
        owner,
        actor,
        QStringLiteral("submitted %1 requests as provider batch %2").arg(file->requests).arg(created->id));
    if (!submitted)
        co_return submitted.error();
    lease.dismiss();
    qCInfo(lcService) << "submitted job" << job->id << runId << batchType << "as" << created->id << "with"
                      << file->requests << "requests";
    co_return SubmitOutcome{false, false, *submitted, file->requests};
}

} // namespace batchdeck
