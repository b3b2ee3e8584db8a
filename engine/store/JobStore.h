#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <QVariantList>

class QSqlDatabase;

#include "core/Result.h"
#include "store/Clock.h"
#include "store/JobSnapshot.h"
#include "store/JobUpdate.h"

namespace batchdeck {

class Database;

struct JobFilter
{
    QString runId;
    QString batchType;
    std::optional<JobStatus> status;
    int limit = 0; // 0: no limit
    int offset = 0;
};

// A compare-and-set status change: applied only if the job still has status `from`.
struct TransitionRequest
{
    qint64 jobId = 0;
    JobStatus from = JobStatus::PendingSubmission;
    JobStatus to = JobStatus::PendingSubmission;
    QString actor;      // api, gui, cli, poller, or an operator's name
    QString message;    // why
    JobUpdate changes;  // written in the same UPDATE
    QString leaseOwner; // when set, the caller must hold the job's lease
};

struct TransitionOutcome
{
    bool applied = false; // false: another caller changed the job first (a lost race, not an error)
    JobStatus current = JobStatus::PendingSubmission; // the job's status after the attempt
};

// The pipeline_batch_jobs table and its events. Every status change goes through transition():
// one compare-and-set UPDATE plus one job_events row, in one transaction.
class JobStore
{
public:
    explicit JobStore(std::shared_ptr<Database> database, const Clock& clock = Clock::system());

    // Returns the job of (run, batch type), creating it (and its run) when missing. Two callers at
    // once both get the same job: the unique key decides who inserts.
    Result<JobSnapshot> createOrGet(const QString& runId, const QString& batchType, const QString& actor);

    Result<JobSnapshot> job(qint64 jobId) const;
    Result<std::optional<JobSnapshot>> find(const QString& runId, const QString& batchType) const;
    Result<QList<JobSnapshot>> list(const JobFilter& filter = {}) const;
    Result<QList<JobEvent>> events(qint64 jobId) const;

    // `inSameTransaction` (engine code only) runs first, inside the transaction of the status change:
    // its writes commit with the transition or not at all (e.g. results stored with COMPLETED).
    // It may return more field changes for the same UPDATE (e.g. counts it computed).
    using TransactionWork = std::function<Result<JobUpdate>(const QSqlDatabase&)>;
    Result<TransitionOutcome> transition(const TransitionRequest& request,
                                         const TransactionWork& inSameTransaction = {});

    // Changes fields without a status change, if the job still has `expected` status.
    Result<bool> update(qint64 jobId, JobStatus expected, const JobUpdate& changes);

    // Leases keep two workers (threads, processes, machines) off one job. All compare-and-set.
    // take: succeeds when the job has no lease, an expired one, or one held by `owner` already.
    Result<bool> takeLease(qint64 jobId, const QString& owner, qint64 durationMs);
    Result<bool> renewLease(qint64 jobId, const QString& owner, qint64 durationMs);
    Result<bool> releaseLease(qint64 jobId, const QString& owner);

    // Claims the right to ask the provider about a job now: true for one caller per `intervalMs`,
    // across threads, processes and hosts sharing the database (many pollers cost one provider call).
    Result<bool> claimProviderCheck(qint64 jobId, qint64 intervalMs);

    // An audit event that is not a status change (a cancel request, a transient error): from == to.
    Status recordEvent(qint64 jobId, JobStatus status, const QString& actor, const QString& message);

private:
    // Runs one compare-and-set UPDATE: true when it changed the row, false when the condition failed.
    Result<bool> updateOne(const QString& statement, const QVariantList& values) const;

    std::shared_ptr<Database> m_database;
    const Clock& m_clock;
};

} // namespace batchdeck
