#pragma once

#include <algorithm>
#include <memory>

#include <QElapsedTimer>
#include <QObject>
#include <QThread>
#include <QTimer>

#include "JobRecords.h"
#include "PollResult.h"

class QSettings;

namespace batchdeck {

class Database;
class FeedWorker;

// Keeps the console live. Owns the poll timer (off, 2, 5, 15 or 60 s, remembered in the settings)
// and a thread of its own where a FeedWorker reads the database, so the GUI thread never waits on
// it. Each tick asks for what changed since the last one; about once a minute, and on refresh(), a
// full read also finds deleted jobs and changes the overlap window missed. A tick that comes while
// a read is still running is folded into one read after it: slow databases never pile up reads.
// A result too large to merge in one go (the first read of a large store) is delivered in parts,
// one per turn of the event loop, so the window keeps answering while 100,000 jobs arrive.
class PollController : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kFullReadEveryMs = 60'000;
    static constexpr int kDefaultJobsPerDelivery = 10'000;

    PollController(std::shared_ptr<Database> database, QSettings& settings, QObject* parent = nullptr);
    ~PollController() override;

    static QList<int> intervalChoices(); // seconds; 0 is off
    int intervalSeconds() const { return m_intervalSeconds; }
    void setIntervalSeconds(int seconds);

    // Starts polling: a full read now, then one per interval.
    void start();
    // A full read now (the toolbar's Refresh).
    void refresh();
    // One tick now, as the timer would do it.
    void tick();
    // Reads a job's events and provider batches; answers with recordsLoaded or recordsFailed.
    void loadRecords(qint64 jobId);

    bool isReading() const { return m_reading; }
    void setJobsPerDelivery(int jobs) { m_jobsPerDelivery = std::max(1, jobs); }

Q_SIGNALS:
    void polled(const batchdeck::PollResult& result);
    void pollFailed(const QString& message);
    void recordsLoaded(const batchdeck::JobRecords& records);
    void recordsFailed(qint64 jobId, const QString& message);
    void intervalChanged(int seconds);

private:
    void onWorkerPolled(const batchdeck::PollResult& result);
    void onWorkerFailed(const QString& message);
    void deliverNext();
    void finishRead(const PollResult& result);
    void read();

    QSettings& m_settings;
    QThread m_thread;
    FeedWorker* m_worker = nullptr; // lives on m_thread, deleted there
    QTimer m_timer;
    QTimer m_delivery; // zero-time: the next part after the event loop had its turn
    QList<PollResult> m_parts;
    int m_jobsPerDelivery = kDefaultJobsPerDelivery;
    QElapsedTimer m_sinceFullRead;
    int m_intervalSeconds = 5;
    bool m_reading = false;
    bool m_readPending = false;
    bool m_fullWanted = true;
};

} // namespace batchdeck
