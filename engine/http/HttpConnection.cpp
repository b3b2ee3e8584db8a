#include "HttpConnection.h"

#include <QFile>
#include <QTcpSocket>

#include "core/Logging.h"
#include "http/BodyBuffer.h"
#include "http/RequestHead.h"

namespace batchdeck::http {

namespace {

constexpr qint64 kFileChunk = 256 * 1024;
constexpr qint64 kMaxChunkLine = 1024;
// Pipelined bytes kept while a request is answered; past this they stay in the socket, whose read
// buffer is bounded too, so TCP holds the client back instead of our memory growing without end.
constexpr qint64 kMaxPendingBytes = 256 * 1024;
constexpr qint64 kSocketReadBuffer = 1024 * 1024;

} // namespace

HttpResponse plainErrorResponse(int status, const QString& message)
{
    HttpResponse response;
    response.status = status;
    response.body = message.toUtf8() + '\n';
    response.setHeader("content-type", "text/plain; charset=utf-8");
    return response;
}

HttpResponder::HttpResponder(HttpConnection* connection, quint64 serial)
    : m_connection(connection)
    , m_serial(serial)
{}

void HttpResponder::send(HttpResponse response) const
{
    if (m_connection)
        m_connection->respond(m_serial, std::move(response));
}

HttpConnection::HttpConnection(QTcpSocket* socket,
                               const HttpLimits& limits,
                               HttpRequestHandler handler,
                               HttpErrorResponder errorResponder,
                               QObject* parent)
    : QObject(parent)
    , m_socket(socket)
    , m_limits(limits)
    , m_handler(std::move(handler))
    , m_errorResponder(std::move(errorResponder))
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kSocketReadBuffer);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::closeWhenIdle()
{
    m_closeAfterResponse = true;
    if (m_state == State::Head && m_in.isEmpty()) {
        m_state = State::Closing;
        m_socket->disconnectFromHost();
    }
}

void HttpConnection::onReadyRead()
{
    const bool answering = m_state == State::AwaitingResponse || m_state == State::Writing;
    if (answering && m_in.size() >= kMaxPendingBytes)
        return; // finishResponse() comes back here
    m_in.append(m_socket->readAll());
    processInput();
}

void HttpConnection::processInput()
{
    qsizetype pos = 0;
    bool progress = true;
    while (progress) {
        progress = false;
        const qsizetype available = m_in.size() - pos;
        switch (m_state) {
        case State::Head: {
            const qsizetype end = m_in.indexOf("\r\n\r\n", pos);
            if ((end < 0 ? available : end - pos) > m_limits.maxHeaderBytes) {
                fail(431, QStringLiteral("Request headers are too large."));
                break;
            }
            if (end < 0)
                break;
            const QByteArrayView head = QByteArrayView(m_in).sliced(pos, end - pos);
            pos = end + 4;
            if (parseHead(head))
                progress = true;
            break;
        }
        case State::FixedBody:
        case State::ChunkData: {
            const qint64 take = qMin<qint64>(m_remaining, available);
            if (take > 0 && !appendBody(QByteArrayView(m_in).sliced(pos, take)))
                break;
            pos += take;
            m_remaining -= take;
            if (m_remaining == 0) {
                if (m_state == State::FixedBody)
                    dispatch();
                else
                    m_state = State::ChunkDataEnd;
                progress = true;
            }
            break;
        }
        case State::ChunkSize: {
            const qsizetype eol = m_in.indexOf("\r\n", pos);
            if (eol < 0) {
                if (available > kMaxChunkLine)
                    fail(400, QStringLiteral("Malformed chunked request body."));
                break;
            }
            const std::optional<qint64> chunkSize = parseChunkSizeLine(QByteArrayView(m_in).sliced(pos, eol - pos));
            if (!chunkSize) {
                fail(400, QStringLiteral("Malformed chunked request body."));
                break;
            }
            const qint64 size = *chunkSize;
            pos = eol + 2;
            if (m_request.body->size() + size > m_limits.maxBodyBytes) {
                fail(413, QStringLiteral("Request body is too large."));
                break;
            }
            m_remaining = size;
            m_state = size == 0 ? State::Trailers : State::ChunkData;
            progress = true;
            break;
        }
        case State::ChunkDataEnd:
            if (available < 2)
                break;
            if (m_in.at(pos) != '\r' || m_in.at(pos + 1) != '\n') {
                fail(400, QStringLiteral("Malformed chunked request body."));
                break;
            }
            pos += 2;
            m_state = State::ChunkSize;
            progress = true;
            break;
        case State::Trailers: {
            const qsizetype eol = m_in.indexOf("\r\n", pos);
            if (eol < 0)
                break;
            const bool lastLine = eol == pos; // trailer fields are ignored; an empty line ends them
            pos = eol + 2;
            if (lastLine)
                dispatch();
            progress = true;
            break;
        }
        case State::AwaitingResponse:
        case State::Writing:
        case State::Closing:
            break;
        }
    }
    if (m_state == State::Closing)
        m_in.clear();
    else
        m_in.remove(0, pos);
}

