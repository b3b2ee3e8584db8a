#include "HttpListener.h"

#include <QTcpServer>
#include <QTcpSocket>

#include "core/Logging.h"

namespace batchdeck::sim {

HttpListener::HttpListener(const HttpLimits& limits, HttpRequestHandler handler, QObject* parent)
    : QObject(parent)
    , m_limits(limits)
    , m_handler(std::move(handler))
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &HttpListener::onNewConnection);
}

HttpListener::~HttpListener() = default;

Result<quint16> HttpListener::listen(const QHostAddress& address, quint16 port)
{
    if (!m_server->listen(address, port)) {
        return makeError(ErrorKind::Io,
                         QStringLiteral("cannot listen on %1:%2: %3")
                             .arg(address.toString(), QString::number(port), m_server->errorString()));
    }
    return m_server->serverPort();
}

void HttpListener::close()
{
    m_server->close();
    const QList<HttpConnection*> connections = findChildren<HttpConnection*>(Qt::FindDirectChildrenOnly);
    for (HttpConnection* connection : connections)
        delete connection;
}

bool HttpListener::isListening() const
{
    return m_server->isListening();
}

QHostAddress HttpListener::address() const
{
    return m_server->serverAddress();
}

quint16 HttpListener::port() const
{
    return m_server->serverPort();
}

void HttpListener::onNewConnection()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection())
        new HttpConnection(socket, m_limits, m_handler, this);
}

} // namespace batchdeck::sim
