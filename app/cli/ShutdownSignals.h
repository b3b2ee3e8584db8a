#pragma once

#include <memory>

#include <QObject>

#include <signal.h>

class QSocketNotifier;

namespace batchdeck::cli {

// SIGINT and SIGTERM as a Qt signal, through a self-pipe (a signal handler may do almost nothing;
// the event loop does the rest). The old handlers come back when this goes. One at a time.
class ShutdownSignals : public QObject
{
    Q_OBJECT

public:
    explicit ShutdownSignals(QObject* parent = nullptr);
    ~ShutdownSignals() override;

Q_SIGNALS:
    void received(int signalNumber);

private:
    void onReadable();

    std::unique_ptr<QSocketNotifier> m_notifier;
    struct sigaction m_oldInt = {};
    struct sigaction m_oldTerm = {};
};

} // namespace batchdeck::cli
