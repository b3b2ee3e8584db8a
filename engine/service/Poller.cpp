#include "Poller.h"

#include "core/Logging.h"
#include "service/BatchService.h"
#include "store/JobStore.h"

namespace batchdeck {

Poller::Poller(BatchService& service, PollerOptions options, QObject* parent)
    : QObject(parent)
    , m_service(service)
    , m_options(std::move(options))
{
    // Wake often enough to notice due jobs, never spin: due-ness itself is decided per job.
    m_timer.setInterval(static_cast<int>(std::clamp<qint64>(m_options.intervalMs, 50, 1000)));
    connect(&m_timer, &QTimer::timeout, this, &Poller::onTimeout);
}

void Poller::start()
{
    m_timer.start();
}

void Poller::stop()
{
    m_timer.stop();
}

void Poller::onTimeout()
{
    if (m_ticking)
        return; // a slow round is still going: never stack rounds
    QCoro::connect(tick(), this, [] {});
}

QCoro::Task<void> Poller::tick()
{
    if (m_ticking)
        co_return;
    m_ticking = true;
    int refreshed = 0;
    int processed = 0;
    int failed = 0;
    JobStore jobs(m_service.database());

    JobFilter submitted;
    submitted.status = JobStatus::Submitted;
    if (auto list = jobs.list(submitted)) {
        for (const JobSnapshot& job : *list) {
            // The database rations provider checks across every poller and status caller.
            auto due = jobs.claimProviderCheck(job.id, m_options.intervalMs);
            if (!due || !*due)
                continue;
            const QString actor = m_options.actor;
            auto result = co_await m_service.refresh(job.id, actor);
            result ? ++refreshed : ++failed;
        }
    } else {
        qCWarning(lcService) << "poller cannot list jobs:" << list.error().message;
    }

    if (m_options.autoProcess) {
        JobFilter ready;
        ready.status = JobStatus::PendingProcessing;
        if (auto list = jobs.list(ready)) {
            for (const JobSnapshot& job : *list) {
                const QString runId = job.runId;
                const QString batchType = job.batchType;
                const QString actor = m_options.actor;
                auto result = co_await m_service.process(runId, batchType, actor);
                if (result)
                    ++processed;
                else if (result.error().code != u"job_not_ready") // another worker took it: fine
                    ++failed;
            }
        }
    }
    m_ticking = false;
    Q_EMIT tickFinished(refreshed, processed, failed);
}

} // namespace batchdeck
