#include "PlainHttpUpload.h"

#include <QFile>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTimer>

namespace batchdeck {

namespace {

// The socket is refilled when less than this waits in its buffer: big writes are what makes this path
// fast, and two pieces bound the memory.
constexpr qint64 kPiece = 1024 * 1024;

int networkErrorFor(QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return QNetworkReply::ConnectionRefusedError;
    case QAbstractSocket::RemoteHostClosedError:
        return QNetworkReply::RemoteHostClosedError;
    case QAbstractSocket::HostNotFoundError:
        return QNetworkReply::HostNotFoundError;
    case QAbstractSocket::SocketTimeoutError:
        return QNetworkReply::TimeoutError;
    default:
        return QNetworkReply::UnknownNetworkError;
    }
}

bool isOwnHeader(const QByteArray& name)
{
    const QByteArray lower = name.toLower();
    return lower == "host" || lower == "content-type" || lower == "content-length" || lower == "connection" ||
           lower == "transfer-encoding" || lower == "expect";
}

} // namespace

QByteArray PlainHttpAnswer::header(QByteArrayView lowerCaseName) const
{
    for (const auto& [name, value] : headers) {
        if (name == lowerCaseName)
            return value;
    }
    return {};
}

bool PlainHttpUpload::appliesTo(const QUrl& url)
{
    if (url.scheme() != QLatin1String("http") || url.host().isEmpty())
        return false;
    const QList<QNetworkProxy> proxies = QNetworkProxyFactory::proxyForQuery(QNetworkProxyQuery(url));
    return proxies.isEmpty() || proxies.first().type() == QNetworkProxy::NoProxy;
}

PlainHttpUpload::PlainHttpUpload(const QNetworkRequest& request,
                                 QByteArray contentType,
                                 QByteArray before,
                                 QString filePath,
                                 QByteArray after,
                                 int transferTimeoutMs,
                                 QObject* parent)
    : QObject(parent)
    , m_request(request)
    , m_contentType(std::move(contentType))
    , m_before(std::move(before))
    , m_filePath(std::move(filePath))
    , m_after(std::move(after))
    , m_transferTimeoutMs(transferTimeoutMs)
{}

PlainHttpUpload::~PlainHttpUpload() = default;

bool PlainHttpUpload::start(QString* error)
{
    m_file = new QFile(m_filePath, this);
    if (!m_file->open(QIODevice::ReadOnly)) {
        *error = m_file->errorString();
        return false;
    }
    m_socket = new QTcpSocket(this);
    m_socket->setProxy(QNetworkProxy::NoProxy); // appliesTo() found that none applies
    m_idle = new QTimer(this);
    m_idle->setSingleShot(true);
    m_idle->setInterval(m_transferTimeoutMs);
    connect(m_idle, &QTimer::timeout, this, &PlainHttpUpload::timedOut);
    connect(m_socket, &QTcpSocket::connected, this, &PlainHttpUpload::sendHead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &PlainHttpUpload::pump);
    connect(m_socket, &QTcpSocket::readyRead, this, &PlainHttpUpload::readAnswer);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &PlainHttpUpload::socketFailed);
    const QUrl url = m_request.url();
    m_idle->start();
    m_socket->connectToHost(url.host(), quint16(url.port(80)));
    return true;
}

void PlainHttpUpload::abort()
{
    finish(QNetworkReply::OperationCanceledError, QStringLiteral("the upload was cancelled"));
}

void PlainHttpUpload::sendHead()
{
    const QUrl url = m_request.url();
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    const qint64 length = m_before.size() + m_file->size() + m_after.size();
    QByteArray head = "POST " + target +
                      " HTTP/1.1\r\nHost: " + url.authority(QUrl::FullyEncoded | QUrl::RemoveUserInfo).toLatin1() +
                      "\r\n";
    const QList<QByteArray> names = m_request.rawHeaderList();
    for (const QByteArray& name : names) {
        if (!isOwnHeader(name))
            head += name + ": " + m_request.rawHeader(name) + "\r\n";
    }
    head += "Content-Type: " + m_contentType + "\r\nContent-Length: " + QByteArray::number(length) +
            "\r\nConnection: close\r\n\r\n";
    m_socket->write(head + m_before);
    m_piece.resize(kPiece);
    pump();
}

void PlainHttpUpload::pump()
{
    if (m_finished)
        return;
    m_idle->start(); // bytes moved
    while (!m_bodySent && m_socket->bytesToWrite() < kPiece) {
        const qint64 got = m_file->read(m_piece.data(), m_piece.size());
        if (got < 0) {
            finish(QNetworkReply::UnknownContentError,
                   QStringLiteral("cannot read %1: %2").arg(m_filePath, m_file->errorString()));
            return;
        }
        if (got == 0) {
            // Content-Length promised the size seen when the head went out.
            if (m_file->pos() != m_file->size()) {
                finish(QNetworkReply::UnknownContentError,
                       QStringLiteral("%1 changed while it was sent").arg(m_filePath));
                return;
            }
            m_socket->write(m_after);
            m_bodySent = true;
            m_file->close();
            break;
        }
        m_socket->write(m_piece.constData(), got);
    }
}

