#pragma once

#include <QHostAddress>
#include <QObject>

#include "core/Result.h"
#include "simulator/HttpConnection.h"

class QTcpServer;

namespace batchdeck::sim {

// Accepts TCP connections and runs one HttpConnection per socket. Our own small HTTP/1.1 server
// rather than QHttpServer: Qt 6.4's QHttpServer buffers whole bodies in RAM (about twice the body
// size at peak), never answers Expect: 100-continue, and crashes when a kept QHttpServerResponder
// writes after its client disconnected, which stalls and slow creation need to survive.
class HttpListener : public QObject
{
    Q_OBJECT

public:
    HttpListener(const HttpLimits& limits, HttpRequestHandler handler, QObject* parent = nullptr);
    ~HttpListener() override;

    Result<quint16> listen(const QHostAddress& address, quint16 port);
    void close();
    bool isListening() const;
    QHostAddress address() const;
    quint16 port() const;

private:
    void onNewConnection();

    HttpLimits m_limits;
    HttpRequestHandler m_handler;
    QTcpServer* m_server;
};

} // namespace batchdeck::sim
