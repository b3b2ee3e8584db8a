#include "JobFeed.h"

#include <algorithm>

#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>

#include "core/Logging.h"
#include "store/Database.h"
#include "store/JobStore.h"
#include "store/SqlSupport.h"

namespace batchdeck {

namespace {

// Holds one read transaction open, so every query of a feed read sees the same database state
// (the counts then agree with the jobs). Read only, so it always ends in a rollback.
class ReadSnapshot
{
public:
    ReadSnapshot(const QSqlDatabase& db, bool postgres)
        : m_db(db)
    {
        m_open = QSqlQuery(m_db).exec(QStringLiteral("BEGIN"));
        if (!m_open) {
            // Already inside a caller's transaction: its snapshot rules, which is just as consistent.
            qCDebug(lcStore) << "job feed read runs without its own read transaction";
            return;
        }
        // PostgreSQL's default (read committed) takes a new snapshot per statement.
        if (postgres)
            QSqlQuery(m_db).exec(QStringLiteral("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
    }
    ~ReadSnapshot()
    {
        if (m_open)
            QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

private:
    QSqlDatabase m_db;
    bool m_open = false;
};

// Run ids, batch types and provider statuses repeat across thousands of jobs: one shared string per
// distinct value keeps a 100,000-job view small and makes comparing two reads cheap.
class Interner
{
public:
    void intern(QString& text)
    {
        if (text.isEmpty())
            return;
        auto it = m_strings.constFind(text);
        if (it == m_strings.constEnd())
            m_strings.insert(text);
        else
            text = *it;
    }
    void intern(JobSnapshot& job)
    {
        intern(job.runId);
        intern(job.batchType);
        intern(job.providerStatus);
        intern(job.leaseOwner);
    }

private:
    QSet<QString> m_strings;
};

qint64 newestUpdate(const QList<JobSnapshot>& jobs)
{
    qint64 newest = 0;
    for (const JobSnapshot& job : jobs)
        newest = std::max(newest, job.updatedAt);
    return newest;
}

} // namespace

bool sameJobState(const JobSnapshot& a, const JobSnapshot& b)
{
    // updated_at first: it differs for almost every real change, so most comparisons end there.
    return a.updatedAt == b.updatedAt && a.status == b.status && a.id == b.id &&
           a.requestCompleted == b.requestCompleted && a.requestFailed == b.requestFailed &&
           a.requestTotal == b.requestTotal && a.providerStatus == b.providerStatus && a.attempt == b.attempt &&
           a.llmBatchId == b.llmBatchId && a.inputFileId == b.inputFileId && a.outputFileId == b.outputFileId &&
           a.errorFileId == b.errorFileId && a.resultsSaved == b.resultsSaved && a.resultErrors == b.resultErrors &&
           a.leaseOwner == b.leaseOwner && a.leaseUntil == b.leaseUntil && a.createdAt == b.createdAt &&
           a.submittedAt == b.submittedAt && a.completedAt == b.completedAt && a.runId == b.runId &&
           a.batchType == b.batchType && a.providerCheckedAt == b.providerCheckedAt &&
           a.providerExpiresAt == b.providerExpiresAt && a.errorDetails == b.errorDetails;
}

qint64 StatusCounts::total() const
{
    qint64 sum = 0;
    for (qint64 n : m_counts)
        sum += n;
    return sum;
}

Result<JobFeedPage> JobFeed::newest(int limit) const
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    const ReadSnapshot snapshot(*db, m_database->isPostgres());
    auto counts = countsByStatus();
    if (!counts)
        return counts.error();
    JobFilter filter;
    filter.limit = std::max(1, limit);
    // Ids only grow, so the newest jobs are the last ones in id order.
    filter.offset = int(std::max<qint64>(0, counts->total() - filter.limit));
    auto jobs = JobStore(m_database).list(filter);
    if (!jobs)
        return jobs.error();
    Interner interner;
    for (JobSnapshot& job : *jobs)
        interner.intern(job);
    JobFeedPage page;
    page.jobs = std::move(*jobs);
    page.counts = *counts;
    return page;
}

void StatusCounts::add(JobStatus status, qint64 n)
{
    const auto i = std::size_t(status);
    Q_ASSERT_X(i < m_counts.size(), "StatusCounts", "more statuses than StatusCounts has room for");
    if (i < m_counts.size())
        m_counts[i] += n;
}

JobFeed::JobFeed(std::shared_ptr<Database> database, const Clock& clock)
    : m_database(std::move(database))
    , m_clock(clock)
{}

Result<JobFeedPage> JobFeed::read(qint64 cursor, bool full) const
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    const qint64 now = m_clock.nowMs();
    const ReadSnapshot snapshot(*db, m_database->isPostgres());