void PlainHttpUpload::readAnswer()
{
    if (m_finished)
        return;
    m_idle->start();
    m_in += m_socket->readAll();
    if (!m_headDone) {
        if (!parseHead())
            return;
    }
    if (m_headDone && parseBody())
        finish();
}

// Reads the status line and headers once they are complete; skips interim (1xx) answers.
bool PlainHttpUpload::parseHead()
{
    for (;;) {
        const qsizetype end = m_in.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_in.size() > kMaxHead)
                finish(QNetworkReply::ProtocolFailure, QStringLiteral("the answer's head is over 64 KiB"));
            return false;
        }
        const QList<QByteArray> lines = m_in.left(end).split('\n');
        m_in.remove(0, end + 4);
        const QByteArray statusLine = lines.first().trimmed();
        const QList<QByteArray> parts = statusLine.split(' ');
        bool ok = false;
        const int status = parts.size() >= 2 && statusLine.startsWith("HTTP/1.") ? parts.at(1).toInt(&ok) : 0;
        if (!ok || status < 100 || status > 599) {
            finish(QNetworkReply::ProtocolFailure,
                   QStringLiteral("not an HTTP answer: %1").arg(QString::fromLatin1(statusLine.left(80))));
            return false;
        }
        if (status < 200)
            continue; // 100 Continue and the like: the real answer follows
        m_answer.httpStatus = status;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray& line = lines.at(i);
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            m_answer.headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
        }
        m_chunked = m_answer.header("transfer-encoding").toLower().contains("chunked");
        const QByteArray length = m_answer.header("content-length");
        if (!m_chunked && !length.isEmpty())
            m_contentLength = length.toLongLong(&ok);
        if (!m_chunked && !length.isEmpty() && (!ok || m_contentLength < 0)) {
            finish(QNetworkReply::ProtocolFailure, QStringLiteral("a bad Content-Length in the answer"));
            return false;
        }
        m_headDone = true;
        return true;
    }
}

// True once the body is complete. Without Content-Length or chunks, the body ends with the connection.
bool PlainHttpUpload::parseBody()
{
    if (!m_chunked) {
        const qsizetype room = kMaxBody - m_answer.body.size();
        m_answer.body += m_in.left(room);
        m_in.clear();
        if (m_contentLength >= 0)
            return m_answer.body.size() >= qMin<qint64>(m_contentLength, kMaxBody);
        return m_answer.body.size() >= kMaxBody;
    }
    for (;;) {
        const qsizetype lineEnd = m_in.indexOf("\r\n");
        if (lineEnd < 0)
            return false;
        QByteArray sizeText = m_in.left(lineEnd);
        if (const qsizetype semicolon = sizeText.indexOf(';'); semicolon >= 0)
            sizeText.truncate(semicolon);
        bool ok = false;
        const qint64 size = sizeText.trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0) {
            finish(QNetworkReply::ProtocolFailure, QStringLiteral("a bad chunk size in the answer"));
            return false;
        }
        if (size == 0)
            return true; // trailers, if any, are not needed
        if (m_in.size() < lineEnd + 2 + size + 2)
            return false;
        if (m_answer.body.size() + size > kMaxBody) {
            finish(QNetworkReply::ProtocolFailure, QStringLiteral("the answer's body is over 4 MiB"));
            return false;
        }
        m_answer.body += m_in.mid(lineEnd + 2, size);
        m_in.remove(0, lineEnd + 2 + size + 2);
    }
}

void PlainHttpUpload::socketFailed()
{
    if (m_finished)
        return;
    const QAbstractSocket::SocketError error = m_socket->error();
    // An answer sent just before the server closed is still in the socket: read it first.
    m_in += m_socket->readAll();
    if (!m_headDone)
        parseHead();
    if (m_finished)
        return;
    if (m_headDone && error == QAbstractSocket::RemoteHostClosedError) {
        const bool complete = parseBody();
        if (m_finished)
            return;
        if (complete || (!m_chunked && m_contentLength < 0)) {
            finish(); // a body that ends with the connection, or complete already
            return;
        }
    }
    finish(networkErrorFor(error), m_socket->errorString());
}

void PlainHttpUpload::timedOut()
{
    // As QNetworkAccessManager reports its transfer timeout, so that the transport says "timeout".
    finish(QNetworkReply::OperationCanceledError, QStringLiteral("no data moved for %1 ms").arg(m_transferTimeoutMs));
}

void PlainHttpUpload::finish(int networkError, const QString& text)
{
    if (m_finished)
        return;
    m_finished = true;
    if (networkError != 0) {
        m_answer.httpStatus = 0;
        m_answer.networkError = networkError;
        m_answer.networkErrorText = text;
    }
    if (m_idle)
        m_idle->stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    Q_EMIT finished();
}

} // namespace batchdeck
