// Uploads over PlainHttpUpload's own socket: the same bytes reach the simulator as through
// QNetworkAccessManager, and every way an HTTP peer can answer (or not) ends as the transport expects.
// The odd answers come from a scripted peer on a real loopback socket.
#include <functional>

#include <QFile>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include "ProviderHarness.h"
#include "provider/PlainHttpUpload.h"

using namespace Qt::StringLiterals;
using namespace batchdeck;
using namespace batchdeck::test;

namespace {

// Accepts one connection, reads the request (head, then Content-Length bytes of body, or only the
// head when `answerAfterHead`), and answers with `answer`, then closes (unless `answer` is empty: it
// then keeps the connection open and silent).
class ScriptedPeer : public QObject
{
public:
    QByteArray answer;
    bool answerAfterHead = false;
    QByteArray requestHead;
    qint64 bodyBytes = 0;
    qint64 declaredLength = -1;

    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1/v1/files"_s.arg(m_server.serverPort())); }

    ScriptedPeer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            QTcpSocket* socket = m_server.nextPendingConnection();
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        });
    }

private:
    void read(QTcpSocket* socket)
    {
        m_in += socket->readAll();
        if (requestHead.isEmpty()) {
            const qsizetype end = m_in.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            requestHead = m_in.left(end + 4);
            m_in.remove(0, end + 4);
            for (const QByteArray& line : requestHead.split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    declaredLength = line.mid(15).trimmed().toLongLong();
            }
        }
        bodyBytes += m_in.size();
        m_in.clear();
        const bool bodyRead = bodyBytes >= declaredLength;
        if (!m_answered && (bodyRead || answerAfterHead) && !answer.isEmpty()) {
            m_answered = true;
            socket->write(answer);
        }
        // Closed once the whole body is read: closing with unread bytes would reset the connection
        // and could drop the answer (as any careful server does, it drains first).
        if (m_answered && bodyRead)
            socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QByteArray m_in;
    bool m_answered = false;
};

QNetworkRequest requestTo(const QUrl& url)
{
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer sk-test");
    request.setRawHeader("User-Agent", "Batchdeck/test");
    return request;
}

} // namespace

