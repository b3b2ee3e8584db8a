// The simulator's own HTTP/1.1 layer over real sockets: body framings (Content-Length, chunked,
// Expect: 100-continue), keep-alive and pipelining, protocol errors, and large bodies.
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTest>

#include "RawHttp.h"

using namespace batchdeck::sim;
using namespace batchdeck::sim::test;
using namespace Qt::StringLiterals;

namespace {

const QByteArray kBoundary = "b0undary-x";

QByteArray multipartBody(const QByteArray& content, const QByteArray& filename = "in.jsonl")
{
    return "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
           "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n--" + kBoundary +
           "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--" + kBoundary + "--\r\n";
}

QByteArray requestHead(const QByteArray& method, const QByteArray& path, const QByteArray& extraHeaders = {})
{
    return method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders + "\r\n";
}

QJsonObject jsonOf(const RawResponse& response)
{
    return QJsonDocument::fromJson(response.body).object();
}

void verifyEnvelope(const RawResponse& response)
{
    const QJsonObject error = jsonOf(response).value(u"error").toObject();
    QCOMPARE(jsonOf(response).keys(), QStringList{u"error"_s});
    QCOMPARE(error.keys(), (QStringList{u"code"_s, u"message"_s, u"param"_s, u"type"_s}));
    QVERIFY(!error.value(u"message").toString().isEmpty());
    QVERIFY(response.headers.value("x-request-id").startsWith("req_"));
}

} // namespace

