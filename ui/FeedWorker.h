#pragma once

#include <memory>
#include <optional>

#include <QHash>
#include <QObject>
#include <QSet>

#include "JobRecords.h"
#include "PollResult.h"
#include "store/JobFeed.h"
#include "store/JobStore.h"
#include "store/ProviderBatchStore.h"
#include "store/RunStore.h"

namespace batchdeck {

class Database;

// The database side of polling. Lives on PollController's thread, where its engine objects use that
// thread's own connection; every call runs there and answers with a signal carrying values.
// It remembers every job it sent, so the GUI thread receives only what really changed, and it counts
// jobs per run from them (cheaper than asking the database to scan every job again).
class FeedWorker : public QObject
{
    Q_OBJECT

public:
    // A store with more jobs than this is first shown by its newest kPreviewJobs jobs, in a fraction
    // of the time a full read takes; the full read follows at once.
    static constexpr int kPreviewJobs = 2000;

    explicit FeedWorker(std::shared_ptr<Database> database);

    void poll(bool full);
    void loadRecords(qint64 jobId);

Q_SIGNALS:
    void polled(const batchdeck::PollResult& result);
    void pollFailed(const QString& message);
    void recordsLoaded(const batchdeck::JobRecords& records);
    void recordsFailed(qint64 jobId, const QString& message);

private:
    void preview();
    void diff(const JobFeedPage& page, PollResult& result);
    void count(const JobSnapshot& job, qint64 delta);
    Status diffRuns(bool rereadRuns, PollResult& result);

    JobFeed m_feed;
    JobStore m_store;
    ProviderBatchStore m_batches;
    RunStore m_runs;
    qint64 m_cursor = 0;
    bool m_previewed = false;
    QHash<qint64, JobSnapshot> m_known;         // every job as last sent
    std::optional<StatusCounts> m_counts;       // as last sent
    QHash<QString, StatusCounts> m_countsByRun; // of m_known
    QHash<QString, RunSummary> m_runSummaries;  // as last read
    QHash<QString, RunOverview> m_knownRuns;    // as last sent
    QSet<QString> m_touchedRuns;                // runs whose jobs changed since the last diffRuns
};

} // namespace batchdeck
