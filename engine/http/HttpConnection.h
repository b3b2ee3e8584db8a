#pragma once

#include <functional>
#include <memory>

#include <QByteArray>
#include <QObject>
#include <QPointer>

#include "http/HttpMessage.h"

class QIODevice;
class QTcpSocket;

namespace batchdeck::http {

class BodyBuffer;
class HttpConnection;

struct HttpLimits
{
    qint64 maxHeaderBytes = 64 * 1024;
    qint64 maxBodyBytes = 600LL * 1024 * 1024;
    qint64 memoryBodyLimit = 1024 * 1024; // larger bodies spool to a temporary file
    QString spoolDir;
};

// Answers one request. Safe to keep and use later (stalls, slow creation, a coroutine that awaits the
// provider): if the client has gone away meanwhile, send() does nothing. QHttpServerResponder in
// Qt 6.4 crashes in that case.
class HttpResponder
{
public:
    HttpResponder(HttpConnection* connection, quint64 serial);
    void send(HttpResponse response) const;
    bool isConnected() const { return !m_connection.isNull(); }

private:
    QPointer<HttpConnection> m_connection;
    quint64 m_serial = 0;
};

using HttpRequestHandler = std::function<void(HttpRequest&&, HttpResponder)>;
// The answer to a request the connection itself refuses (malformed, too large): each server speaks
// its own error envelope (the simulator OpenAI's, the API server Batchdeck's).
using HttpErrorResponder = std::function<HttpResponse(int status, const QString& message)>;

// A plain-text answer, for servers that pass no HttpErrorResponder.
HttpResponse plainErrorResponse(int status, const QString& message);

// A minimal HTTP/1.1 server connection: Content-Length and chunked request bodies, Expect:
// 100-continue, keep-alive, one request at a time (later pipelined bytes wait in the buffer).
class HttpConnection : public QObject
{
    Q_OBJECT

public:
    HttpConnection(QTcpSocket* socket,
                   const HttpLimits& limits,
                   HttpRequestHandler handler,
                   HttpErrorResponder errorResponder,
                   QObject* parent);
    ~HttpConnection() override;

    void respond(quint64 serial, HttpResponse response);

    // For a graceful stop: an idle connection closes now; one with a request in flight (being read,
    // handled or written) closes right after that request's response.
    void closeWhenIdle();

private:
    enum class State
    {
        Head,
        FixedBody,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        AwaitingResponse,
        Writing,
        Closing,
    };

    void onReadyRead();
    void onBytesWritten();
    void processInput();
    bool parseHead(QByteArrayView headBytes);
    bool appendBody(QByteArrayView data);
    void dispatch();
    void fail(int status, const QString& message);
    void writeResponse(HttpResponse response);
    void pumpFile();
    void finishResponse();

    QTcpSocket* m_socket;
    HttpLimits m_limits;
    HttpRequestHandler m_handler;
    HttpErrorResponder m_errorResponder;
    State m_state = State::Head;
    QByteArray m_in;
    HttpRequest m_request;
    QByteArray m_method; // of the request being answered; m_request itself moves to the handler
    qint64 m_remaining = 0;
    bool m_keepAlive = true;
    bool m_closeAfterResponse = false;
    quint64 m_serial = 0;
    std::shared_ptr<QIODevice> m_outFile;
};

} // namespace batchdeck::http
