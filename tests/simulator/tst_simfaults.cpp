// Fault switches (429 with Retry-After, 500, stalls, slow creation, seeded rolls), API keys, and
// the /_sim admin endpoints that change faults and the clock at run time.
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

#include "SimTestClient.h"
#include "simulator/SimulatorServer.h"

using namespace batchdeck::sim;
using namespace batchdeck::sim::test;
using namespace Qt::StringLiterals;

class TestSimFaults : public QObject
{
    Q_OBJECT

private:
    void start(SimulatorOptions options = {})
    {
        m_server = std::make_unique<SimulatorServer>(options);
        QVERIFY(m_server->listen().ok());
        m_client = std::make_unique<SimTestClient>(m_server->baseUrl(), options.apiKey.toUtf8());
    }

    QList<int> statuses(int count)
    {
        QList<int> result;
        for (int i = 0; i < count; ++i)
            result.append(m_client->get(u"batches"_s).status);
        return result;
    }

private Q_SLOTS:
    void cleanup()
    {
        m_client.reset();
        m_server.reset();
    }

    void apiKeyIsChecked()
    {
        SimulatorOptions options;
        options.apiKey = u"sk-secret-key-123456"_s;
        start(options);
        QCOMPARE(m_client->get(u"batches"_s).status, 200);

        m_client->setApiKey({});
        const HttpResult missing = m_client->get(u"batches"_s);
        QCOMPARE(missing.status, 401);
        QCOMPARE(missing.error().value(u"code").toString(), u"invalid_api_key"_s);
        QCOMPARE(missing.error().value(u"type").toString(), u"invalid_request_error"_s);
        QVERIFY(missing.headers.value("x-request-id").startsWith("req_"));

        m_client->setApiKey("sk-wrong-key-999999");
        const HttpResult wrong = m_client->get(u"files"_s);
        QCOMPARE(wrong.status, 401);
        QCOMPARE(wrong.error().value(u"code").toString(), u"invalid_api_key"_s);
        QVERIFY(!wrong.body.contains("sk-wrong-key-999999")); // never echoed in full
        QVERIFY(!wrong.body.contains("sk-secret"));
        QCOMPARE(m_client->get(u"/_sim/faults"_s).status, 401); // the admin endpoint too

        // Azure style header
        m_client->setApiKey({});
        QCOMPARE(m_client->get(u"batches"_s, {{"api-key", "sk-secret-key-123456"}}).status, 200);
    }

    void rateLimitWithRetryAfter()
    {
        SimulatorOptions options;
        options.faults.fail429Ratio = 1.0;
        options.faults.retryAfterSeconds = 7;
        start(options);
        const HttpResult result = m_client->get(u"batches"_s);
        QCOMPARE(result.status, 429);
        QCOMPARE(result.headers.value("retry-after"), QByteArray("7"));
        QCOMPARE(result.headers.value("retry-after-ms"), QByteArray("7000"));
        QCOMPARE(result.error().value(u"code").toString(), u"rate_limit_exceeded"_s);
        QCOMPARE(result.error().keys(), (QStringList{u"code"_s, u"message"_s, u"param"_s, u"type"_s}));
        QCOMPARE(m_client->uploadFile(chatLines(1)).status, 429); // uploads too, after reading the body
        QCOMPARE(m_server->batchesCreated(), 0);
    }

    void serverErrors()
    {
        SimulatorOptions options;
        options.faults.fail500Ratio = 1.0;
        start(options);
        const HttpResult result = m_client->postJson(u"batches"_s, {});
        QCOMPARE(result.status, 500);
        QCOMPARE(result.error().value(u"type").toString(), u"server_error"_s);
    }

    void faultsChangeAtRunTimeThroughTheAdminEndpoint()
    {
        start();
        QCOMPARE(m_client->get(u"/_sim/faults"_s).json(), SimulatorFaults().toJson());
        const HttpResult set = m_client->postJson(u"/_sim/faults"_s, {{u"fail_500_ratio"_s, 1}, {u"stall_ms"_s, 0}});
        QCOMPARE(set.status, 200);
        QCOMPARE(set.json().value(u"fail_500_ratio").toDouble(), 1.0);
        QCOMPARE(m_server->faults().fail500Ratio, 1.0);
        QCOMPARE(m_client->get(u"batches"_s).status, 500);
        QCOMPARE(m_client->get(u"/_sim/faults"_s).status, 200); // faults never hit the admin endpoint

        QCOMPARE(m_client->postJson(u"/_sim/faults"_s, {{u"fail_429_ratio"_s, 2}}).status, 400);
        QCOMPARE(m_client->postJson(u"/_sim/faults"_s, {{u"no_such_fault"_s, 1}}).status, 400);
        QCOMPARE(m_client->postRaw(u"/_sim/faults"_s, "application/json", "[]").status, 400);

        QCOMPARE(m_client->postJson(u"/_sim/faults"_s, {{u"fail_500_ratio"_s, 0}}).status, 200);
        QCOMPARE(m_client->get(u"batches"_s).status, 200);

        m_server->setFaults(SimulatorFaults{.fail429Ratio = 1.0});
        QCOMPARE(m_client->get(u"batches"_s).status, 429);
    }

