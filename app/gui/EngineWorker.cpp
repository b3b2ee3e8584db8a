#include "EngineWorker.h"

#include <QFileInfo>
#include <QThread>

#include "core/Logging.h"
#include "core/Names.h"
#include "http/ApiServer.h"
#include "provider/BatchProvider.h"
#include "service/BatchService.h"
#include "service/Poller.h"
#include "service/RequestPreview.h"
#include "store/ItemImporter.h"
#include "store/JobStore.h"

namespace batchdeck {

namespace {

void failWith(ActionOutcome& outcome, const Error& error)
{
    outcome.ok = false;
    outcome.message = error.message;
    outcome.errorCode = error.code;
    if (outcome.errorCode.isEmpty()) {
        switch (error.kind) {
        case ErrorKind::InvalidInput:
            outcome.errorCode = QStringLiteral("invalid_input");
            break;
        case ErrorKind::NotFound:
            outcome.errorCode = QStringLiteral("not_found");
            break;
        case ErrorKind::Conflict:
            outcome.errorCode = QStringLiteral("conflict");
            break;
        case ErrorKind::Database:
        case ErrorKind::SchemaTooNew:
            outcome.errorCode = QStringLiteral("database_error");
            break;
        case ErrorKind::ProviderTransient:
        case ErrorKind::ProviderPermanent:
            outcome.errorCode = QStringLiteral("provider_error");
            break;
        case ErrorKind::Io:
            outcome.errorCode = QStringLiteral("io_error");
            break;
        case ErrorKind::Internal:
            outcome.errorCode = QStringLiteral("internal_error");
            break;
        }
    }
}

} // namespace

EngineWorker::EngineWorker(EngineActions::Factory factory, EngineActionsOptions options)
    : m_factory(std::move(factory))
    , m_options(std::move(options))
    , m_shutdownCheck(this) // a child, so that moveToThread() takes it along to the engine thread
{
    m_shutdownCheck.setSingleShot(true);
    m_shutdownCheck.setInterval(20);
    connect(&m_shutdownCheck, &QTimer::timeout, this, &EngineWorker::onShutdownCheck);
}

EngineWorker::~EngineWorker()
{
    // The server and the poller use the service: they go first.
    m_server.reset();
    m_poller.reset();
    m_engine.reset();
}

void EngineWorker::start()
{
    auto engine = m_factory();
    if (!engine) {
        qCWarning(lcService) << "the console's engine cannot start:" << engine.error().message;
        Q_EMIT startFailed(engine.error().message);
        return;
    }
    m_engine = std::move(*engine);
    if (m_options.poller) {
        PollerOptions options;
        options.intervalMs = m_options.pollerIntervalMs;
        options.autoProcess = m_options.autoProcess;
        options.actor = QStringLiteral("poller");
        m_poller = std::make_unique<Poller>(m_engine->service(), options);
        m_poller->start();
    }
    Q_EMIT started(m_engine->batchTypes().types(), m_engine->isDemo(), m_engine->service().thread());
    if (m_pendingServer)
        applyServer(*std::exchange(m_pendingServer, std::nullopt));
}

void EngineWorker::applyServer(ConsoleServerSettings settings)
{
    if (!m_engine) {
        m_pendingServer = settings;
        return;
    }
    stopServer();
    if (!settings.enabled) {
        Q_EMIT serverChanged(false, {}, {});
        return;
    }
    QHostAddress address;
    if (settings.address.trimmed().compare(QStringLiteral("localhost"), Qt::CaseInsensitive) == 0)
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(settings.address.trimmed())) {
        Q_EMIT serverChanged(
            false, {}, QStringLiteral("'%1' is not an IP address (127.0.0.1, ::1, 0.0.0.0 …)").arg(settings.address));
        return;
    }
    http::ApiServerOptions options;
    options.token = settings.token;
    options.actor = QStringLiteral("api");
    m_server = std::make_unique<http::ApiServer>(options);
    m_server->setEngine(m_engine->service(), &m_engine->provider());
    auto port = m_server->listen(address, quint16(settings.port));
    if (!port) {
        m_server.reset();
        Q_EMIT serverChanged(false, {}, port.error().message);
        return;
    }
    QString host = address.toString();
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    const QString url = QStringLiteral("http://%1:%2").arg(host).arg(*port);
    qCInfo(lcService).noquote() << "the console's HTTP API listens on" << url;
    Q_EMIT serverChanged(true, url, {});
}

