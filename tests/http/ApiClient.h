#pragma once

#include <memory>

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

class QTcpSocket;

namespace batchdeck::test {

struct HttpReply
{
    int status = 0;                        // 0: no complete answer (refused, closed, timed out)
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;

    QJsonObject json() const;
    QString errorCode() const;    // error.code of the envelope
    QString errorMessage() const; // error.message of the envelope
    // Exactly {"error": {"code": non-empty, "message": non-empty and not starting with a digit}}.
    bool hasErrorEnvelope() const;
};

// An HTTP/1.1 client over a raw socket that waits by running the event loop, so it can talk to a
// server in the same thread (the in-process ApiServer) as well as to another process. One
// connection per call, closed after it; raw() sends any bytes at all, for malformed requests.
class ApiClient
{
public:
    explicit ApiClient(quint16 port, QByteArray token = {});

    HttpReply get(const QByteArray& path, const QList<QByteArray>& headers = {});
    HttpReply post(const QByteArray& path,
                   const QByteArray& body = {},
                   const QByteArray& contentType = "application/json",
                   const QList<QByteArray>& headers = {});
    HttpReply send(const QByteArray& method,
                   const QByteArray& path,
                   const QByteArray& body = {},
                   const QList<QByteArray>& headers = {});
    // `bytes` as they are, for malformed requests.
    HttpReply raw(const QByteArray& bytes, int timeoutMs = 30000);
    // A request left in flight while the test does other things; finish it with PendingReply::wait().
    std::unique_ptr<class PendingReply>
    start(const QByteArray& method, const QByteArray& path, const QByteArray& body = {});

    void setToken(const QByteArray& token) { m_token = token; }
    quint16 port() const { return m_port; }

private:
    quint16 m_port;
    QByteArray m_token;
};

// One request on its own connection, answered whenever the event loop runs.
class PendingReply
{
public:
    PendingReply(quint16 port, const QByteArray& bytes);
    ~PendingReply();
    bool isDone();
    HttpReply wait(int timeoutMs = 30000);

private:
    std::unique_ptr<QTcpSocket> m_socket;
    QByteArray m_received;
    HttpReply m_reply;
    bool m_done = false;
};

// Percent-encodes a run id as Airflow's HttpOperator would (":" and "+" too).
QByteArray encodeSegment(const QString& segment);

} // namespace batchdeck::test