class TestSimHttp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        SimulatorOptions options;
        options.maxFileBytes = 4 * 1024 * 1024; // a small body limit to test 413 cheaply
        options.maxBatchFileBytes = 4 * 1024 * 1024;
        options.faults.stallMs = 0;
        m_simulator = std::make_unique<ThreadedSimulator>(options);
        QVERIFY(m_simulator->isListening());
    }

    void cleanupTestCase() { m_simulator.reset(); }

    void contentLengthUpload()
    {
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_simulator->port()));
        const QByteArray body = multipartBody("{\"a\":1}\n");
        QVERIFY(writeAll(socket,
                         requestHead("POST",
                                     "/v1/files",
                                     "Content-Type: multipart/form-data; boundary=" + kBoundary +
                                         "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n") +
                             body));
        const RawResponse response = readResponse(socket);
        QCOMPARE(response.status, 200);
        QCOMPARE(jsonOf(response).value(u"bytes").toInt(), 8);
        QCOMPARE(jsonOf(response).value(u"filename").toString(), u"in.jsonl"_s);
    }

    // Node SDK 7 streams fs.ReadStream uploads with Transfer-Encoding: chunked and no length.
    void chunkedUpload()
    {
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_simulator->port()));
        const QByteArray content = "{\"line\":1}\n{\"line\":2}\n";
        const QByteArray body = multipartBody(content);
        QVERIFY(writeAll(socket,
                         requestHead("POST",
                                     "/v1/files",
                                     "Content-Type: multipart/form-data; boundary=" + kBoundary +
                                         "\r\nTransfer-Encoding: chunked\r\n")));
        // Uneven pieces, a chunk extension, and each piece sent on its own.
        QVERIFY(writeAll(socket, chunk(body.first(7))));
        QVERIFY(writeAll(socket, chunk(body.sliced(7, 1), "ext=1")));
        QVERIFY(writeAll(socket, chunk(body.sliced(8))));
        QVERIFY(writeAll(socket, "0\r\nX-Trailer: yes\r\n\r\n"));
        const RawResponse response = readResponse(socket);
        QCOMPARE(response.status, 200);
        const QString id = jsonOf(response).value(u"id").toString();
        QCOMPARE(jsonOf(response).value(u"bytes").toInt(), content.size());

        // The same connection stays usable and serves the stored bytes back.
        QVERIFY(writeAll(socket, requestHead("GET", "/v1/files/" + id.toLatin1() + "/content")));
        const RawResponse stored = readResponse(socket);
        QCOMPARE(stored.status, 200);
        QCOMPARE(stored.body, content);
        QCOMPARE(stored.headers.value("content-type"), QByteArray("application/octet-stream"));
    }

    void expectContinueGetsAnInterimAnswer()
    {
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_simulator->port()));
        const QByteArray body = multipartBody("{}\n");
        QVERIFY(writeAll(socket,
                         requestHead("POST",
                                     "/v1/files",
                                     "Content-Type: multipart/form-data; boundary=" + kBoundary +
                                         "\r\nExpect: 100-continue\r\nContent-Length: " +
                                         QByteArray::number(body.size()) + "\r\n")));
        QCOMPARE(readResponse(socket).status, 100);
        QVERIFY(writeAll(socket, body));
        QCOMPARE(readResponse(socket).status, 200);
    }

    void keepAliveAndPipelining()
    {
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_simulator->port()));
        // Two requests in one write: answered in order on the one connection.
        QVERIFY(
            writeAll(socket, requestHead("GET", "/v1/batches?limit=1") + requestHead("GET", "/v1/files/file-nope")));
        const RawResponse first = readResponse(socket);
        const RawResponse second = readResponse(socket);
        QCOMPARE(first.status, 200);
        QCOMPARE(jsonOf(first).value(u"object").toString(), u"list"_s);
        QCOMPARE(second.status, 404);
        QVERIFY(first.headers.value("x-request-id") != second.headers.value("x-request-id"));
        QVERIFY(writeAll(socket, requestHead("GET", "/v1/batches")));
        QCOMPARE(readResponse(socket).status, 200);
    }

    void unknownRouteAndWrongMethod()
    {
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_simulator->port()));
        QVERIFY(writeAll(socket, requestHead("GET", "/v1/nothing/here")));
        const RawResponse unknown = readResponse(socket);
        QCOMPARE(unknown.status, 404);
        verifyEnvelope(unknown);
        QCOMPARE(jsonOf(unknown).value(u"error").toObject().value(u"message").toString(),
                 u"Invalid URL (GET /v1/nothing/here)"_s);

        QVERIFY(writeAll(socket, requestHead("PUT", "/v1/batches", "Content-Length: 0\r\n")));
        const RawResponse wrongMethod = readResponse(socket);
        QCOMPARE(wrongMethod.status, 405);
        verifyEnvelope(wrongMethod);
    }

    void malformedRequestIsRefusedAndClosed()
    {
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_simulator->port()));
        QVERIFY(writeAll(socket, "THIS IS NOT HTTP\r\n\r\n"));
        const RawResponse response = readResponse(socket);
        QCOMPARE(response.status, 400);
        verifyEnvelope(response);
        QCOMPARE(response.headers.value("connection"), QByteArray("close"));
        QVERIFY(socket.state() == QTcpSocket::UnconnectedState || socket.waitForDisconnected(30000));
    }

    void badChunkSizeIsRefused()
    {
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_simulator->port()));
        QVERIFY(writeAll(socket, requestHead("POST", "/v1/batches", "Transfer-Encoding: chunked\r\n") + "zz\r\n"));
        const RawResponse response = readResponse(socket);
        QCOMPARE(response.status, 400);
        verifyEnvelope(response);
    }

    void oversizedHeadersGet431()
    {
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_simulator->port()));
        QVERIFY(writeAll(socket, "GET /v1/files HTTP/1.1\r\nX-Big: " + QByteArray(70 * 1024, 'a') + "\r\n\r\n"));
        const RawResponse response = readResponse(socket);
        QCOMPARE(response.status, 431);
        verifyEnvelope(response);
    }

    void bodyOverTheLimitGets413()
    {
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_simulator->port()));
        QVERIFY(
            writeAll(socket,
                     requestHead("POST",
                                 "/v1/files",
                                 "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 999999999\r\n")));
        const RawResponse response = readResponse(socket);
        QCOMPARE(response.status, 413);
        verifyEnvelope(response);
    }

    // Qt 6.4's QHttpServer crashes when a kept responder writes after its client left; ours must not.
    void clientLeavingDuringAStallIsHarmless()
    {
        SimulatorFaults faults;
        faults.stallMs = 50;
        QMetaObject::invokeMethod(
            m_simulator->server(), [&] { m_simulator->server()->setFaults(faults); }, Qt::BlockingQueuedConnection);
        {
            QTcpSocket socket;
            QVERIFY(connectTo(socket, m_simulator->port()));
            QVERIFY(writeAll(socket, requestHead("GET", "/v1/batches")));
            socket.abort();
        }
        QTest::qWait(200); // let the stalled answer find its connection gone
        QMetaObject::invokeMethod(
            m_simulator->server(), [&] { m_simulator->server()->setFaults({}); }, Qt::BlockingQueuedConnection);
        QTcpSocket socket;
        QVERIFY(connectTo(socket, m_simulator->port()));
        QVERIFY(writeAll(socket, requestHead("GET", "/v1/batches")));
        QCOMPARE(readResponse(socket).status, 200);
    }

    // The real limits: a batch file over 200 MB is refused only after the whole body was read,
    // a 201 MB file of another purpose is stored. Streamed chunked, as Node SDK 7 does.
    void uploadsBeyond200MegabytesStreamChunked_data()
    {
        QTest::addColumn<QByteArray>("purpose");
        QTest::addColumn<int>("status");
        QTest::newRow("batch") << QByteArray("batch") << 400;
        QTest::newRow("user_data") << QByteArray("user_data") << 200;
    }

    void uploadsBeyond200MegabytesStreamChunked()
    {
        QFETCH(QByteArray, purpose);
        QFETCH(int, status);
        ThreadedSimulator simulator{SimulatorOptions{}};
        QVERIFY(simulator.isListening());
        QTcpSocket socket;
        QVERIFY(connectTo(socket, simulator.port()));
        QVERIFY(writeAll(socket,
                         requestHead("POST",
                                     "/v1/files",
                                     "Content-Type: multipart/form-data; boundary=" + kBoundary +
                                         "\r\nTransfer-Encoding: chunked\r\n")));
        QVERIFY(writeAll(socket,
                         chunk("--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n" +
                               purpose + "\r\n--" + kBoundary +
                               "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.jsonl\"\r\n\r\n")));
        const QByteArray megabyte(1024 * 1024, 'x');
        constexpr int kMegabytes = 201;
        for (int i = 0; i < kMegabytes; ++i)
            QVERIFY(writeAll(socket, chunk(megabyte)));
        QVERIFY(writeAll(socket, chunk("\r\n--" + kBoundary + "--\r\n") + "0\r\n\r\n"));
        const RawResponse response = readResponse(socket);
        QCOMPARE(response.status, status);
        if (status == 400) {
            QCOMPARE(jsonOf(response).value(u"error").toObject().value(u"message").toString(), u"File is too large."_s);
            QVERIFY(jsonOf(response).value(u"error").toObject().value(u"code").isNull());
        } else {
            QCOMPARE(jsonOf(response).value(u"bytes").toInteger(), qint64(kMegabytes) * megabyte.size());
        }
    }

private:
    std::unique_ptr<ThreadedSimulator> m_simulator;
};

QTEST_GUILESS_MAIN(TestSimHttp)
#include "tst_simhttp.moc"