void EngineWorker::stopServer()
{
    if (!m_server)
        return;
    // Requests in flight still use the engine: the old server goes once they are answered.
    http::ApiServer* old = m_server.release();
    connect(old, &http::ApiServer::drained, old, &QObject::deleteLater);
    old->drain();
}

void EngineWorker::shutdown()
{
    if (m_poller)
        m_poller->stop();
    if (m_server)
        m_server->drain();
    m_shutdownChecksLeft = 250; // about five seconds
    onShutdownCheck();
}

void EngineWorker::onShutdownCheck()
{
    const bool idle =
        m_inFlight == 0 && (!m_poller || !m_poller->isTicking()) && (!m_server || m_server->requestsInFlight() == 0);
    // Storing results is waited for however long it takes: it ends by itself, and a process that
    // exits under it leaves the job PROCESSING until its lease expires.
    const bool storing = m_engine && m_engine->service().isWorking();
    if (!idle && (--m_shutdownChecksLeft > 0 || storing)) {
        m_shutdownCheck.start();
        return;
    }
    m_shutdownCheck.stop();
    if (!idle) {
        // A provider call still holds a coroutine that uses the engine: destroying the engine under it
        // would crash it when it resumes. The process is ending; let the operating system clean up.
        qCWarning(lcService) << "leaving" << m_inFlight << "unfinished actions at exit";
        (void)m_server.release();
        (void)m_poller.release();
        (void)m_engine.release();
    }
    thread()->quit();
}

bool EngineWorker::checkReady(ActionOutcome& action)
{
    if (m_engine)
        return true;
    action.ok = false;
    action.errorCode = QStringLiteral("engine_not_ready");
    action.message = QStringLiteral("the engine is not running");
    return false;
}

void EngineWorker::finish(ActionOutcome outcome)
{
    if (outcome.ok)
        qCInfo(lcService).noquote() << actionName(outcome.kind) << "by" << m_options.actor << ":" << outcome.message;
    else
        qCWarning(lcService).noquote() << actionName(outcome.kind) << "by" << m_options.actor
                                       << "failed:" << outcome.errorCode << outcome.message;
    Q_EMIT actionFinished(outcome);
}

void EngineWorker::submit(ActionOutcome action, SubmitRequest request)
{
    if (!checkReady(action))
        return finish(action);
    ++m_inFlight;
    QCoro::connect(runSubmit(action, request), this, [this](ActionOutcome outcome) {
        --m_inFlight;
        finish(outcome);
    });
}