    JobFeedPage page;
    page.full = full || cursor <= 0;
    qint64 newest = 0;
    auto jobs = page.full ? allJobs(newest) : changedJobs(cursor - kOverlapMs, newest);
    if (!jobs)
        return jobs.error();
    page.jobs = std::move(*jobs);
    // Never ahead of our own clock: a writer whose clock runs fast would otherwise push the cursor
    // past every other writer's updates.
    page.cursor = std::max(cursor, std::min(newest, now));

    if (page.full || !page.jobs.isEmpty()) {
        auto counts = countsByStatus();
        if (!counts)
            return counts.error();
        page.counts = *counts;
    }
    return page;
}

Result<QList<JobSnapshot>> JobFeed::allJobs(qint64& newest) const
{
    // Rows are read by JobStore, the one place that knows every column of a job.
    auto jobs = JobStore(m_database).list();
    if (!jobs)
        return jobs.error();
    Interner interner;
    for (JobSnapshot& job : *jobs)
        interner.intern(job);
    newest = newestUpdate(*jobs);
    return jobs;
}

Result<QList<JobSnapshot>> JobFeed::changedJobs(qint64 since, qint64& newest) const
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    // Touches only the jobs_by_updated index (and the row ids it carries).
    auto q = sql::exec(
        *db, QStringLiteral("SELECT id FROM pipeline_batch_jobs WHERE updated_at >= ? ORDER BY updated_at"), {since});
    if (!q)
        return q.error();
    QList<qint64> ids;
    while (q->next())
        ids.append(q->value(0).toLongLong());
    q->finish();

    const JobStore store(m_database);
    QList<JobSnapshot> jobs;
    if (ids.size() > kPointReadLimit) {
        // A burst of changes: one pass over the table costs less than thousands of round trips.
        auto all = store.list();
        if (!all)
            return all.error();
        const QSet<qint64> wanted(ids.cbegin(), ids.cend());
        for (JobSnapshot& job : *all) {
            if (wanted.contains(job.id))
                jobs.append(std::move(job));
        }
    } else {
        jobs.reserve(ids.size());
        for (qint64 id : std::as_const(ids)) {
            auto job = store.job(id);
            if (job)
                jobs.append(std::move(*job));
            else if (job.error().kind != ErrorKind::NotFound) // deleted meanwhile: the next full read tells
                return job.error();
        }
    }
    Interner interner;
    for (JobSnapshot& job : jobs)
        interner.intern(job);
    newest = newestUpdate(jobs);
    return jobs;
}

Result<StatusCounts> JobFeed::countsByStatus() const
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    auto q = sql::exec(*db, QStringLiteral("SELECT status, COUNT(*) FROM pipeline_batch_jobs GROUP BY status"));
    if (!q)
        return q.error();
    StatusCounts counts;
    while (q->next()) {
        if (auto status = jobStatusFromString(q->value(0).toString()))
            counts.add(*status, q->value(1).toLongLong());
    }
    return counts;
}

Result<QHash<QString, StatusCounts>> JobFeed::countsByRun() const
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    auto q = sql::exec(
        *db, QStringLiteral("SELECT run_id, status, COUNT(*) FROM pipeline_batch_jobs GROUP BY run_id, status"));
    if (!q)
        return q.error();
    QHash<QString, StatusCounts> counts;
    while (q->next()) {
        if (auto status = jobStatusFromString(q->value(1).toString()))
            counts[q->value(0).toString()].add(*status, q->value(2).toLongLong());
    }
    return counts;
}

} // namespace batchdeck