class TestPlainHttpUpload : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString writeFile(const QString& name, const QByteArray& bytes)
    {
        QFile file(m_dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(file.fileName()));
        return file.fileName();
    }

    // Runs one upload of `body` to the peer and returns what it got back.
    PlainHttpAnswer uploadTo(ScriptedPeer& peer, const QByteArray& body, int timeoutMs = 5000)
    {
        const QString path = writeFile(u"body.bin"_s, body);
        PlainHttpUpload upload(requestTo(peer.url()), "application/octet-stream", "[", path, "]", timeoutMs);
        QSignalSpy finished(&upload, &PlainHttpUpload::finished);
        QString error;
        if (!upload.start(&error))
            qFatal("start: %s", qPrintable(error));
        if (!upload.isFinished() && !finished.wait(10'000))
            qFatal("the upload never finished");
        return upload.answer();
    }

private Q_SLOTS:
    void bothPathsStoreTheSameBytes()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        // Several 1 MiB pieces, multi-byte UTF-8, quotes and escapes in the lines.
        QList<QByteArray> lines;
        for (int i = 0; i < 9000; ++i)
            lines << chatLine(u"line-%1"_s.arg(i), u"Olá \"mundo\" ✓ 🎉 %1 "_s.arg(i) + QString(300, u'x'));
        const QString path = harness.writeJsonl(u"same.jsonl"_s, lines);
        QFile original(path);
        QVERIFY(original.open(QIODevice::ReadOnly));
        const QByteArray bytes = original.readAll();
        QVERIFY(bytes.size() > 3 * 1024 * 1024);

        for (const bool plain : {true, false}) {
            auto provider = harness.makeProvider([plain](OpenAiConfig& c) { c.plainHttpUploads = plain; });
            UploadFileRequest upload;
            upload.path = path;
            upload.filename = u"reviews \"2026\".jsonl"_s;
            ProviderResult<ProviderFile> file = await(provider->uploadFile(upload));
            QVERIFY2(file.ok(), failureText(file));
            QCOMPARE(file->bytes, bytes.size());
            QCOMPARE(file->filename, u"reviews %222026%22.jsonl"_s);
            const QString copy = harness.path(plain ? u"plain.jsonl"_s : u"qnam.jsonl"_s);
            auto downloaded = await(provider->downloadFileContent(file->id, copy));
            QVERIFY2(downloaded.ok(), failureText(downloaded));
            QFile back(copy);
            QVERIFY(back.open(QIODevice::ReadOnly));
            QVERIFY2(back.readAll() == bytes, plain ? "plain path" : "QNetworkAccessManager path");
        }
        QCOMPARE(harness.servedStatuses("POST", u"/v1/files"_s), QList<int>({200, 200}));
    }

    void onlyPlainHttpWithoutAProxyTakesIt()
    {
        QVERIFY(PlainHttpUpload::appliesTo(QUrl(u"http://127.0.0.1:8080/v1"_s)));
        QVERIFY(PlainHttpUpload::appliesTo(QUrl(u"http://localhost/v1"_s)));
        QVERIFY(!PlainHttpUpload::appliesTo(QUrl(u"https://api.openai.com/v1"_s)));
        // With a proxy set, a remote host goes through it (so through QNetworkAccessManager); loopback
        // never does, for Qt's sockets and QNetworkAccessManager alike.
        QNetworkProxy::setApplicationProxy(QNetworkProxy(QNetworkProxy::HttpProxy, u"127.0.0.1"_s, 3128));
        const bool remote = PlainHttpUpload::appliesTo(QUrl(u"http://10.1.2.3:8080/v1"_s));
        const bool loopback = PlainHttpUpload::appliesTo(QUrl(u"http://127.0.0.1:8080/v1"_s));
        QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
        QVERIFY(!remote);
        QVERIFY(loopback);
        QVERIFY(PlainHttpUpload::appliesTo(QUrl(u"http://10.1.2.3:8080/v1"_s)));
    }

    void theRequestDeclaresWhatItSends()
    {
        ScriptedPeer peer;
        QVERIFY(peer.listen());
        peer.answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Request-Id: req_1\r\n\r\n{}";
        const QByteArray body(2'500'000, 'b'); // three pieces
        const PlainHttpAnswer answer = uploadTo(peer, body);
        QCOMPARE(answer.networkError, 0);
        QCOMPARE(answer.httpStatus, 200);
        QCOMPARE(answer.body, QByteArray("{}"));
        QCOMPARE(answer.header("x-request-id"), QByteArray("req_1"));
        QCOMPARE(peer.declaredLength, qint64(body.size() + 2));
        QCOMPARE(peer.bodyBytes, peer.declaredLength);
        QVERIFY(peer.requestHead.startsWith("POST /v1/files HTTP/1.1\r\n"));
        QVERIFY(peer.requestHead.contains("\r\nAuthorization: Bearer sk-test\r\n"));
        QVERIFY(peer.requestHead.contains("\r\nHost: 127.0.0.1:"));
        QVERIFY(peer.requestHead.contains("\r\nConnection: close\r\n"));
    }

    void aChunkedAnswerAfterAnInterimOneIsJoined()
    {
        ScriptedPeer peer;
        QVERIFY(peer.listen());
        peer.answer = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3;ext=1\r\n{\"a\r\n5\r\n\":1}\n\r\n0\r\n\r\n";
        const PlainHttpAnswer answer = uploadTo(peer, "x");
        QCOMPARE(answer.networkError, 0);
        QCOMPARE(answer.httpStatus, 201);
        QCOMPARE(answer.body, QByteArray("{\"a\":1}\n"));
    }

    void anAnswerWithoutLengthEndsWithTheConnection()
    {
        ScriptedPeer peer;
        QVERIFY(peer.listen());
        peer.answer = "HTTP/1.1 500 Internal Server Error\r\nRetry-After-Ms: 20\r\n\r\n{\"error\":{}}";
        const PlainHttpAnswer answer = uploadTo(peer, "x");
        QCOMPARE(answer.networkError, 0);
        QCOMPARE(answer.httpStatus, 500);
        QCOMPARE(answer.body, QByteArray("{\"error\":{}}"));
        QCOMPARE(answer.header("retry-after-ms"), QByteArray("20"));
    }

    // The answer arrives while the body is still being sent: taken as it is, the rest not sent.
    void anEarlyRefusalIsTakenAsItIs()
    {
        ScriptedPeer peer;
        QVERIFY(peer.listen());
        peer.answerAfterHead = true;
        peer.answer = "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 9\r\n\r\ntoo large";
        const PlainHttpAnswer answer = uploadTo(peer, QByteArray(8'000'000, 'z'));
        QCOMPARE(answer.networkError, 0);
        QCOMPARE(answer.httpStatus, 413);
        QCOMPARE(answer.body, QByteArray("too large"));
    }

    // Answers that are no answer: each ends as the network error QNetworkAccessManager would give.
    void brokenAnswersAreNetworkErrors_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<int>("timeoutMs");
        QTest::addColumn<int>("error");
        QTest::newRow("garbage") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n") << 5000
                                 << int(QNetworkReply::ProtocolFailure);
        QTest::newRow("truncated body") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"id\":") << 5000
                                        << int(QNetworkReply::RemoteHostClosedError);
        QTest::newRow("silent peer, as Qt's transfer timeout")
            << QByteArray() << 300 << int(QNetworkReply::OperationCanceledError);
    }

    void brokenAnswersAreNetworkErrors()
    {
        QFETCH(QByteArray, answer);
        QFETCH(int, timeoutMs);
        QFETCH(int, error);
        ScriptedPeer peer;
        QVERIFY(peer.listen());
        peer.answer = answer; // empty: the peer never answers
        const PlainHttpAnswer got = uploadTo(peer, "x", timeoutMs);
        QCOMPARE(got.httpStatus, 0);
        QCOMPARE(got.networkError, error);
        QVERIFY(!got.networkErrorText.isEmpty());
    }

    void theAnswerReaderKeepsToItsBounds()
    {
        using State = HttpAnswerReader::State;
        const auto read = [](const QByteArray& bytes) {
            HttpAnswerReader reader;
            if (reader.feed(bytes) == State::Reading)
                reader.closed();
            return reader;
        };
        // A chunk longer than its size line says.
        QCOMPARE(read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcdeXX0\r\n\r\n").state(),
                 State::Failed);
        // A head past 64 KiB, a declared body past 4 MiB, a close-delimited body past 4 MiB.
        QCOMPARE(read("HTTP/1.1 200 OK\r\nX: " + QByteArray(70'000, 'a') + "\r\n\r\n").state(), State::Failed);
        QCOMPARE(read("HTTP/1.1 200 OK\r\nContent-Length: 5000000\r\n\r\n").state(), State::Failed);
        QCOMPARE(read("HTTP/1.1 200 OK\r\n\r\n" + QByteArray(HttpAnswerReader::kMaxBody + 1, 'b')).state(),
                 State::Failed);
        // Bytes after a complete answer are not read into it.
        const HttpAnswerReader complete = read("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 500");
        QCOMPARE(complete.state(), State::Complete);
        QCOMPARE(complete.body(), QByteArray("{}"));
        // One byte at a time reads the same answer as all at once.
        const QByteArray chunked =
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
        HttpAnswerReader bytewise;
        for (const char c : chunked)
            bytewise.feed(QByteArrayView(&c, 1));
        QCOMPARE(bytewise.state(), State::Complete);
        QCOMPARE(bytewise.body(), read(chunked).body());
        QCOMPARE(bytewise.status(), 200);
    }

    void aClosedPortIsRefused()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            port = probe.serverPort();
        }
        const QString path = writeFile(u"refused.bin"_s, "x");
        PlainHttpUpload upload(requestTo(QUrl(u"http://127.0.0.1:%1/v1/files"_s.arg(port))), "a/b", {}, path, {}, 5000);
        QSignalSpy finished(&upload, &PlainHttpUpload::finished);
        QString error;
        QVERIFY(upload.start(&error));
        QVERIFY(finished.wait(5000));
        QCOMPARE(upload.answer().networkError, int(QNetworkReply::ConnectionRefusedError));
    }

    void aMissingFileIsRefusedBeforeAnythingIsSent()
    {
        PlainHttpUpload upload(
            requestTo(QUrl(u"http://127.0.0.1:1/v1/files"_s)), "a/b", {}, m_dir.filePath(u"none"_s), {}, 5000);
        QString error;
        QVERIFY(!upload.start(&error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestPlainHttpUpload)
#include "tst_plainhttpupload.moc"
