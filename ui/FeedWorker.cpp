#include "FeedWorker.h"

#include <QDateTime>
#include <QElapsedTimer>

#include "UiLogging.h"

namespace batchdeck {

FeedWorker::FeedWorker(std::shared_ptr<Database> database)
    : m_feed(database)
    , m_store(database)
    , m_batches(database)
    , m_runs(database)
{}

void FeedWorker::poll(bool full)
{
    if (!m_previewed) {
        m_previewed = true;
        preview();
    }
    QElapsedTimer timer;
    timer.start();
    PollResult result;
    result.polledAt = QDateTime::currentMSecsSinceEpoch();
    auto page = m_feed.read(m_cursor, full);
    if (!page) {
        qCWarning(lcUi) << "poll failed:" << page.error().message;
        Q_EMIT pollFailed(page.error().message);
        return;
    }
    m_cursor = page->cursor;
    result.full = page->full;
    const qsizetype runsBefore = m_countsByRun.size();
    diff(*page, result);
    if (page->counts && page->counts != m_counts) {
        m_counts = page->counts;
        result.counts = page->counts;
    }
    // The runs table itself (items per run) is read on full reads and when a job of a run not seen
    // before arrives; an import into a known run shows with the next full read.
    const bool newRun = m_countsByRun.size() != runsBefore;
    if (auto runs = diffRuns(result.full || newRun, result); !runs) {
        Q_EMIT pollFailed(runs.error().message);
        return;
    }
    result.jobCount = int(m_known.size());
    result.readMs = timer.elapsed();
    Q_EMIT polled(result);
}

void FeedWorker::preview()
{
    QElapsedTimer timer;
    timer.start();
    auto counts = m_feed.countsByStatus();
    if (!counts || counts->total() <= kPreviewJobs)
        return; // small enough to read whole at once; errors are the full read's to report
    auto page = m_feed.newest(kPreviewJobs);
    if (!page)
        return;
    PollResult result;
    result.partial = true;
    result.polledAt = QDateTime::currentMSecsSinceEpoch();
    diff(*page, result);
    m_counts = page->counts;
    result.counts = page->counts;
    result.jobCount = int(m_known.size());
    result.readMs = timer.elapsed();
    Q_EMIT polled(result);
}

void FeedWorker::count(const JobSnapshot& job, qint64 delta)
{
    m_countsByRun[job.runId].add(job.status, delta);
    m_touchedRuns.insert(job.runId);
}

void FeedWorker::diff(const JobFeedPage& page, PollResult& result)
{
    for (const JobSnapshot& job : page.jobs) {
        auto it = m_known.find(job.id);
        if (it == m_known.end()) {
            it = m_known.insert(job.id, job);
        } else if (!sameJobState(*it, job)) {
            count(*it, -1);
            *it = job;
        } else {
            continue;
        }
        count(job, +1);
        result.jobs.append(job);
    }
    if (!page.full)
        return;
    QSet<qint64> present;
    present.reserve(page.jobs.size());
    for (const JobSnapshot& job : page.jobs)
        present.insert(job.id);
    for (auto it = m_known.begin(); it != m_known.end();) {
        if (present.contains(it.key())) {
            ++it;
        } else {
            count(*it, -1);
            result.removedIds.append(it.key());
            it = m_known.erase(it);
        }
    }
}

Status FeedWorker::diffRuns(bool rereadRuns, PollResult& result)
{
    QSet<QString> check;
    if (rereadRuns) {
        auto runs = m_runs.list();
        if (!runs)
            return runs.error();
        QHash<QString, RunSummary> summaries;
        summaries.reserve(runs->size());
        for (const RunSummary& run : std::as_const(*runs))
            summaries.insert(run.runId, run);
        for (auto it = m_knownRuns.begin(); it != m_knownRuns.end();) {
            if (summaries.contains(it.key())) {
                ++it;
            } else {
                result.removedRunIds.append(it.key());
                it = m_knownRuns.erase(it);
            }
        }
        m_runSummaries = std::move(summaries);
        check = QSet<QString>(m_runSummaries.keyBegin(), m_runSummaries.keyEnd());
    } else {
        check = m_touchedRuns;
    }
    m_touchedRuns.clear();
    for (const QString& runId : std::as_const(check)) {
        auto summary = m_runSummaries.constFind(runId);
        if (summary == m_runSummaries.constEnd())
            continue; // read with the next runs read
        RunOverview run{*summary, m_countsByRun.value(runId)};
        run.summary.jobs = run.counts.total(); // from the same jobs the table shows
        auto known = m_knownRuns.find(runId);
        if (known == m_knownRuns.end())
            m_knownRuns.insert(runId, run);
        else if (!sameRun(*known, run))
            *known = run;
        else
            continue;
        result.runs.append(run);
    }
    return {};
}

void FeedWorker::loadRecords(qint64 jobId)
{
    auto events = m_store.events(jobId);
    if (!events) {
        Q_EMIT recordsFailed(jobId, events.error().message);
        return;
    }
    auto batches = m_batches.forJob(jobId);
    if (!batches) {
        Q_EMIT recordsFailed(jobId, batches.error().message);
        return;
    }
    Q_EMIT recordsLoaded(JobRecords{jobId, std::move(*events), std::move(*batches)});
}

} // namespace batchdeck
