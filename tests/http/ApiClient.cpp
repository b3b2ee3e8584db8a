#include "ApiClient.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QUrl>

namespace batchdeck::test {

namespace {

// Parses one response from `data`; false while it is incomplete.
bool parseResponse(const QByteArray& data, HttpReply* reply)
{
    const qsizetype headEnd = data.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    HttpReply parsed;
    const QList<QByteArray> lines = data.first(headEnd).split('\n');
    parsed.status = lines.value(0).split(' ').value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            parsed.headers.insert(lines.at(i).first(colon).trimmed().toLower(),
                                  lines.at(i).sliced(colon + 1).trimmed());
    }
    const qint64 length = parsed.headers.value("content-length").toLongLong();
    if (data.size() - headEnd - 4 < length)
        return false;
    parsed.body = data.sliced(headEnd + 4, length);
    *reply = parsed;
    return true;
}

// Runs the event loop until `done` holds or `timeoutMs` pass, waking on the socket's signals (QTest's
// qWaitFor sleeps 10 ms between rounds, which would make every request look slow).
template <typename Predicate> bool waitOn(QTcpSocket& socket, Predicate done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    const auto check = [&] {
        if (done())
            loop.quit();
    };
    QObject::connect(&socket, &QTcpSocket::connected, &loop, check);
    QObject::connect(&socket, &QTcpSocket::readyRead, &loop, check);
    QObject::connect(&socket, &QTcpSocket::disconnected, &loop, check);
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &loop, check);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return done();
}

} // namespace

QJsonObject HttpReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QString HttpReply::errorCode() const
{
    return json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
}

QString HttpReply::errorMessage() const
{
    return json().value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString();
}

bool HttpReply::hasErrorEnvelope() const
{
    const QJsonObject object = json();
    if (object.size() != 1 || !object.value(QStringLiteral("error")).isObject())
        return false;
    const QJsonObject error = object.value(QStringLiteral("error")).toObject();
    const QString message = error.value(QStringLiteral("message")).toString();
    return error.size() == 2 && !error.value(QStringLiteral("code")).toString().isEmpty() && !message.isEmpty() &&
           !message.front().isDigit();
}

ApiClient::ApiClient(quint16 port, QByteArray token)
    : m_port(port)
    , m_token(std::move(token))
{}

HttpReply ApiClient::get(const QByteArray& path, const QList<QByteArray>& headers)
{
    return send("GET", path, {}, headers);
}

HttpReply ApiClient::post(const QByteArray& path,
                          const QByteArray& body,
                          const QByteArray& contentType,
                          const QList<QByteArray>& headers)
{
    QList<QByteArray> all = headers;
    if (!body.isEmpty() && !contentType.isEmpty())
        all.append("Content-Type: " + contentType);
    return send("POST", path, body, all);
}

namespace {

QByteArray requestBytes(const QByteArray& method,
                        const QByteArray& path,
                        const QByteArray& body,
                        const QList<QByteArray>& headers,
                        const QByteArray& token)
{
    QByteArray request = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!token.isEmpty())
        request += "Authorization: Bearer " + token + "\r\n";
    for (const QByteArray& header : headers)
        request += header + "\r\n";
    if (!body.isEmpty() || method == "POST")
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    request += "\r\n" + body;
    return request;
}

} // namespace

HttpReply ApiClient::send(const QByteArray& method,
                          const QByteArray& path,
                          const QByteArray& body,
                          const QList<QByteArray>& headers)
{
    return raw(requestBytes(method, path, body, headers, m_token));
}

std::unique_ptr<PendingReply> ApiClient::start(const QByteArray& method, const QByteArray& path, const QByteArray& body)
{
    QList<QByteArray> headers;
    if (!body.isEmpty())
        headers.append("Content-Type: application/json");
    return std::make_unique<PendingReply>(m_port, requestBytes(method, path, body, headers, m_token));
}

PendingReply::PendingReply(quint16 port, const QByteArray& bytes)
    : m_socket(std::make_unique<QTcpSocket>())
{
    m_socket->connectToHost(QStringLiteral("127.0.0.1"), port);
    m_socket->write(bytes); // buffered until connected
}

PendingReply::~PendingReply() = default;

bool PendingReply::isDone()
{
    if (!m_done) {
        m_received += m_socket->readAll();
        m_done = parseResponse(m_received, &m_reply);
    }
    return m_done;
}

HttpReply PendingReply::wait(int timeoutMs)
{
    waitOn(
        *m_socket, [this] { return isDone() || m_socket->state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
    return isDone() ? m_reply : HttpReply{};
}

HttpReply ApiClient::raw(const QByteArray& bytes, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), m_port);
    QElapsedTimer timer;
    timer.start();
    const auto settled = [&] {
        return socket.state() == QAbstractSocket::ConnectedState || socket.state() == QAbstractSocket::UnconnectedState;
    };
    if (!waitOn(socket, settled, timeoutMs) || socket.state() != QAbstractSocket::ConnectedState)
        return {};
    socket.write(bytes);
    QByteArray received;
    HttpReply reply;
    bool complete = false;
    const auto answered = [&] {
        received += socket.readAll();
        complete = complete || parseResponse(received, &reply);
        return complete || socket.state() == QAbstractSocket::UnconnectedState;
    };
    waitOn(socket, answered, int(qMax<qint64>(1, timeoutMs - timer.elapsed())));
    if (!complete) {
        received += socket.readAll();
        complete = parseResponse(received, &reply);
    }
    return complete ? reply : HttpReply{};
}

QByteArray encodeSegment(const QString& segment)
{
    return QUrl::toPercentEncoding(segment);
}

} // namespace batchdeck::test
