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
    answerRead(m_reader.feed(m_socket->readAll()));
}

void PlainHttpUpload::answerRead(HttpAnswerReader::State state)
{
    if (state == HttpAnswerReader::State::Failed) {
        finish(QNetworkReply::ProtocolFailure, m_reader.error());
    } else if (state == HttpAnswerReader::State::Complete) {
        m_answer.httpStatus = m_reader.status();
        m_answer.headers = m_reader.headers();
        m_answer.body = m_reader.body();
        finish();
    }
}

void PlainHttpUpload::socketFailed()
{
    if (m_finished)
        return;
    const QAbstractSocket::SocketError error = m_socket->error();
    // An answer sent just before the server closed is still in the socket: read it first.
    HttpAnswerReader::State state = m_reader.feed(m_socket->readAll());
    if (state == HttpAnswerReader::State::Reading && error == QAbstractSocket::RemoteHostClosedError) {
        state = m_reader.closed();
        if (state == HttpAnswerReader::State::Failed) {
            finish(QNetworkReply::RemoteHostClosedError, m_reader.error());
            return;
        }
    }
    if (state != HttpAnswerReader::State::Reading) {
        answerRead(state);
        return;
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