bool HttpConnection::parseHead(QByteArrayView headBytes)
{
    RequestHead head = parseRequestHead(headBytes, m_limits.maxBodyBytes);
    if (!head.ok()) {
        m_method.clear(); // the refusal has a body, whatever the last request was
        fail(head.errorStatus, head.errorMessage);
        return false;
    }
    m_request = std::move(head.request);
    m_method = m_request.method;
    m_keepAlive = head.keepAlive;
    m_request.body = std::make_shared<BodyBuffer>(m_limits.spoolDir, m_limits.memoryBodyLimit);
    m_remaining = head.chunked ? 0 : head.contentLength;

    // curl and some HTTP libraries hold the body back until they see this, or a timeout.
    if (head.expectContinue)
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");

    if (head.chunked)
        m_state = State::ChunkSize;
    else if (m_remaining > 0)
        m_state = State::FixedBody;
    else
        dispatch();
    return true;
}

bool HttpConnection::appendBody(QByteArrayView data)
{
    if (m_request.body->size() + data.size() > m_limits.maxBodyBytes) {
        fail(413, QStringLiteral("Request body is too large."));
        return false;
    }
    if (!m_request.body->append(data)) {
        fail(500, QStringLiteral("The server could not store the request body."));
        return false;
    }
    return true;
}

void HttpConnection::dispatch()
{
    m_state = State::AwaitingResponse;
    ++m_serial;
    // The handler may answer synchronously; respond() then moves the state on.
    m_handler(std::move(m_request), HttpResponder(this, m_serial));
}

void HttpConnection::fail(int status, const QString& message)
{
    qCDebug(lcHttp) << "HTTP protocol error" << status << message;
    m_closeAfterResponse = true;
    m_state = State::AwaitingResponse;
    writeResponse(m_errorResponder ? m_errorResponder(status, message) : plainErrorResponse(status, message));
    m_state = State::Closing;
}

void HttpConnection::respond(quint64 serial, HttpResponse response)
{
    if (serial != m_serial || m_state != State::AwaitingResponse)
        return;
    writeResponse(std::move(response));
}

void HttpConnection::writeResponse(HttpResponse response)
{
    const bool closing = m_closeAfterResponse || !m_keepAlive;
    if (closing)
        m_closeAfterResponse = true;

    qint64 length = response.body.size();
    if (response.bodyDevice) {
        m_outFile = std::move(response.bodyDevice);
        length = m_outFile->size() - m_outFile->pos();
    } else if (!response.bodyFilePath.isEmpty()) {
        m_outFile = std::make_shared<QFile>(response.bodyFilePath);
        if (!m_outFile->open(QIODevice::ReadOnly)) {
            m_outFile.reset();
            const QString message = QStringLiteral("The server could not read the file content.");
            response = m_errorResponder ? m_errorResponder(500, message) : plainErrorResponse(500, message);
            length = response.body.size();
        } else {
            length = m_outFile->size();
        }
    }

    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status) + "\r\n";
    for (const auto& [name, value] : std::as_const(response.headers))
        head += name + ": " + value + "\r\n";
    head += "content-length: " + QByteArray::number(length) + "\r\n";
    if (closing)
        head += "connection: close\r\n";
    head += "\r\n";
    m_socket->write(head);

    const bool headRequest = m_method == "HEAD";
    if (m_outFile && !headRequest) {
        m_state = State::Writing;
        pumpFile();
        return;
    }
    m_outFile.reset();
    if (!headRequest)
        m_socket->write(response.body);
    finishResponse();
}

void HttpConnection::onBytesWritten()
{
    if (m_state == State::Writing)
        pumpFile();
}

void HttpConnection::pumpFile()
{
    while (m_outFile && !m_outFile->atEnd() && m_socket->bytesToWrite() < 4 * kFileChunk) {
        const QByteArray chunk = m_outFile->read(kFileChunk);
        if (chunk.isEmpty())
            break;
        m_socket->write(chunk);
    }
    if (m_outFile && m_outFile->atEnd()) {
        m_outFile.reset();
        finishResponse();
    }
}

void HttpConnection::finishResponse()
{
    if (m_closeAfterResponse) {
        m_state = State::Closing;
        m_socket->disconnectFromHost();
        return;
    }
    m_state = State::Head;
    // Bytes of a next request may already wait (here or in the socket); parse them from the event
    // loop, not from inside a handler that is still on the stack.
    QMetaObject::invokeMethod(this, &HttpConnection::onReadyRead, Qt::QueuedConnection);
}

} // namespace batchdeck::http
