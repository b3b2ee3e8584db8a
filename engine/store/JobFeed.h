#pragma once

#include <array>
#include <memory>
#include <optional>

#include <QHash>
#include <QList>
#include <QString>

#include "core/Result.h"
#include "store/Clock.h"
#include "store/JobSnapshot.h"

namespace batchdeck {

class Database;

// How many jobs have each status. A plain array: a console holds one per run, tens of thousands,
// and copies and compares them on every change.
class StatusCounts
{
public:
    qint64 count(JobStatus status) const
    {
        const auto i = std::size_t(status);
        return i < m_counts.size() ? m_counts[i] : 0;
    }
    void add(JobStatus status, qint64 n);
    qint64 total() const;
    bool operator==(const StatusCounts& other) const { return m_counts == other.m_counts; }
    bool operator!=(const StatusCounts& other) const { return !(*this == other); }

private:
    std::array<qint64, 8> m_counts{}; // indexed by JobStatus; room for statuses yet to come
};

// True when two snapshots show the same state of a job (every field equal). Keep it in step with
// JobSnapshot's fields: a field left out here is a change the console never shows.
bool sameJobState(const JobSnapshot& a, const JobSnapshot& b);

// One read of the feed. All of it comes from one read snapshot of the database, so the counts
// agree with the jobs.
struct JobFeedPage
{
    QList<JobSnapshot> jobs; // changed since the cursor (some seen before), or every job when `full`
    bool full = false;       // `jobs` holds every job: ids missing from it no longer exist
    qint64 cursor = 0;       // give it to the next read
    // Jobs per status (an index-only count). Read when something changed or on a full read, absent
    // otherwise (nothing to recount).
    std::optional<StatusCounts> counts;
};

// The change feed behind live views (the console's tables, GET /jobs?since=): which jobs changed
// since a cursor.
//
// The cursor is an updated_at time (UTC epoch ms). A delta read returns the jobs whose updated_at is
// at or after `cursor - kOverlapMs`: a writer whose transaction commits a little after it stamped
// updated_at, or a writer on another host whose clock runs a little behind, still lands inside the
// window. Jobs seen again are harmless: readers compare and keep only real changes. The cursor never
// runs ahead of this reader's clock, so a writer whose clock runs ahead cannot make it skip the
// others. What no window can catch (a clock far behind, a deleted job) a periodic full read
// catches: it returns every job, and ids missing from it are gone.
class JobFeed
{
public:
    static constexpr qint64 kOverlapMs = 10'000;

    explicit JobFeed(std::shared_ptr<Database> database, const Clock& clock = Clock::system());

    // A delta read from `cursor`, or with `full` (or a zero cursor) every job.
    Result<JobFeedPage> read(qint64 cursor, bool full = false) const;

    // The `limit` newest jobs (highest ids) and the counts per status, in one snapshot: what a
    // console shows first while the full read of a large store is still running. The page's cursor
    // is 0, so the next read is a full one.
    Result<JobFeedPage> newest(int limit) const;

    Result<StatusCounts> countsByStatus() const;
    // Per run. A scan of every job (0.3 s for 100,000 on SQLite): a reader that holds every job, as
    // the console does, counts them itself instead.
    Result<QHash<QString, StatusCounts>> countsByRun() const;

    // A delta of more jobs than this reads the whole table once instead of job by job.
    static constexpr int kPointReadLimit = 200;

private:
    Result<QList<JobSnapshot>> changedJobs(qint64 since, qint64& newest) const;
    Result<QList<JobSnapshot>> allJobs(qint64& newest) const;

    std::shared_ptr<Database> m_database;
    const Clock& m_clock;
};

} // namespace batchdeck