QCoro::Task<ActionOutcome> EngineWorker::runSubmit(ActionOutcome action, SubmitRequest request)
{
    if (auto valid = validateRunId(request.runId); !valid) {
        failWith(action, valid.error());
        co_return action;
    }
    QString imported;
    if (!request.itemsPath.isEmpty()) {
        ImportOptions options;
        options.keyField = request.keyField;
        options.format = request.itemFormat;
        auto report = ItemImporter(m_engine->database()).importFile(request.runId, request.itemsPath, options);
        if (!report) {
            failWith(action, report.error());
            co_return action;
        }
        imported = QStringLiteral("imported %1 items from %2; ")
                       .arg(report->items)
                       .arg(QFileInfo(request.itemsPath).fileName());
    }
    const QString actor = m_options.actor;
    const QString runId = request.runId;
    const QString batchType = request.batchType;
    Result<SubmitOutcome> submitted;
    if (request.requestFilePath.isEmpty()) {
        submitted = co_await m_engine->service().submit(runId, batchType, actor);
    } else {
        const QString path = request.requestFilePath;
        submitted = co_await m_engine->service().submitFile(runId, batchType, path, actor);
    }
    if (!submitted) {
        failWith(action, submitted.error());
        if (!imported.isEmpty())
            action.message = imported + action.message;
        if (auto job = JobStore(m_engine->database()).find(runId, batchType); job && job->has_value())
            action.jobId = (*job)->id;
        co_return action;
    }
    action.ok = true;
    action.jobId = submitted->job.id;
    if (submitted->skipped)
        action.message = QStringLiteral("%1nothing sent: the job is %2 already (batch %3)")
                             .arg(imported, statusName(submitted->job.status), submitted->job.llmBatchId);
    else if (submitted->adopted)
        action.message = QStringLiteral("%1adopted provider batch %2 of an interrupted submit")
                             .arg(imported, submitted->job.llmBatchId);
    else
        action.message = QStringLiteral("%1submitted %2 requests as provider batch %3")
                             .arg(imported)
                             .arg(submitted->requests)
                             .arg(submitted->job.llmBatchId);
    co_return action;
}

void EngineWorker::retry(ActionOutcome action, QString reason)
{
    if (!checkReady(action))
        return finish(action);
    auto retried = m_engine->service().retry(action.runId, action.batchType, m_options.actor, reason);
    if (!retried) {
        failWith(action, retried.error());
    } else {
        action.ok = true;
        action.jobId = retried->id;
        action.message = QStringLiteral("job %1 is waiting for submission again as attempt %2")
                             .arg(retried->id)
                             .arg(retried->attempt);
    }
    finish(action);
}

void EngineWorker::cancel(ActionOutcome action, QString reason)
{
    if (!checkReady(action))
        return finish(action);
    ++m_inFlight;
    QCoro::connect(runCancel(action, reason), this, [this](ActionOutcome outcome) {
        --m_inFlight;
        finish(outcome);
    });
}

QCoro::Task<ActionOutcome> EngineWorker::runCancel(ActionOutcome action, QString reason)
{
    const QString runId = action.runId;
    const QString batchType = action.batchType;
    const QString actor = m_options.actor;
    auto cancelled = co_await m_engine->service().cancel(runId, batchType, actor, reason);
    if (!cancelled) {
        failWith(action, cancelled.error());
        co_return action;
    }
    action.ok = true;
    action.jobId = cancelled->id;
    action.message = cancelled->status == JobStatus::SubmissionFailed
                         ? QStringLiteral("job %1 is cancelled").arg(cancelled->id)
                         : QStringLiteral("the provider is cancelling batch %1 of job %2")
                               .arg(cancelled->llmBatchId)
                               .arg(cancelled->id);
    co_return action;
}

void EngineWorker::process(ActionOutcome action, bool harvest)
{
    if (!checkReady(action))
        return finish(action);
    ++m_inFlight;
    QCoro::connect(runProcess(action, harvest), this, [this](ActionOutcome outcome) {
        --m_inFlight;
        finish(outcome);
    });
}

QCoro::Task<ActionOutcome> EngineWorker::runProcess(ActionOutcome action, bool harvest)
{
    const QString runId = action.runId;
    const QString batchType = action.batchType;
    const QString actor = m_options.actor;
    auto processed = co_await m_engine->service().process(runId, batchType, actor, harvest);
    if (!processed) {
        failWith(action, processed.error());
        co_return action;
    }
    action.ok = true;
    action.jobId = processed->job.id;
    action.message = processed->skipped ? QStringLiteral("job %1 was processed already").arg(processed->job.id)
                                        : QStringLiteral("stored %1 results of job %2 (%3 errors)")
                                              .arg(processed->resultsSaved)
                                              .arg(processed->job.id)
                                              .arg(processed->errors);
    co_return action;
}

