#include "HttpListener.h"

#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>

#include "core/Logging.h"

namespace batchdeck::http {

namespace {

constexpr int kTlsHandshakeTimeoutMs = 10'000;

} // namespace

HttpListener::HttpListener(const HttpLimits& limits,
                           HttpRequestHandler handler,
                           HttpErrorResponder errorResponder,
                           QObject* parent)
    : QObject(parent)
    , m_limits(limits)
    , m_handler(std::move(handler))
    , m_errorResponder(std::move(errorResponder))
{}

HttpListener::~HttpListener() = default;

void HttpListener::setTlsConfiguration(const QSslConfiguration& configuration)
{
    m_tls = configuration;
}

Result<quint16> HttpListener::listen(const QHostAddress& address, quint16 port)
{
    if (!m_server) {
        if (m_tls) {
            auto* server = new QSslServer(this);
            server->setSslConfiguration(*m_tls);
            server->setHandshakeTimeout(kTlsHandshakeTimeoutMs);
            // A failed handshake is the client's problem; the socket is dropped by QSslServer.
            connect(server, &QSslServer::errorOccurred, this, [](QSslSocket*, QAbstractSocket::SocketError error) {
                qCDebug(lcHttp) << "TLS connection failed:" << error;
            });
            m_server = server;
        } else {
            m_server = new QTcpServer(this);
        }
        connect(m_server, &QTcpServer::pendingConnectionAvailable, this, &HttpListener::onNewConnection);
    }
    if (!m_server->listen(address, port)) {
        return makeError(ErrorKind::Io,
                         QStringLiteral("cannot listen on %1:%2: %3")
                             .arg(address.toString(), QString::number(port), m_server->errorString()));
    }
    return m_server->serverPort();
}

void HttpListener::close()
{
    if (m_server)
        m_server->close();
    const QList<HttpConnection*> connections = findChildren<HttpConnection*>(Qt::FindDirectChildrenOnly);
    for (HttpConnection* connection : connections)
        delete connection;
}

bool HttpListener::isListening() const
{
    return m_server && m_server->isListening();
}

QHostAddress HttpListener::address() const
{
    return m_server ? m_server->serverAddress() : QHostAddress();
}

quint16 HttpListener::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

int HttpListener::connectionCount() const
{
    return int(findChildren<HttpConnection*>(Qt::FindDirectChildrenOnly).size());
}

void HttpListener::drain()
{
    m_draining = true;
    if (m_server)
        m_server->close();
    const QList<HttpConnection*> connections = findChildren<HttpConnection*>(Qt::FindDirectChildrenOnly);
    for (HttpConnection* connection : connections)
        connection->closeWhenIdle();
    if (connectionCount() == 0)
        QMetaObject::invokeMethod(this, &HttpListener::drained, Qt::QueuedConnection);
}

void HttpListener::onNewConnection()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        auto* connection = new HttpConnection(socket, m_limits, m_handler, m_errorResponder, this);
        connect(connection, &QObject::destroyed, this, &HttpListener::onConnectionDestroyed);
        if (m_draining)
            connection->closeWhenIdle();
    }
}

void HttpListener::onConnectionDestroyed()
{
    // destroyed() comes from ~QObject, while the connection is still listed among the children.
    if (m_draining && connectionCount() <= 1)
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (connectionCount() == 0)
                    Q_EMIT drained();
            },
            Qt::QueuedConnection);
}

} // namespace batchdeck::http
