#include "ApiServer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>

#include "core/Logging.h"
#include "core/Names.h"
#include "http/ApiErrors.h"
#include "http/HttpListener.h"
#include "http/ItemRoutes.h"
#include "http/JobRoutes.h"
#include "http/MetaRoutes.h"
#include "http/PathSegments.h"
#include "http/PipelineRoutes.h"
#include "http/ResultRoutes.h"
#include "provider/BatchProvider.h"
#include "service/BatchService.h"

namespace batchdeck::http {

namespace {

const QString kNoRoute = QStringLiteral("-");

QString protocolErrorCode(int status)
{
    switch (status) {
    case 413:
        return QStringLiteral("body_too_large");
    case 431:
        return QStringLiteral("headers_too_large");
    case 501:
        return QStringLiteral("not_implemented");
    case 500:
        return QStringLiteral("internal_error");
    default:
        return QStringLiteral("bad_request");
    }
}

QString errorCodeOf(const HttpResponse& response)
{
    if (response.status < 400 || response.body.isEmpty())
        return {};
    return QJsonDocument::fromJson(response.body)
        .object()
        .value(QStringLiteral("error"))
        .toObject()
        .value(QStringLiteral("code"))
        .toString();
}

// Counts a request in flight for as long as its coroutine runs, so drain() knows when to stop.
class InFlight
{
public:
    InFlight(int& counter, ApiMetrics& metrics)
        : m_counter(counter)
        , m_metrics(metrics)
    {
        m_metrics.setRequestsInFlight(++m_counter);
    }
    ~InFlight() { m_metrics.setRequestsInFlight(--m_counter); }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

private:
    int& m_counter;
    ApiMetrics& m_metrics;
};

} // namespace

ApiServer::ApiServer(ApiServerOptions options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_auth(m_options.token)
    , m_log(m_options.logFormat)
    , m_statusCache(m_options.statusCacheMs)
{
    if (m_options.spoolDir.isEmpty())
        m_options.spoolDir = QDir::tempPath();
    m_context.metrics = &m_metrics;
    m_context.statusCache = &m_statusCache;
    m_context.router = &m_router;
    m_pipelineRoutes = std::make_unique<PipelineRoutes>(m_context);
    m_jobRoutes = std::make_unique<JobRoutes>(m_context);
    m_resultRoutes = std::make_unique<ResultRoutes>(m_context, m_options.spoolDir);
    m_itemRoutes = std::make_unique<ItemRoutes>(m_context);
    m_metaRoutes = std::make_unique<MetaRoutes>(m_context);
    m_pipelineRoutes->registerRoutes(m_router);
    m_jobRoutes->registerRoutes(m_router);
    m_resultRoutes->registerRoutes(m_router);
    m_itemRoutes->registerRoutes(m_router);
    m_metaRoutes->registerRoutes(m_router);

    HttpLimits limits;
    limits.maxBodyBytes = m_options.maxBodyBytes;
    limits.spoolDir = m_options.spoolDir;
    m_listener = new HttpListener(
        limits,
        [this](HttpRequest&& request, HttpResponder responder) { onRequest(std::move(request), responder); },
        [this](int status, const QString& message) { return protocolError(status, message); },
        this);
    connect(m_listener, &HttpListener::drained, this, [this] {
        m_listenerDrained = true;
        checkDrained();
    });
}

ApiServer::~ApiServer()
{
    // Connections may call back while the listener goes: it goes before the routes and the context.
    delete m_listener;
    m_listener = nullptr;
}

void ApiServer::setTlsConfiguration(const QSslConfiguration& configuration)
{
    m_listener->setTlsConfiguration(configuration);
}

Result<quint16> ApiServer::listen(const QHostAddress& address, quint16 port)
{
    if (!address.isLoopback() && !m_auth.enabled())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("refusing to listen on %1 without a token: anyone who can reach it could "
                                        "submit and cancel jobs. Set BATCHDECK_API_TOKEN or --token-file, or "
                                        "listen on 127.0.0.1")
                             .arg(address.toString()));
    return m_listener->listen(address, port);
}

QHostAddress ApiServer::address() const
{
    return m_listener->address();
}

quint16 ApiServer::port() const
{
    return m_listener->port();
}

void ApiServer::setEngine(BatchService& service, BatchProvider* provider)
{
    m_context.service = &service;
    m_statusCache.clear();
    connect(&service, &BatchService::jobChanged, this, [this](qint64 jobId) { m_statusCache.invalidate(jobId); });
    if (provider)
        connect(provider, &BatchProvider::callFinished, this, [this](const ProviderCallRecord& record) {
            m_metrics.recordProviderCall(record);
        });
}

void ApiServer::drain()
{
    if (m_draining)
        return;
    m_draining = true;
    m_listener->drain();
}

void ApiServer::checkDrained()
{
    if (!m_draining || !m_listenerDrained || m_inFlight > 0 || m_drainedSent)
        return;
    m_drainedSent = true;
    QMetaObject::invokeMethod(this, &ApiServer::drained, Qt::QueuedConnection);
}

void ApiServer::onRequest(HttpRequest&& request, HttpResponder responder)
{
    // A named copy, never an xvalue, for the coroutine's parameter (g++ 12, see ApiRoute.h).
    const HttpRequest owned = std::move(request);
    // Fire and forget: the task runs on until its answer is sent (QCoro frees it then).
    QCoro::Task<void> task = serve(owned, responder);
    Q_UNUSED(task);
}

ApiServer::Dispatch ApiServer::dispatch(HttpRequest&& request)
{
    Dispatch result;
    auto segments = decodePathSegments(request.rawPath);
    if (!segments) {
        result.answer = errorResponse(segments.error());
        return result;
    }
    const ApiRouter::Match match = m_router.match(request.method, *segments);
    const bool open = match.outcome == RouteOutcome::Matched && match.handler->open;
    if (!open) {
        const BearerAuth::Outcome auth = m_auth.check(request.header("authorization"));
        if (auth != BearerAuth::Outcome::Allowed) {
            HttpResponse answer =
                auth == BearerAuth::Outcome::Missing
                    ? errorResponse(401,
                                    QStringLiteral("missing_token"),
                                    QStringLiteral("this server needs Authorization: Bearer <token>"))
                    : errorResponse(401, QStringLiteral("invalid_token"), QStringLiteral("the bearer token is wrong"));
            answer.setHeader("www-authenticate", "Bearer realm=\"batchdeck\"");
            result.answer = std::move(answer);
            return result;
        }
    }
    if (match.outcome == RouteOutcome::NotFound) {
        result.answer = errorResponse(404,
                                      QStringLiteral("route_not_found"),
                                      QStringLiteral("no route %1 %2 (see /openapi.json)")
                                          .arg(QString::fromLatin1(request.method),
                                               QString::fromLatin1(RequestLog::printablePath(request.rawPath))));
        return result;
    }
    if (match.outcome == RouteOutcome::WrongMethod) {
        HttpResponse answer = errorResponse(
            405,
            QStringLiteral("method_not_allowed"),
            QStringLiteral("this path does not take %1; it takes %2")
                .arg(QString::fromLatin1(request.method), QString::fromLatin1(match.allowedMethods.join(", "))));
        answer.setHeader("allow", match.allowedMethods.join(", "));
        result.answer = std::move(answer);
        return result;
    }

    result.route = match.handler;
    result.request.route = match.pattern;
    result.request.params = match.params;
    result.request.actor = m_options.actor;
    const QStringList names = pathSegments(match.pattern);
    qsizetype index = 0;
    for (const QString& name : names) {
        if (!name.startsWith(u'{'))
            continue;
        const QString& value = match.params.at(index++);
        if (name == u"{run_id}") {
            if (auto valid = validateRunId(value); !valid) {
                result.answer = errorResponse(invalidRequest(QStringLiteral("invalid_run_id"), valid.error().message));
                return result;
            }
            result.request.runId = value;
        } else if (name == u"{batch_type}") {
            if (auto valid = validateBatchTypeName(value); !valid) {
                result.answer =
                    errorResponse(invalidRequest(QStringLiteral("invalid_batch_type"), valid.error().message));
                return result;
            }
            result.request.batchType = value;
        }
    }
    if (match.handler->needsEngine && !m_context.ready()) {
        result.answer =
            errorResponse(makeError(ErrorKind::Database,
                                    QStringLiteral("not_ready"),
                                    QStringLiteral("the server is starting: the database is not open yet")));
        return result;
    }
    result.request.http = std::move(request);
    return result;
}

QCoro::Task<void> ApiServer::serve(HttpRequest request, HttpResponder responder)
{
    InFlight inFlight(m_inFlight, m_metrics);
    QElapsedTimer timer;
    timer.start();
    const QByteArray method = request.method;
    const QByteArray rawPath = request.rawPath;
    Dispatch dispatched = dispatch(std::move(request));
    QString route = kNoRoute;
    HttpResponse response;
    if (dispatched.answer) {
        response = std::move(*dispatched.answer);
        route = dispatched.request.route.isEmpty() ? kNoRoute : dispatched.request.route;
    } else {
        route = dispatched.request.route;
        const ApiRequest apiRequest = dispatched.request;
        response = co_await dispatched.route->handler(apiRequest);
    }
    finish(responder, std::move(response), method, rawPath, route, timer.nsecsElapsed() / 1000);
    // The guard has not counted down yet: the last request in flight checks again once it has.
    QMetaObject::invokeMethod(this, &ApiServer::checkDrained, Qt::QueuedConnection);
}

void ApiServer::finish(const HttpResponder& responder,
                       HttpResponse response,
                       const QByteArray& method,
                       const QByteArray& rawPath,
                       const QString& route,
                       qint64 durationUs)
{
    response.setHeader("cache-control", "no-store");
    m_metrics.recordRequest(method, route, response.status, durationUs);
    const qint64 bytes = response.bodyDevice ? response.bodyDevice->size() : response.body.size();
    m_log.write({method, rawPath, route, response.status, durationUs, bytes, errorCodeOf(response)});
    Q_EMIT requestFinished(method, route, response.status);
    responder.send(std::move(response));
}

HttpResponse ApiServer::protocolError(int status, const QString& message)
{
    // The connection refused the request before it reached a route (malformed, too large): count
    // and log it like any other answer.
    const QString code = protocolErrorCode(status);
    HttpResponse response = errorResponse(status, code, message);
    m_metrics.recordRequest("-", kNoRoute, status, 0);
    m_log.write({"-", QByteArray(), kNoRoute, status, 0, response.body.size(), code});
    Q_EMIT requestFinished("-", kNoRoute, status);
    return response;
}

} // namespace batchdeck::http
