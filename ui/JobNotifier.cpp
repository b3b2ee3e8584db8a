#include "JobNotifier.h"

#include <QLocale>

#include "TimeText.h"

namespace batchdeck {

namespace {

qint64 requestsDone(const JobSnapshot& job)
{
    return job.requestCompleted + job.requestFailed;
}

JobNotice noticeFor(const JobSnapshot& job, JobNotice::Kind kind, QString detail)
{
    JobNotice notice;
    notice.kind = kind;
    notice.jobId = job.id;
    notice.attempt = job.attempt;
    notice.runId = job.runId;
    notice.batchType = job.batchType;
    notice.detail = std::move(detail);
    return notice;
}

QString errorMessage(const JobSnapshot& job)
{
    const QString message = job.errorDetails.value(QStringLiteral("message")).toString();
    return message.isEmpty() ? job.providerStatus : message;
}

bool leaseExpired(const JobSnapshot& job, qint64 now)
{
    return !job.leaseOwner.isEmpty() && job.leaseUntil > 0 && job.leaseUntil < now;
}

} // namespace

JobNotifier::JobNotifier(QObject* parent)
    : QObject(parent)
{}

void JobNotifier::onPolled(const PollResult& result)
{
    const qint64 now = result.polledAt;
    QList<JobNotice> notices;
    for (const JobSnapshot& job : result.jobs)
        track(job, now, notices);
    for (qint64 id : result.removedIds)
        m_jobs.remove(id);
    // The first read of a large store comes in parts; it is the starting point once all are in.
    if (!m_started && result.partial)
        return;
    m_started = true;
    checkStuck(now, notices);
    if (!notices.isEmpty())
        Q_EMIT noticesRaised(notices);
}

void JobNotifier::track(const JobSnapshot& job, qint64 now, QList<JobNotice>& notices)
{
    auto found = m_jobs.find(job.id);
    if (found == m_jobs.end()) {
        // A job seen for the first time has been where it is since its last update.
        Tracked tracked{job, job.updatedAt > 0 ? std::min(job.updatedAt, now) : now, false};
        found = m_jobs.insert(job.id, tracked);
        if (!m_started)
            return;
    } else {
        const JobSnapshot& before = found->job;
        if (before.providerStatus != job.providerStatus || requestsDone(before) != requestsDone(job) ||
            before.status != job.status || before.attempt != job.attempt) {
            found->movedAt = now;
            found->stuckAnnounced = false;
        }
        if (before.status == job.status && before.attempt == job.attempt) {
            found->job = job;
            return;
        }
        found->job = job;
    }
    if (job.status == JobStatus::Completed && announceOnce(*found, JobNotice::Kind::Completed)) {
        notices.append(noticeFor(job,
                                 JobNotice::Kind::Completed,
                                 tr("Results saved: %1, with errors: %2.")
                                     .arg(QLocale().toString(job.resultsSaved), QLocale().toString(job.resultErrors))));
    } else if (job.status == JobStatus::SubmissionFailed && announceOnce(*found, JobNotice::Kind::Failed)) {
        notices.append(noticeFor(job, JobNotice::Kind::Failed, errorMessage(job)));
    }
}

void JobNotifier::checkStuck(qint64 now, QList<JobNotice>& notices)
{
    for (Tracked& tracked : m_jobs) {
        if (tracked.stuckAnnounced)
            continue;
        const JobSnapshot& job = tracked.job;
        QString why;
        if (leaseExpired(job, now)) {
            why = tr("The lease of its worker (%1) ran out %2: the worker stopped while holding the job.")
                      .arg(job.leaseOwner, TimeText::ago(job.leaseUntil, now));
        } else if (job.status == JobStatus::Submitted && now - tracked.movedAt >= m_stuckAfterMs) {
            why = tr("The provider status (%1) and the request counts have not changed for %2.")
                      .arg(job.providerStatus.isEmpty() ? tr("unknown") : job.providerStatus,
                           TimeText::duration(now - tracked.movedAt));
        }
        if (why.isEmpty())
            continue;
        tracked.stuckAnnounced = true;
        notices.append(noticeFor(job, JobNotice::Kind::Stuck, why));
    }
}

bool JobNotifier::announceOnce(const Tracked& tracked, JobNotice::Kind kind)
{
    const QString key =
        QStringLiteral("%1/%2/%3").arg(tracked.job.id).arg(tracked.job.attempt).arg(static_cast<int>(kind));
    if (m_announced.contains(key))
        return false;
    m_announced.insert(key);
    return true;
}

} // namespace batchdeck
