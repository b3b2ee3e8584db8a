#include "EngineActions.h"

#include <QDir>
#include <QProcessEnvironment>

#include "EngineWorker.h"

namespace batchdeck {

namespace {

EngineActionsOptions withActor(EngineActionsOptions options)
{
    if (options.actor.isEmpty())
        options.actor = EngineActions::operatorName();
    return options;
}

} // namespace

EngineActions::EngineActions(Factory factory, EngineActionsOptions options, QObject* parent)
    : ConsoleActions(parent)
    , m_options(withActor(std::move(options)))
    , m_worker(new EngineWorker(std::move(factory), m_options))
{
    qRegisterMetaType<ActionOutcome>("batchdeck::ActionOutcome");
    qRegisterMetaType<ResultPage>("batchdeck::ResultPage");
    qRegisterMetaType<RequestPreviewPage>("batchdeck::RequestPreviewPage");
    qRegisterMetaType<QList<BatchType>>("QList<batchdeck::BatchType>");

    m_thread.setObjectName(QStringLiteral("batchdeck-engine"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &EngineWorker::started, this, &EngineActions::onWorkerStarted);
    connect(m_worker, &EngineWorker::startFailed, this, &ConsoleActions::startFailed);
    connect(m_worker, &EngineWorker::actionFinished, this, &ConsoleActions::actionFinished);
    connect(m_worker, &EngineWorker::resultsLoaded, this, &ConsoleActions::resultsLoaded);
    connect(m_worker, &EngineWorker::requestPreviewLoaded, this, &ConsoleActions::requestPreviewLoaded);
    connect(m_worker, &EngineWorker::serverChanged, this, &EngineActions::serverChanged);
}

void EngineActions::setServer(const ConsoleServerSettings& settings)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, settings] { worker->applyServer(settings); }, Qt::QueuedConnection);
}

EngineActions::~EngineActions()
{
    if (!m_thread.isRunning()) {
        delete m_worker;
        return;
    }
    // The worker quits the thread once its actions in flight are done (or after a few seconds).
    QMetaObject::invokeMethod(m_worker, &EngineWorker::shutdown, Qt::QueuedConnection);
    m_thread.wait();
}

QString EngineActions::operatorName()
{
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"USER", "USERNAME", "LOGNAME"}) {
        const QString value = env.value(QString::fromLatin1(name)).trimmed();
        if (!value.isEmpty())
            return value;
    }
    const QString home = QDir::home().dirName();
    return home.isEmpty() ? QStringLiteral("gui") : home;
}

void EngineActions::start()
{
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, &EngineWorker::start, Qt::QueuedConnection);
}

void EngineActions::onWorkerStarted(const QList<BatchType>& types, bool demo, QThread* serviceThread)
{
    m_types = types;
    m_demo = demo;
    m_serviceThread = serviceThread;
    m_ready = true;
    Q_EMIT started();
}

template <typename Call> quint64 EngineActions::post(Call call)
{
    QMetaObject::invokeMethod(m_worker, std::move(call), Qt::QueuedConnection);
    return m_nextId - 1;
}

namespace {

ActionOutcome newAction(quint64 id, ActionKind kind, const QString& runId, const QString& batchType, qint64 jobId = 0)
{
    ActionOutcome action;
    action.actionId = id;
    action.kind = kind;
    action.runId = runId;
    action.batchType = batchType;
    action.jobId = jobId;
    return action;
}

} // namespace

quint64 EngineActions::submit(const SubmitRequest& request)
{
    const ActionOutcome action = newAction(m_nextId++, ActionKind::Submit, request.runId, request.batchType);
    return post([worker = m_worker, action, request] { worker->submit(action, request); });
}

quint64 EngineActions::retry(const QString& runId, const QString& batchType, const QString& reason)
{
    const ActionOutcome action = newAction(m_nextId++, ActionKind::Retry, runId, batchType);
    return post([worker = m_worker, action, reason] { worker->retry(action, reason); });
}

quint64 EngineActions::cancel(const QString& runId, const QString& batchType, const QString& reason)
{
    const ActionOutcome action = newAction(m_nextId++, ActionKind::Cancel, runId, batchType);
    return post([worker = m_worker, action, reason] { worker->cancel(action, reason); });
}

quint64 EngineActions::process(const QString& runId, const QString& batchType, bool harvest)
{
    const ActionOutcome action = newAction(m_nextId++, ActionKind::Process, runId, batchType);
    return post([worker = m_worker, action, harvest] { worker->process(action, harvest); });
}

quint64 EngineActions::exportResults(qint64 jobId, const QString& path, ExportFormat format, ResultFilter::Kind kind)
{
    const ActionOutcome action = newAction(m_nextId++, ActionKind::Export, {}, {}, jobId);
    return post([worker = m_worker, action, path, format, kind] { worker->exportResults(action, path, format, kind); });
}

quint64 EngineActions::loadResults(qint64 jobId, ResultFilter::Kind kind, int offset, int limit)
{
    ResultPage page;
    page.requestId = m_nextId++;
    page.jobId = jobId;
    page.kind = kind;
    page.offset = offset;
    return post([worker = m_worker, page, limit] { worker->loadResults(page, limit); });
}

quint64 EngineActions::loadRequestPreview(const QString& runId, const QString& batchType, int limit)
{
    const RequestPreviewPage page = newPreviewPage(runId, batchType, {});
    return post([worker = m_worker, page, limit] { worker->loadRequestPreview(page, limit); });
}

quint64
EngineActions::loadSentRequests(const QString& runId, const QString& batchType, const QString& inputFileId, int limit)
{
    const RequestPreviewPage page = newPreviewPage(runId, batchType, inputFileId);
    return post([worker = m_worker, page, limit] { worker->loadSentRequests(page, limit); });
}

RequestPreviewPage
EngineActions::newPreviewPage(const QString& runId, const QString& batchType, const QString& inputFileId)
{
    RequestPreviewPage page;
    page.requestId = m_nextId++;
    page.runId = runId;
    page.batchType = batchType;
    page.inputFileId = inputFileId;
    return page;
}

} // namespace batchdeck
