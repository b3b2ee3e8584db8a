#include "PollController.h"

#include <QSettings>

#include "FeedWorker.h"

namespace batchdeck {

namespace {
const QString kIntervalKey = QStringLiteral("poll/intervalSeconds");
constexpr int kDefaultIntervalSeconds = 5;
} // namespace

PollController::PollController(std::shared_ptr<Database> database, QSettings& settings, QObject* parent)
    : QObject(parent)
    , m_settings(settings)
    , m_worker(new FeedWorker(std::move(database)))
{
    // Named registrations, so the results also travel through QVariant (QSignalSpy, queued slots).
    qRegisterMetaType<PollResult>("batchdeck::PollResult");
    qRegisterMetaType<JobRecords>("batchdeck::JobRecords");

    const int stored = m_settings.value(kIntervalKey, kDefaultIntervalSeconds).toInt();
    m_intervalSeconds = intervalChoices().contains(stored) ? stored : kDefaultIntervalSeconds;

    m_thread.setObjectName(QStringLiteral("batchdeck-feed"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &FeedWorker::polled, this, &PollController::onWorkerPolled);
    connect(m_worker, &FeedWorker::pollFailed, this, &PollController::onWorkerFailed);
    connect(m_worker, &FeedWorker::recordsLoaded, this, &PollController::recordsLoaded);
    connect(m_worker, &FeedWorker::recordsFailed, this, &PollController::recordsFailed);
    m_thread.start();

    connect(&m_timer, &QTimer::timeout, this, &PollController::tick);
    m_delivery.setSingleShot(true);
    m_delivery.setInterval(0);
    connect(&m_delivery, &QTimer::timeout, this, &PollController::deliverNext);
}

PollController::~PollController()
{
    // A read in progress finishes first; its result is dropped with the queued signal.
    m_thread.quit();
    m_thread.wait();
}

QList<int> PollController::intervalChoices()
{
    return {0, 2, 5, 15, 60};
}

void PollController::setIntervalSeconds(int seconds)
{
    if (!intervalChoices().contains(seconds) || seconds == m_intervalSeconds)
        return;
    m_intervalSeconds = seconds;
    m_settings.setValue(kIntervalKey, seconds);
    if (m_intervalSeconds > 0)
        m_timer.start(m_intervalSeconds * 1000);
    else
        m_timer.stop();
    Q_EMIT intervalChanged(seconds);
}

void PollController::start()
{
    m_fullWanted = true;
    read();
    if (m_intervalSeconds > 0)
        m_timer.start(m_intervalSeconds * 1000);
}

void PollController::refresh()
{
    m_fullWanted = true;
    read();
}

void PollController::tick()
{
    if (!m_sinceFullRead.isValid() || m_sinceFullRead.elapsed() >= kFullReadEveryMs)
        m_fullWanted = true;
    read();
}

void PollController::read()
{
    if (m_reading) {
        m_readPending = true;
        return;
    }
    m_reading = true;
    m_readPending = false;
    const bool full = m_fullWanted;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, full] { worker->poll(full); }, Qt::QueuedConnection);
}

void PollController::loadRecords(qint64 jobId)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, jobId] { worker->loadRecords(jobId); }, Qt::QueuedConnection);
}

void PollController::onWorkerPolled(const PollResult& result)
{
    if (result.jobs.size() <= m_jobsPerDelivery) {
        m_parts.append(result);
    } else {
        // Removals go with the first part. Runs, counts and the result's flags come last, in a part
        // of their own, when every job is in.
        for (qsizetype from = 0; from < result.jobs.size(); from += m_jobsPerDelivery) {
            PollResult part;
            part.jobs = result.jobs.mid(from, m_jobsPerDelivery);
            part.partial = true;
            part.polledAt = result.polledAt;
            part.readMs = result.readMs;
            part.jobCount = result.jobCount - int(result.jobs.size() - from - part.jobs.size());
            if (from == 0)
                part.removedIds = result.removedIds;
            m_parts.append(part);
        }
        PollResult last = result;
        last.jobs.clear();
        last.removedIds.clear();
        m_parts.append(last);
    }
    if (!m_delivery.isActive())
        deliverNext();
}

void PollController::deliverNext()
{
    if (m_parts.isEmpty())
        return;
    const PollResult part = m_parts.takeFirst();
    Q_EMIT polled(part);
    if (!m_parts.isEmpty())
        m_delivery.start();
    else if (!part.partial)
        finishRead(part);
}

void PollController::finishRead(const PollResult& result)
{
    m_reading = false;
    if (result.full) {
        m_fullWanted = false;
        m_sinceFullRead.start();
    }
    if (m_readPending)
        read();
}

void PollController::onWorkerFailed(const QString& message)
{
    m_reading = false;
    Q_EMIT pollFailed(message);
    if (m_readPending)
        read();
}

} // namespace batchdeck
