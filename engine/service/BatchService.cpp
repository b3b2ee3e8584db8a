#include "BatchService.h"

#include <QCoreApplication>
#include <QDir>
#include <QHostInfo>
#include <QUuid>

#include "core/Json.h"
#include "core/Logging.h"
#include "provider/BatchProvider.h"
#include "service/WorkPool.h"
#include "store/Database.h"
#include "store/JobStore.h"
#include "store/ProviderBatchStore.h"

namespace batchdeck {

QJsonObject SubmitOutcome::toJson() const
{
    return QJsonObject{
        {QStringLiteral("status"), skipped ? QStringLiteral("skipped") : QStringLiteral("submitted")},
        {QStringLiteral("adopted"), adopted},
        {QStringLiteral("llm_batch_id"),
         job.llmBatchId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(job.llmBatchId)},
        {QStringLiteral("job_id"), job.id},
        {QStringLiteral("run_id"), job.runId},
        {QStringLiteral("batch_type"), job.batchType},
        {QStringLiteral("job_status"), statusName(job.status)},
        {QStringLiteral("attempt"), job.attempt},
        {QStringLiteral("requests"), requests},
    };
}

QJsonObject ProcessOutcome::toJson() const
{
    return QJsonObject{
        {QStringLiteral("status"), skipped ? QStringLiteral("skipped") : QStringLiteral("processed")},
        {QStringLiteral("results_saved"), resultsSaved},
        {QStringLiteral("errors"), errors},
        {QStringLiteral("job_id"), job.id},
        {QStringLiteral("run_id"), job.runId},
        {QStringLiteral("batch_type"), job.batchType},
        {QStringLiteral("job_status"), statusName(job.status)},
        {QStringLiteral("attempt"), job.attempt},
    };
}

BatchService::BatchService(std::shared_ptr<Database> database,
                           const BatchTypeRegistry& batchTypes,
                           BatchProvider& provider,
                           ServiceSettings settings,
                           const Clock& clock,
                           QObject* parent)
    : QObject(parent)
    , m_database(std::move(database))
    , m_batchTypes(batchTypes)
    , m_provider(provider)
    , m_settings(std::move(settings))
    , m_clock(clock)
    , m_workPool(std::make_unique<WorkPool>(m_database))
{
    if (m_settings.workDir.isEmpty())
        m_settings.workDir = QDir::tempPath() + QStringLiteral("/batchdeck-work");
    QDir().mkpath(m_settings.workDir);
    if (m_settings.workerId.isEmpty())
        m_settings.workerId =
            QStringLiteral("%1:%2").arg(QHostInfo::localHostName()).arg(QCoreApplication::applicationPid());
}

BatchService::~BatchService()
{
    *m_alive = false;
}

bool BatchService::isWorking() const
{
    return m_workPool->busy();
}

Result<JobSnapshot> BatchService::findJob(const QString& runId, const QString& batchType) const
{
    auto job = JobStore(m_database, m_clock).find(runId, batchType);
    if (!job)
        return job.error();
    if (!job->has_value())
        return makeError(ErrorKind::NotFound,
                         QStringLiteral("job_not_found"),
                         QStringLiteral("no job for batch type '%1' in run %2").arg(batchType, runId));
    return job->value();
}

QString BatchService::newLeaseOwner() const
{
    // Unique per call, so two calls in one process are as exclusive as two processes.
    return m_settings.workerId + u':' + QUuid::createUuid().toString(QUuid::Id128).left(12);
}

QString BatchService::workPath(const QString& name) const
{
    return m_settings.workDir + u'/' + name;
}

Result<JobSnapshot>
BatchService::retry(const QString& runId, const QString& batchType, const QString& actor, const QString& reason)
{
    auto job = findJob(runId, batchType);
    if (!job)
        return job.error();
    if (job->status != JobStatus::SubmissionFailed)
        return makeError(
            ErrorKind::Conflict,
            QStringLiteral("job_not_retryable"),
            QStringLiteral("only a SUBMISSION_FAILED job can be retried; this one is %1").arg(statusName(job->status)));
    JobUpdate changes;
    const QVariant noText(QMetaType::fromType<QString>());
    changes.set(JobField::Attempt, job->attempt + 1)
        .set(JobField::LlmBatchId, noText)
        .set(JobField::InputFileId, noText)
        .set(JobField::OutputFileId, noText)
        .set(JobField::ErrorFileId, noText)
        .set(JobField::ProviderStatus, noText)
        .set(JobField::ProviderCheckedAt, QVariant(QMetaType::fromType<qint64>()))
        .set(JobField::ProviderExpiresAt, QVariant(QMetaType::fromType<qint64>()))
        .set(JobField::RequestTotal, 0)
        .set(JobField::RequestCompleted, 0)
        .set(JobField::RequestFailed, 0)
        .clear(JobField::ErrorDetails);
    const QString message = QStringLiteral("retry as attempt %1%2")
                                .arg(job->attempt + 1)
                                .arg(reason.isEmpty() ? QString() : QStringLiteral(": ") + reason);
    JobStore jobs(m_database, m_clock);
    auto outcome = jobs.transition(
        {job->id, JobStatus::SubmissionFailed, JobStatus::PendingSubmission, actor, message, changes, {}});
    if (!outcome)
        return outcome.error();
    if (!outcome->applied)
        return makeError(ErrorKind::Conflict,
                         QStringLiteral("job_not_retryable"),
                         QStringLiteral("the job changed meanwhile; it is %1 now").arg(statusName(outcome->current)));
    Q_EMIT jobChanged(job->id);
    return jobs.job(job->id);
}

QCoro::Task<Result<JobSnapshot>> BatchService::cancel(QString runId, QString batchType, QString actor, QString reason)
{
    auto job = findJob(runId, batchType);
    if (!job)
        co_return job.error();
    JobStore jobs(m_database, m_clock);
    const QString why = reason.isEmpty() ? QString() : QStringLiteral(": ") + reason;
    if (job->status == JobStatus::PendingSubmission) {
        JobUpdate changes;
        changes.set(
            JobField::ErrorDetails,
            QString::fromUtf8(json::compact(QJsonObject{
                {QStringLiteral("code"), QStringLiteral("cancelled")},
                {QStringLiteral("message"), QStringLiteral("cancelled by %1 before submission%2").arg(actor, why)},
                {QStringLiteral("retryable"), true}})));
        auto outcome = jobs.transition({job->id,
                                        JobStatus::PendingSubmission,
                                        JobStatus::SubmissionFailed,
                                        actor,
                                        QStringLiteral("cancelled before submission") + why,
                                        changes,
                                        {}});
        if (!outcome)
            co_return outcome.error();
        if (!outcome->applied)
            co_return makeError(
                ErrorKind::Conflict,
                QStringLiteral("job_not_cancellable"),
                QStringLiteral("the job changed meanwhile; it is %1 now").arg(statusName(outcome->current)));
        Q_EMIT jobChanged(job->id);
        co_return jobs.job(job->id);
    }
    if (job->status != JobStatus::Submitted)
        co_return makeError(
            ErrorKind::Conflict,
            QStringLiteral("job_not_cancellable"),
            QStringLiteral("only a PENDING_SUBMISSION or SUBMITTED job can be cancelled; this one is %1")
                .arg(statusName(job->status)));
    const QString batchId = job->llmBatchId;
    auto cancelled = co_await m_provider.cancelBatch(batchId);
    if (!cancelled) {
        // 409: the batch finished before the cancel arrived; the next status call will show how.
        if (cancelled.providerError() && cancelled.providerError()->httpStatus == 409)
            co_return makeError(ErrorKind::Conflict,
                                QStringLiteral("job_not_cancellable"),
                                QStringLiteral("the provider batch %1 has finished already").arg(batchId));
        co_return Error(cancelled.error());
    }
    if (auto recorded = jobs.recordEvent(
            job->id, JobStatus::Submitted, actor, QStringLiteral("cancel requested at the provider") + why);
        !recorded)
        co_return recorded.error();
    auto applied = applyProviderBatch(*job, *cancelled, actor);
    Q_EMIT jobChanged(job->id);
    co_return applied;
}

} // namespace batchdeck
