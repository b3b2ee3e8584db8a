#pragma once

#include <memory>

#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>
#include <qcoro/qcorotask.h>

#include "core/Result.h"
#include "http/ApiMetrics.h"
#include "http/ApiRoute.h"
#include "http/BearerAuth.h"
#include "http/HttpConnection.h"
#include "http/RequestLog.h"
#include "http/StatusCache.h"

namespace batchdeck {
class BatchProvider;
class BatchService;
} // namespace batchdeck

namespace batchdeck::http {

class HttpListener;
class ItemRoutes;
class JobRoutes;
class MetaRoutes;
class PipelineRoutes;
class ResultRoutes;

struct ApiServerOptions
{
    QByteArray token; // empty: no token, and listen() only on loopback
    qint64 maxBodyBytes = 256LL * 1024 * 1024;
    QString spoolDir; // large bodies and result exports; empty: the system's temporary folder
    QString actor = QStringLiteral("api");
    RequestLog::Format logFormat = RequestLog::Format::Text;
    qint64 statusCacheMs = 1000; // StatusCache.h; 0: every status request reads the database
};

// The HTTP API of design.md ("HTTP API"), for `batchdeck-cli serve` and the console's in-process
// server alike. One thread: every request runs as a coroutine on the thread the server lives in,
// so a request that awaits the provider never holds up the others, and the engine keeps its
// single-thread, per-thread-connection model (long database work goes to worker threads with their
// own connections). See HttpListener.h for why this is not QHttpServer.
//
// Every request: path split and percent-decoded per segment, bearer token (not for /healthz),
// route (404/405), run_id and batch_type checked (400), readiness (503 until setEngine), handler,
// then one log line and the metrics. Errors are {"error": {"code", "message"}} (ApiErrors.h).
class ApiServer : public QObject
{
    Q_OBJECT

public:
    explicit ApiServer(ApiServerOptions options, QObject* parent = nullptr);
    ~ApiServer() override; // drain() first: requests in flight use the engine

    void setTlsConfiguration(const QSslConfiguration& configuration);
    // Refuses a non-loopback address without a token. Port 0 picks a free port; the result is the port.
    Result<quint16> listen(const QHostAddress& address, quint16 port);
    QHostAddress address() const;
    quint16 port() const;

    // The engine to serve; until then routes that need it answer 503 not_ready. The provider's calls
    // are counted for /metrics.
    void setEngine(BatchService& service, BatchProvider* provider);
    bool isReady() const { return m_context.ready(); }

    // Stops accepting, lets the requests in flight finish, then drained(). For SIGTERM.
    void drain();
    int requestsInFlight() const { return m_inFlight; }

    const ApiRouter& router() const { return m_router; }
    ApiMetrics& metrics() { return m_metrics; }

Q_SIGNALS:
    void drained();
    void requestFinished(const QByteArray& method, const QString& route, int status);

private:
    struct Dispatch
    {
        const ApiRoute* route = nullptr;
        ApiRequest request;
        std::optional<HttpResponse> answer; // set when the request is answered without a handler
    };

    void onRequest(HttpRequest&& request, HttpResponder responder);
    QCoro::Task<void> serve(HttpRequest request, HttpResponder responder);
    Dispatch dispatch(HttpRequest&& request);
    HttpResponse protocolError(int status, const QString& message);
    void finish(const HttpResponder& responder,
                HttpResponse response,
                const QByteArray& method,
                const QByteArray& rawPath,
                const QString& route,
                qint64 durationUs);
    void checkDrained();

    ApiServerOptions m_options;
    BearerAuth m_auth;
    RequestLog m_log;
    ApiMetrics m_metrics;
    StatusCache m_statusCache;
    ApiRouter m_router;
    ApiContext m_context;
    std::unique_ptr<PipelineRoutes> m_pipelineRoutes;
    std::unique_ptr<JobRoutes> m_jobRoutes;
    std::unique_ptr<ResultRoutes> m_resultRoutes;
    std::unique_ptr<ItemRoutes> m_itemRoutes;
    std::unique_ptr<MetaRoutes> m_metaRoutes;
    HttpListener* m_listener = nullptr;
    int m_inFlight = 0;
    bool m_draining = false;
    bool m_listenerDrained = false;
    bool m_drainedSent = false;
};

} // namespace batchdeck::http
