#pragma once

#include <functional>
#include <memory>

#include <QThread>

#include "AppEngine.h"
#include "ConsoleActions.h"

namespace batchdeck {

class EngineWorker;

struct EngineActionsOptions
{
    QString actor;      // who the actions are recorded as: the OS user
    bool poller = true; // refresh SUBMITTED jobs from the provider in the background
    qint64 pollerIntervalMs = 2000;
    bool autoProcess = false; // also store the results of completed batches by themselves
};

// The console's in-process HTTP API for Airflow: the same server as `batchdeck-cli serve`.
struct ConsoleServerSettings
{
    bool enabled = false;
    QString address = QStringLiteral("127.0.0.1"); // an IP address, or "localhost"
    int port = 8080;                               // 0: any free port
    QByteArray token;                              // required unless the address is loopback
};

// The console's engine thread: builds the AppEngine there (its database connection, the provider's
// network access, the demo's in-process simulator and the Poller all live on it), runs every action
// and read there, and answers on the GUI thread by the signals of ConsoleActions.
class EngineActions : public ConsoleActions
{
    Q_OBJECT

public:
    // Runs on the engine thread; builds the engine (AppEngine::open with the console's options).
    using Factory = std::function<Result<std::unique_ptr<app::AppEngine>>()>;

    EngineActions(Factory factory, EngineActionsOptions options, QObject* parent = nullptr);
    ~EngineActions() override;

    // Starts the thread and builds the engine there; started() or startFailed() follows.
    void start();

    // Starts, restarts (new address, port or token) or stops the in-process HTTP API on the engine
    // thread, over the console's engine; serverChanged() follows. Before the engine runs, it is kept
    // and applied once it does.
    void setServer(const ConsoleServerSettings& settings);

    // The OS user name, for the actor of the operator's actions.
    static QString operatorName();

    bool isReady() const override { return m_ready; }
    QList<BatchType> batchTypes() const override { return m_types; }
    QString actor() const override { return m_options.actor; }
    bool isDemo() const override { return m_demo; }
    QThread* engineThread() const override { return const_cast<QThread*>(&m_thread); }
    QThread* serviceThread() const override { return m_serviceThread; }

    quint64 submit(const SubmitRequest& request) override;
    quint64 retry(const QString& runId, const QString& batchType, const QString& reason) override;
    quint64 cancel(const QString& runId, const QString& batchType, const QString& reason) override;
    quint64 process(const QString& runId, const QString& batchType, bool harvest) override;
    quint64 exportResults(qint64 jobId, const QString& path, ExportFormat format, ResultFilter::Kind kind) override;
    quint64 loadResults(qint64 jobId, ResultFilter::Kind kind, int offset, int limit) override;
    quint64 loadRequestPreview(const QString& runId, const QString& batchType, int limit) override;
    quint64
    loadSentRequests(const QString& runId, const QString& batchType, const QString& inputFileId, int limit) override;

Q_SIGNALS:
    // listening: the server answers at `url`; otherwise `error` says why it is off (empty: turned off).
    void serverChanged(bool listening, const QString& url, const QString& error);

private:
    void onWorkerStarted(const QList<batchdeck::BatchType>& types, bool demo, QThread* serviceThread);
    quint64 notReady(ActionKind kind, const QString& runId, const QString& batchType);
    template <typename Call> quint64 post(Call call);
    RequestPreviewPage newPreviewPage(const QString& runId, const QString& batchType, const QString& inputFileId);

    EngineActionsOptions m_options;
    QThread m_thread;
    EngineWorker* m_worker = nullptr; // lives on m_thread, deleted there
    quint64 m_nextId = 1;
    bool m_ready = false;
    bool m_demo = false;
    QList<BatchType> m_types;
    QThread* m_serviceThread = nullptr;
};

} // namespace batchdeck
