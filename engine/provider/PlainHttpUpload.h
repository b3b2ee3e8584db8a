#pragma once

#include <utility>

#include <QByteArray>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QString>

#include "provider/HttpAnswerReader.h"

class QFile;
class QTcpSocket;
class QTimer;

namespace batchdeck {

// What a plain-HTTP upload got back: the same facts the transport reads from a QNetworkReply.
struct PlainHttpAnswer
{
    int httpStatus = 0; // 0 when no complete answer arrived
    HttpHeaderList headers;
    QByteArray body;      // at most kMaxBody bytes
    int networkError = 0; // a QNetworkReply::NetworkError; 0 when none
    QString networkErrorText;

    QByteArray header(QByteArrayView lowerCaseName) const { return headerValue(headers, lowerCaseName); }
};

// Sends one POST whose body is a file between two byte strings (a multipart/form-data upload) over a
// socket of its own, for a plain-HTTP base URL that no proxy applies to: a local OpenAI-compatible
// server or the simulator.
//
// Why not QNetworkAccessManager for these: it moves an upload body from the calling thread to its HTTP
// thread 16 KiB at a time, two thread hand-overs per piece. Over loopback that pump, not the network,
// was the upload's cost: 80-130 ms for a 23 MB request file where this socket (or curl) takes 15-30 ms
// (measured in tests/bench/README.md). Over HTTPS to OpenAI or Azure the network is the limit, so
// those uploads, and every other call, stay on QNetworkAccessManager.
//
// The file is read in 1 MiB pieces as the socket drains: memory holds about two pieces, never the
// file. The answer may come before the body is sent (a 401 or 413 refuses early); it is taken as it is.
// Every failure ends as a network error code the transport's retry policy already knows.
class PlainHttpUpload : public QObject
{
    Q_OBJECT

public:
    // True for http:// URLs that no proxy applies to (QNetworkProxyFactory's answer for the URL).
    static bool appliesTo(const QUrl& url);

    // `request`: its URL and raw headers are sent as they are (the transport's auth and identity
    // headers); Host, Content-Type, Content-Length and Connection are this class's.
    PlainHttpUpload(const QNetworkRequest& request,
                    QByteArray contentType,
                    QByteArray before,
                    QString filePath,
                    QByteArray after,
                    int transferTimeoutMs,
                    QObject* parent = nullptr);
    ~PlainHttpUpload() override;

    // Opens the file and connects; false with `error` set when the file cannot be read (nothing sent).
    bool start(QString* error);
    // Ends the exchange now as cancelled (finished() is emitted once, if it was not already).
    void abort();

    bool isFinished() const { return m_finished; }
    const PlainHttpAnswer& answer() const { return m_answer; }

Q_SIGNALS:
    void finished();

private:
    void sendHead();
    void pump();
    void readAnswer();
    void answerRead(HttpAnswerReader::State state);
    void socketFailed();
    void finish(int networkError = 0, const QString& text = {});
    void timedOut();

    QNetworkRequest m_request;
    QByteArray m_contentType;
    QByteArray m_before;
    QString m_filePath;
    QByteArray m_after;
    int m_transferTimeoutMs = 0;

    QTcpSocket* m_socket = nullptr;
    QFile* m_file = nullptr;
    QTimer* m_idle = nullptr;
    QByteArray m_piece;
    bool m_bodySent = false;
    bool m_finished = false;

    HttpAnswerReader m_reader; // the answer as it arrives
    PlainHttpAnswer m_answer;
};

} // namespace batchdeck
