#pragma once

#include <QHash>
#include <QObject>
#include <QSet>

#include "JobNotice.h"
#include "PollResult.h"

namespace batchdeck {

// Watches the poll results and says when a job completes, fails (SUBMISSION_FAILED) or is stuck: a
// SUBMITTED job whose provider status and request counts have not moved for stuckAfterMs, or a job
// whose worker's lease ran out (the worker died holding it). Once per job, attempt and kind, not
// per tick: a retried job that fails again is news again, and a stuck job that moves and stops
// again is stuck again.
//
// What the first complete read finds is the starting point, not news: opening the console does not
// announce every job that completed last week. A job stuck at that point is announced, since it
// still needs someone. Time comes from the results (polledAt), so the rules are testable without
// waiting.
class JobNotifier : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kDefaultStuckAfterMs = 30 * 60'000;

    explicit JobNotifier(QObject* parent = nullptr);

    void setStuckAfterMs(qint64 ms) { m_stuckAfterMs = ms; }
    qint64 stuckAfterMs() const { return m_stuckAfterMs; }

    // Connected to PollController::polled.
    void onPolled(const batchdeck::PollResult& result);

Q_SIGNALS:
    // The notices of one poll result, at most one per job and kind; never empty.
    void noticesRaised(const QList<batchdeck::JobNotice>& notices);

private:
    struct Tracked
    {
        JobSnapshot job;
        qint64 movedAt = 0; // when the provider status or the request counts last changed
        bool stuckAnnounced = false;
    };

    void track(const JobSnapshot& job, qint64 now, QList<JobNotice>& notices);
    void checkStuck(qint64 now, QList<JobNotice>& notices);
    bool announceOnce(const Tracked& tracked, JobNotice::Kind kind);

    QHash<qint64, Tracked> m_jobs;
    QSet<QString> m_announced; // "job/attempt/kind"
    qint64 m_stuckAfterMs = kDefaultStuckAfterMs;
    bool m_started = false; // the first complete read is in
};

} // namespace batchdeck
