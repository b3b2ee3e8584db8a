#pragma once

#include <optional>

#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>

#include "core/Result.h"
#include "http/HttpConnection.h"

class QTcpServer;

namespace batchdeck::http {

// Accepts TCP (or TLS) connections and runs one HttpConnection per socket: our own small HTTP/1.1
// server, used by the simulator and by the API server, rather than QHttpServer, whose 6.4 version
// (Debian 12 ships 6.4.2) does not fit:
//  - it buffers whole request bodies in RAM (about twice the body size at peak): a 200 MB batch file
//    uploaded to the simulator would cost 400 MB; BodyBuffer here spools to disk past 1 MB;
//  - it never answers "Expect: 100-continue", so curl waits a second before every upload larger than
//    1 KB. Checked against 6.4.2 with a small program: a POST with that header got no interim
//    response within 1.5 s, and the route only ran once the client sent the body anyway;
//  - it crashes when a kept QHttpServerResponder writes after its client disconnected, which the
//    simulator's stalls and the API server's coroutines (a request awaiting the provider while the
//    Airflow sensor gives up) must survive: HttpResponder here holds a QPointer and drops late answers;
//  - its asynchronous handlers are QFutures on a thread pool, which fits neither our single-thread
//    coroutine engine nor our per-thread database connections; here a handler answers through
//    HttpResponder whenever it is done, on the listener's thread;
//  - it offers no way to stop accepting and wait for the requests in flight, which SIGTERM in
//    `batchdeck-cli serve` needs (drain() here).
class HttpListener : public QObject
{
    Q_OBJECT

public:
    HttpListener(const HttpLimits& limits,
                 HttpRequestHandler handler,
                 HttpErrorResponder errorResponder = {},
                 QObject* parent = nullptr);
    ~HttpListener() override;

    // With a configuration (certificate and key set), listen() accepts TLS connections only.
    void setTlsConfiguration(const QSslConfiguration& configuration);

    Result<quint16> listen(const QHostAddress& address, quint16 port);
    void close();
    bool isListening() const;
    QHostAddress address() const;
    quint16 port() const;
    int connectionCount() const;

    // Stops accepting, closes idle keep-alive connections and lets the others finish the request in
    // flight; drained() follows once no connection is left (at once when none is open).
    void drain();

Q_SIGNALS:
    void drained();

private:
    void onNewConnection();
    void onConnectionDestroyed();

    HttpLimits m_limits;
    HttpRequestHandler m_handler;
    HttpErrorResponder m_errorResponder;
    std::optional<QSslConfiguration> m_tls;
    QTcpServer* m_server = nullptr;
    bool m_draining = false;
};

} // namespace batchdeck::http