void EngineWorker::exportResults(ActionOutcome action, QString path, ExportFormat format, ResultFilter::Kind kind)
{
    if (!checkReady(action))
        return finish(action);
    ResultFilter filter;
    filter.kind = kind;
    auto written = batchdeck::exportResults(m_engine->database(), action.jobId, filter, format, path);
    if (!written) {
        failWith(action, written.error());
    } else {
        action.ok = true;
        action.message = QStringLiteral("wrote %1 results to %2").arg(*written).arg(path);
    }
    finish(action);
}

void EngineWorker::loadResults(ResultPage page, int limit)
{
    if (!m_engine) {
        page.error = QStringLiteral("the engine is not running");
        Q_EMIT resultsLoaded(page);
        return;
    }
    const ResultStore store(m_engine->database());
    auto counts = store.counts(page.jobId);
    if (!counts) {
        page.error = counts.error().message;
        Q_EMIT resultsLoaded(page);
        return;
    }
    switch (page.kind) {
    case ResultFilter::Kind::All:
        page.total = counts->saved;
        break;
    case ResultFilter::Kind::Successes:
        page.total = counts->saved - counts->errors;
        break;
    case ResultFilter::Kind::Errors:
        page.total = counts->errors;
        break;
    }
    ResultFilter filter;
    filter.kind = page.kind;
    filter.offset = page.offset;
    filter.limit = limit;
    // Streamed, each row cut to what the table shows: a page of long results stays small.
    auto read = store.forEach(page.jobId, filter, [&page](const BatchResult& result) {
        BatchResult row = result;
        if (row.content.size() > kPreviewChars)
            row.content = row.content.left(kPreviewChars) + QStringLiteral("…");
        row.parsedJson.clear();
        page.rows.append(std::move(row));
        return true;
    });
    if (!read)
        page.error = read.error().message;
    Q_EMIT resultsLoaded(page);
}

void EngineWorker::loadRequestPreview(RequestPreviewPage page, int limit)
{
    if (!m_engine) {
        page.error = QStringLiteral("the engine is not running");
        Q_EMIT requestPreviewLoaded(page);
        return;
    }
    auto type = m_engine->batchTypes().find(page.batchType);
    if (!type) {
        page.error = type.error().message;
        Q_EMIT requestPreviewLoaded(page);
        return;
    }
    auto preview = previewRequests(m_engine->database(), *type, page.runId, limit);
    if (!preview) {
        page.error = preview.error().message;
    } else {
        page.lines = preview->lines;
        page.total = preview->total;
    }
    Q_EMIT requestPreviewLoaded(page);
}

void EngineWorker::loadSentRequests(RequestPreviewPage page, int limit)
{
    if (!m_engine) {
        page.error = QStringLiteral("the engine is not running");
        Q_EMIT requestPreviewLoaded(page);
        return;
    }
    ++m_inFlight;
    QCoro::connect(readSentRequests(page, limit), this, [this](RequestPreviewPage read) {
        --m_inFlight;
        Q_EMIT requestPreviewLoaded(read);
    });
}

QCoro::Task<RequestPreviewPage> EngineWorker::readSentRequests(RequestPreviewPage page, int limit)
{
    const QString fileId = page.inputFileId;
    auto head = co_await m_engine->provider().readFileContentHead(fileId, kSentPreviewBytes);
    if (!head) {
        page.error = head.error().message;
        co_return page;
    }
    QList<QByteArray> lines = head->data.split('\n');
    // The last piece of a head cut short is a line cut short: left out, unless it is the only one (a
    // request longer than the head), whose start is shown.
    if (!head->complete && lines.size() > 1)
        lines.removeLast();
    else if (!head->complete)
        lines.last().append("…");
    lines.removeIf([](const QByteArray& line) { return line.trimmed().isEmpty(); });
    page.total = head->complete ? lines.size() : -1;
    if (limit > 0 && lines.size() > limit)
        lines.resize(limit);
    page.lines = lines;
    co_return page;
}

} // namespace batchdeck
