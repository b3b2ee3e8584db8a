#pragma once

#include <memory>
#include <optional>

#include <QObject>
#include <QTimer>
#include <qcoro/qcorotask.h>

#include "EngineActions.h"

namespace batchdeck {

class Poller;
namespace http {
class ApiServer;
}

// The engine side of EngineActions. Lives on the engine thread: it builds the AppEngine there, runs
// each action (coroutines for the provider's calls) and each read, and answers by signals carrying
// values. Nothing here is touched from the GUI thread but through queued calls.
class EngineWorker : public QObject
{
    Q_OBJECT

public:
    static constexpr int kPreviewChars = 400; // of a result's content in the Results tab
    // At most this much of a sent request file is read back for its preview.
    static constexpr qint64 kSentPreviewBytes = 256 * 1024;

    EngineWorker(EngineActions::Factory factory, EngineActionsOptions options);
    ~EngineWorker() override;

    void start();
    // Stops the poller, waits (a few seconds at most) for actions in flight, then quits the thread.
    void shutdown();

    void submit(ActionOutcome action, SubmitRequest request);
    void retry(ActionOutcome action, QString reason);
    void cancel(ActionOutcome action, QString reason);
    void process(ActionOutcome action, bool harvest);
    void exportResults(ActionOutcome action, QString path, ExportFormat format, ResultFilter::Kind kind);
    void loadResults(ResultPage page, int limit);
    void loadRequestPreview(RequestPreviewPage page, int limit);
    void loadSentRequests(RequestPreviewPage page, int limit);
    void applyServer(ConsoleServerSettings settings);

Q_SIGNALS:
    void started(const QList<batchdeck::BatchType>& types, bool demo, QThread* serviceThread);
    void startFailed(const QString& message);
    void actionFinished(const batchdeck::ActionOutcome& outcome);
    void resultsLoaded(const batchdeck::ResultPage& page);
    void requestPreviewLoaded(const batchdeck::RequestPreviewPage& page);
    void serverChanged(bool listening, const QString& url, const QString& error);

private:
    QCoro::Task<ActionOutcome> runSubmit(ActionOutcome action, SubmitRequest request);
    QCoro::Task<ActionOutcome> runCancel(ActionOutcome action, QString reason);
    QCoro::Task<ActionOutcome> runProcess(ActionOutcome action, bool harvest);
    QCoro::Task<RequestPreviewPage> readSentRequests(RequestPreviewPage page, int limit);
    void finish(ActionOutcome outcome);
    bool checkReady(ActionOutcome& action);
    void onShutdownCheck();
    void stopServer();

    EngineActions::Factory m_factory;
    EngineActionsOptions m_options;
    std::unique_ptr<app::AppEngine> m_engine;
    std::unique_ptr<Poller> m_poller;
    std::unique_ptr<http::ApiServer> m_server;
    std::optional<ConsoleServerSettings> m_pendingServer; // asked for before the engine ran
    int m_inFlight = 0;                                   // actions suspended in a provider call
    QTimer m_shutdownCheck;
    int m_shutdownChecksLeft = 0;
};

} // namespace batchdeck