    void faultRollsFollowTheSeed()
    {
        SimulatorOptions options;
        options.faults.fail429Ratio = 0.5;
        options.seed = 1234;
        start(options);
        const QList<int> first = statuses(24);
        QVERIFY(first.contains(200));
        QVERIFY(first.contains(429));
        start(options);
        QCOMPARE(statuses(24), first);
        options.seed = 99;
        start(options);
        QVERIFY(statuses(24) != first);
    }

    void stalledResponses()
    {
        SimulatorOptions options;
        options.faults.stallMs = 20;
        start(options);
        QCOMPARE(m_client->get(u"batches"_s).status, 200); // late, but whole

        m_server->setFaults(SimulatorFaults{.stallMs = 600000});
        const HttpResult timedOut = m_client->send("GET", u"batches"_s, {}, {}, 100);
        QCOMPARE(timedOut.status, 0);
        QVERIFY(!timedOut.networkError.isEmpty());
        QCOMPARE(m_client->postJson(u"/_sim/faults"_s, {{u"stall_ms"_s, 0}}).status, 200); // admin is never stalled
        QCOMPARE(m_client->get(u"batches"_s).status, 200);
    }

    // Slow creation: the batch exists and is listed while the create call is still unanswered,
    // which is how a client ends up with a batch it never heard of.
    void slowCreationCreatesFirstAndAnswersLater()
    {
        start();
        const QString fileId = m_client->uploadBatchFile(chatLines(1));
        m_server->setFaults(SimulatorFaults{.createDelayMs = 600000});
        QSignalSpy created(m_server.get(), &SimulatorServer::batchCreated);

        QNetworkAccessManager network;
        QNetworkRequest request(m_client->url(u"batches"_s));
        request.setRawHeader("Authorization", "Bearer sk-test");
        request.setRawHeader("Content-Type", "application/json");
        QNetworkReply* reply = network.post(request,
                                            QJsonDocument(QJsonObject{{u"input_file_id"_s, fileId},
                                                                      {u"endpoint"_s, u"/v1/chat/completions"_s},
                                                                      {u"completion_window"_s, u"24h"_s},
                                                                      {u"metadata"_s, QJsonObject{{u"job"_s, u"7"_s}}}})
                                                .toJson());
        QTRY_COMPARE_WITH_TIMEOUT(created.size(), 1, 60000);
        QVERIFY(!reply->isFinished());
        const QJsonArray listed = m_client->get(u"batches"_s).json().value(u"data").toArray();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed.first().toObject().value(u"metadata").toObject().value(u"job").toString(), u"7"_s);
        QCOMPARE(created.first().first().toString(), listed.first().toObject().value(u"id").toString());
        QVERIFY(!reply->isFinished());
        reply->abort();
        reply->deleteLater();
    }

    void adminListsBatchesAndMovesTheClock()
    {
        SimulatorOptions options;
        options.phaseMs = 10 * 60 * 1000;
        start(options);
        const QString fileId = m_client->uploadBatchFile(chatLines(2));
        const QString id =
            m_client
                ->createBatch(fileId, u"/v1/chat/completions"_s, {{u"metadata"_s, QJsonObject{{u"run"_s, u"r1"_s}}}})
                .json()
                .value(u"id")
                .toString();
        const QJsonObject listed = m_client->get(u"/_sim/batches"_s).json();
        QCOMPARE(listed.value(u"batches_created").toInt(), 1);
        QCOMPARE(listed.value(u"data").toArray().first().toObject().value(u"id").toString(), id);

        const qint64 before = m_client->get(u"/_sim/clock"_s).json().value(u"offset_ms").toInteger();
        QCOMPARE(before, 0);
        const HttpResult moved = m_client->postJson(u"/_sim/clock"_s, {{u"advance_ms"_s, 3 * options.phaseMs}});
        QCOMPARE(moved.status, 200);
        QCOMPARE(moved.json().value(u"offset_ms").toInteger(), 3 * options.phaseMs);
        QCOMPARE(m_client->batch(id).value(u"status").toString(), u"completed"_s);
        QCOMPARE(m_client->postJson(u"/_sim/clock"_s, {{u"advance_ms"_s, -5}}).status, 400);

        const std::optional<SimulatedBatch> snapshot = m_server->batch(id);
        QVERIFY(snapshot.has_value());
        QCOMPARE(snapshot->status, u"completed"_s);
        QCOMPARE(snapshot->completed, 2);
        QCOMPARE(snapshot->metadata.value(u"run").toString(), u"r1"_s);
        QVERIFY(snapshot->outputFileId.startsWith(u"file-"));
    }

    void requestServedCountsEveryAnswer()
    {
        start();
        QSignalSpy served(m_server.get(), &SimulatorServer::requestServed);
        m_client->get(u"batches"_s);
        m_client->get(u"nowhere"_s);
        QCOMPARE(served.size(), 2);
        QCOMPARE(served.at(1).at(2).toInt(), 404);
        QCOMPARE(m_server->requestsServed(), 2);
    }

private:
    std::unique_ptr<SimulatorServer> m_server;
    std::unique_ptr<SimTestClient> m_client;
};

QTEST_GUILESS_MAIN(TestSimFaults)
#include "tst_simfaults.moc"
