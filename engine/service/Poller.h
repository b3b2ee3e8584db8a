#pragma once

#include <QObject>
#include <QTimer>
#include <qcoro/qcorotask.h>

namespace batchdeck {

class BatchService;

struct PollerOptions
{
    qint64 intervalMs = 30'000; // how often each SUBMITTED job is refreshed from the provider
    bool autoProcess = false;   // also process jobs whose batch completed
    QString actor = QStringLiteral("poller");
};

// Keeps SUBMITTED jobs up to date in the background (the console, `serve --auto-poll`) and, when
// asked, processes completed ones (`serve --auto-process`). Safe beside other pollers and servers on
// the same database: provider checks are rationed per job in the database, and processing claims
// jobs by compare-and-set, so two pollers never do the same work twice.
class Poller : public QObject
{
    Q_OBJECT

public:
    Poller(BatchService& service, PollerOptions options, QObject* parent = nullptr);

    void start();
    void stop();
    bool isRunning() const { return m_timer.isActive(); }
    bool isTicking() const { return m_ticking; } // a round is under way (stop() does not cut it short)

    // One round now: refresh due SUBMITTED jobs, then process PENDING_PROCESSING ones if enabled.
    QCoro::Task<void> tick();

Q_SIGNALS:
    void tickFinished(int refreshed, int processed, int failed);

private:
    void onTimeout();

    BatchService& m_service;
    PollerOptions m_options;
    QTimer m_timer;
    bool m_ticking = false;
};

} // namespace batchdeck
