// `batchdeck-cli serve` as a process, the way Airflow and systemd see it: the example DAG's HTTP
// exchange played in order (its endpoints read from packaging/airflow/batchdeck_example_dag.py),
// SIGTERM while a request is in flight (it is answered, then exit 0), readiness while the database
// is unreachable, no token off loopback, JSON request logs, --auto-poll/--auto-process, and two
// servers on one database receiving the same submit many times at once: exactly one provider batch.
// The simulator runs as `batchdeck-cli simulate`, so the provider is another process too.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTest>

#include "ApiClient.h"
#include "CliProcess.h"
#include "SimulatorProcess.h"
#include "TestDatabase.h"

using namespace batchdeck;
using namespace batchdeck::test;

namespace {

const QByteArray kToken = "serve-test-token-4b1d";
const QString kRun = QStringLiteral("scheduled__2026-12-03T00:00:00+00:00");

} // namespace

class ServeProcessTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    std::unique_ptr<SimulatorProcess> m_simulator;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("BATCHDECK_DB"), m_db);
        env.insert(QStringLiteral("OPENAI_BASE_URL"), m_simulator->baseUrl());
        env.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-serve-test"));
        env.insert(QStringLiteral("BATCHDECK_API_TOKEN"), QString::fromLatin1(kToken));
        env.insert(QStringLiteral("BATCHDECK_STATUS_INTERVAL_MS"), QStringLiteral("0"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("TMPDIR"), m_dir.path());
        return env;
    }

    std::unique_ptr<CliProcess> startServe(QStringList extra = {}, QProcessEnvironment env = {})
    {
        auto serve = std::make_unique<CliProcess>();
        QStringList arguments{QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")};
        arguments += extra;
        if (!serve->start(arguments,
                          env.isEmpty() ? environment() : env,
                          QStringLiteral("batchdeck serve ready on (http://127\\.0\\.0\\.1:\\d+)"))) {
            qWarning() << "serve did not get ready:" << serve->process().readAllStandardError();
            return {};
        }
        return serve;
    }

    void setSimulatorFaults(const QByteArray& json)
    {
        QVERIFY(m_simulator->setFaults(QJsonDocument::fromJson(json).object()));
    }

    QJsonArray simulatorBatches() { return m_simulator->batches(); }

    void importItems(ApiClient& api, int count)
    {
        QByteArray lines;
        for (int i = 0; i < count; ++i)
            lines += QStringLiteral("{\"id\":\"k%1\",\"text\":\"text %1\"}\n").arg(i).toUtf8();
        const HttpReply imported =
            api.post("/pipeline/" + encodeSegment(kRun) + "/items", lines, "application/x-ndjson");
        QCOMPARE(imported.status, 200);
    }

    // The DAG's endpoints as Airflow renders them for kRun ({{ run_id | urlencode }}).
    QList<QByteArray> dagEndpoints()
    {
        QFile dag(QStringLiteral(BATCHDECK_SOURCE_DIR "/packaging/airflow/batchdeck_example_dag.py"));
        if (!dag.open(QIODevice::ReadOnly))
            return {};
        const QString text = QString::fromUtf8(dag.readAll());
        const QString batchType =
            QRegularExpression(QStringLiteral("BATCH_TYPE = \"([^\"]+)\"")).match(text).captured(1);
        QList<QByteArray> endpoints;
        for (const char* name : {"SUBMIT_ENDPOINT", "STATUS_ENDPOINT", "PROCESS_ENDPOINT"}) {
            const auto match =
                QRegularExpression(QLatin1String(name) + QStringLiteral(" = \"([^\"]+)\" \\+ BATCH_TYPE")).match(text);
            QString endpoint = match.captured(1) + batchType;
            endpoint.replace(QStringLiteral("{{ run_id | urlencode }}"), QString::fromLatin1(encodeSegment(kRun)));
            endpoints.append('/' + endpoint.toUtf8());
        }
        return endpoints;
    }

private Q_SLOTS:
    void init()
    {
        m_db = freshDatabaseUrl(m_dir);
        QVERIFY2(!m_db.isEmpty(), "BATCHDECK_TEST_PG_URL is not set: run the PostgreSQL tests through ./test.sh");
        m_simulator = std::make_unique<SimulatorProcess>();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TMPDIR"), m_dir.path());
        QVERIFY(m_simulator->start(150, env));
    }

    void cleanup() { m_simulator.reset(); }

    void airflowDagExchangeInOrder()
    {
        const QList<QByteArray> endpoints = dagEndpoints();
        QCOMPARE(endpoints.size(), 3);
        QCOMPARE(endpoints.at(0), "/pipeline/" + encodeSegment(kRun) + "/submit-batch/summarize");
        const QByteArray& submit = endpoints.at(0);
        const QByteArray& status = endpoints.at(1);
        const QByteArray& process = endpoints.at(2);

        auto serve = startServe();
        QVERIFY(serve);
        ApiClient api(serve->port(), kToken); // HttpHook sends the connection's extra as headers
        importItems(api, 25);

        // submit_batch: 200 submitted; response_filter takes llm_batch_id for XCom.
        const HttpReply submitted = api.post(submit);
        QCOMPARE(submitted.status, 200);
        QCOMPARE(submitted.json().value(u"status").toString(), u"submitted");
        const QString batchId = submitted.json().value(u"llm_batch_id").toString();
        QVERIFY(!batchId.isEmpty());
        // An Airflow retry of submit_batch: the same batch, nothing new at the provider.
        const HttpReply retried = api.post(submit);
        QCOMPARE(retried.status, 200);
        QCOMPARE(retried.json().value(u"status").toString(), u"skipped");
        QCOMPARE(retried.json().value(u"llm_batch_id").toString(), batchId);

        // wait_for_batch: pokes until batch_is_done() says so; a 200 every time.
        QJsonObject body;
        int pokes = 0;
        for (; pokes < 200; ++pokes) {
            const HttpReply poke = api.get(status);
            QVERIFY2(poke.status == 200 || poke.status == 503, poke.body.constData());
            body = poke.json();
            if (poke.status == 200 && body.value(u"terminal").toBool())
                break;
            QTest::qWait(50);
        }
        QVERIFY(body.value(u"terminal").toBool());
        QCOMPARE(body.value(u"llm_status").toString(), u"completed"); // not failed: no AirflowFailException
        QVERIFY(body.value(u"error").isNull());
        QCOMPARE(body.value(u"provider").toObject().value(u"batch_id").toString(), batchId);

        // process_results: counts for XCom; a retry of the task gives the same counts.
        const HttpReply processed = api.post(process);
        QCOMPARE(processed.status, 200);
        QCOMPARE(processed.json().value(u"status").toString(), u"processed");
        QCOMPARE(processed.json().value(u"results_saved").toInt(), 25);
        QCOMPARE(processed.json().value(u"errors").toInt(), 0);
        const HttpReply again = api.post(process);
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json().value(u"status").toString(), u"skipped");
        QCOMPARE(again.json().value(u"results_saved").toInt(), 25);
        QCOMPARE(simulatorBatches().size(), 1);
    }

    void failedBatchIsTerminalWithItsReason()
    {
        auto serve = startServe();
        QVERIFY(serve);
        ApiClient api(serve->port(), kToken);
        importItems(api, 3);
        setSimulatorFaults(R"({"enqueued_token_limit_per_model": 1})");
        QCOMPARE(api.post("/pipeline/" + encodeSegment(kRun) + "/submit-batch/summarize").status, 200);
        QJsonObject body;
        for (int i = 0; i < 200 && !body.value(u"terminal").toBool(); ++i) {
            body = api.get("/pipeline/" + encodeSegment(kRun) + "/batch-job-status/summarize").json();
            QTest::qWait(50);
        }
        // What batch_is_done() turns into AirflowFailException with error.message.
        QCOMPARE(body.value(u"llm_status").toString(), u"failed");
        QVERIFY(!body.value(u"error").toObject().value(u"message").toString().isEmpty());
        QCOMPARE(body.value(u"error").toObject().value(u"code").toString(), u"token_limit_exceeded");
    }

    void sigtermAnswersTheRequestInFlightThenExitsZero()
    {
        auto serve = startServe();
        QVERIFY(serve);
        ApiClient api(serve->port(), kToken);
        importItems(api, 5);
        setSimulatorFaults(R"({"stall_ms": 1500})");
        auto submit = api.start("POST", "/pipeline/" + encodeSegment(kRun) + "/submit-batch/summarize");
        // Until the submit is in flight (waiting for the stalled provider): /metrics counts itself too.
        QTRY_VERIFY_WITH_TIMEOUT(api.get("/metrics").body.contains("batchdeck_http_requests_in_flight 2"), 10000);
        serve->process().terminate();
        const HttpReply submitted = submit->wait(20000);
        QCOMPARE(submitted.status, 200);
        QCOMPARE(submitted.json().value(u"status").toString(), u"submitted");
        // waitForFinished() is false for a process that has ended already, so wait on the state.
        QTRY_COMPARE_WITH_TIMEOUT(serve->process().state(), QProcess::NotRunning, 20000);
        QCOMPARE(serve->process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve->process().exitCode(), 0);
        const QByteArray log = serve->process().readAllStandardError();
        QVERIFY2(log.contains("drained"), log.constData());
    }

    void notReadyWhileTheDatabaseIsUnreachable()
    {
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("BATCHDECK_DB"), QStringLiteral("postgresql://postgres@127.0.0.1:1/none"));
        CliProcess serve;
        serve.process().setProcessEnvironment(env);
        serve.process().setProcessChannelMode(QProcess::SeparateChannels);
        serve.process().start(QStringLiteral(BATCHDECK_CLI_PATH),
                              {QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
        QByteArray err;
        const QRegularExpression listening(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)"));
        quint16 port = 0;
        for (int i = 0; i < 100 && port == 0; ++i) {
            serve.process().waitForReadyRead(100);
            err += serve.process().readAllStandardError();
            const auto match = listening.match(QString::fromUtf8(err));
            if (match.hasMatch())
                port = quint16(match.captured(1).toUInt());
        }
        QVERIFY2(port != 0, err.constData());
        const HttpReply health = ApiClient(port).get("/healthz");
        QCOMPARE(health.status, 503);
        QCOMPARE(health.errorCode(), u"not_ready");
        QVERIFY(health.headers.contains("retry-after"));
        const HttpReply status = ApiClient(port, kToken).get("/pipeline/r1/batch-job-status/summarize");
        QCOMPARE(status.status, 503);
        QVERIFY(serve.process().readAllStandardOutput().isEmpty()); // no ready line
        serve.process().terminate();
        QVERIFY(serve.process().waitForFinished(10000));
        QCOMPARE(serve.process().exitCode(), 0);
    }

    void refusesToListenBeyondLoopbackWithoutToken()
    {
        QProcessEnvironment env = environment();
        env.remove(QStringLiteral("BATCHDECK_API_TOKEN"));
        QProcess serve;
        serve.setProcessEnvironment(env);
        serve.start(QStringLiteral(BATCHDECK_CLI_PATH),
                    {QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0")});
        QVERIFY(serve.waitForFinished(20000));
        QCOMPARE(serve.exitCode(), 7);
        QVERIFY(serve.readAllStandardError().contains("BATCHDECK_API_TOKEN"));
    }

    void tokenFromFileAndJsonRequestLog()
    {
        const QString tokenPath = m_dir.filePath(QStringLiteral("token"));
        QFile tokenFile(tokenPath);
        QVERIFY(tokenFile.open(QIODevice::WriteOnly));
        tokenFile.write("file-token-77\n");
        tokenFile.close();
        auto serve = startServe(
            {QStringLiteral("--token-file"), tokenPath, QStringLiteral("--log-format"), QStringLiteral("json")});
        QVERIFY(serve);
        QCOMPARE(ApiClient(serve->port(), kToken).get("/jobs").status, 401); // the file wins over the environment
        QCOMPARE(ApiClient(serve->port(), "file-token-77").get("/jobs").status, 200);
        QCOMPARE(ApiClient(serve->port()).get("/healthz").status, 200);
        serve->process().terminate();
        QVERIFY(serve->process().waitForFinished(10000));
        QCOMPARE(serve->process().exitCode(), 0);
        int requests = 0;
        const QList<QByteArray> lines = serve->process().readAllStandardError().split('\n');
        for (const QByteArray& line : lines) {
            if (line.isEmpty())
                continue;
            const QJsonObject entry = QJsonDocument::fromJson(line).object();
            QVERIFY2(!entry.isEmpty(), line.constData()); // every line is one JSON object
            QVERIFY(!line.contains("file-token-77") && !line.contains(kToken));
            if (entry.value(u"category").toString() != u"batchdeck.http")
                continue;
            ++requests;
            QVERIFY(entry.contains(u"method") && entry.contains(u"route") && entry.contains(u"duration_ms"));
            QVERIFY(entry.value(u"status").toInt() >= 200);
        }
        QCOMPARE(requests, 3);
    }

    void autoPollAndAutoProcessFinishJobsAlone()
    {
        auto serve =
            startServe({QStringLiteral("--auto-poll"), QStringLiteral("0.2"), QStringLiteral("--auto-process")});
        QVERIFY(serve);
        ApiClient api(serve->port(), kToken);
        importItems(api, 4);
        QCOMPARE(api.post("/pipeline/" + encodeSegment(kRun) + "/submit-batch/summarize").status, 200);
        QJsonObject job;
        for (int i = 0; i < 300; ++i) {
            job = api.get("/jobs?run_id=" + encodeSegment(kRun)).json().value(u"jobs").toArray().first().toObject();
            if (job.value(u"job_status").toString() == u"COMPLETED")
                break;
            QTest::qWait(50);
        }
        QCOMPARE(job.value(u"job_status").toString(), u"COMPLETED");
        QCOMPARE(job.value(u"results_saved").toInt(), 4);
    }

    void servesHttpsWithCertificateAndKey()
    {
        // A self-signed certificate for 127.0.0.1 made for this test only (tests/http/tls).
        const QString tls = QStringLiteral(BATCHDECK_SOURCE_DIR "/tests/http/tls/");
        CliProcess serve;
        QVERIFY(serve.start({QStringLiteral("serve"),
                             QStringLiteral("--listen"),
                             QStringLiteral("127.0.0.1:0"),
                             QStringLiteral("--tls-cert"),
                             tls + QStringLiteral("test-cert.pem"),
                             QStringLiteral("--tls-key"),
                             tls + QStringLiteral("test-key.pem")},
                            environment(),
                            QStringLiteral("batchdeck serve ready on (https://127\\.0\\.0\\.1:\\d+)")));
        QFile certificate(tls + QStringLiteral("test-cert.pem"));
        QVERIFY(certificate.open(QIODevice::ReadOnly));
        QSslConfiguration trust = QSslConfiguration::defaultConfiguration();
        trust.setCaCertificates(QSslCertificate::fromData(certificate.readAll(), QSsl::Pem));
        trust.setPeerVerifyMode(QSslSocket::VerifyPeer);
        QSslSocket socket;
        socket.setSslConfiguration(trust);
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), serve.port());
        QVERIFY2(socket.waitForEncrypted(10000), qPrintable(socket.errorString()));
        socket.write("GET /jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kToken +
                     "\r\nConnection: close\r\n\r\n");
        QByteArray answer;
        while (socket.waitForReadyRead(10000) || socket.bytesAvailable() > 0)
            answer += socket.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 200 OK"), answer.constData());
        // Plain HTTP on the TLS port gets no HTTP answer.
        QCOMPARE(ApiClient(serve.port(), kToken).raw("GET /healthz HTTP/1.1\r\n\r\n", 3000).status, 0);
    }

    void twoServersOneDatabaseOneBatch()
    {
        auto first = startServe();
        auto second = startServe();
        QVERIFY(first && second);
        ApiClient one(first->port(), kToken);
        ApiClient two(second->port(), kToken);
        importItems(one, 30);
        setSimulatorFaults(R"({"create_delay_ms": 300})"); // widen the window in which they race
        const QByteArray submit = "/pipeline/" + encodeSegment(kRun) + "/submit-batch/summarize";
        std::vector<std::unique_ptr<PendingReply>> pending;
        for (int i = 0; i < 24; ++i)
            pending.push_back((i % 2 ? two : one).start("POST", submit));
        int submitted = 0;
        int skipped = 0;
        int busy = 0;
        QSet<QString> batchIds;
        for (auto& reply : pending) {
            const HttpReply answer = reply->wait(60000);
            if (answer.status == 409) {
                QCOMPARE(answer.errorCode(), u"submission_in_progress");
                ++busy;
                continue;
            }
            QCOMPARE(answer.status, 200);
            const QString status = answer.json().value(u"status").toString();
            submitted += status == u"submitted";
            skipped += status == u"skipped";
            batchIds.insert(answer.json().value(u"llm_batch_id").toString());
        }
        QCOMPARE(submitted, 1);
        QCOMPARE(submitted + skipped + busy, 24);
        QCOMPARE(batchIds.size(), 1);
        QCOMPARE(simulatorBatches().size(), 1);
        // Afterwards both servers say the same, and still no second batch.
        const HttpReply fromOne = one.post(submit);
        const HttpReply fromTwo = two.post(submit);
        QCOMPARE(fromOne.json().value(u"llm_batch_id").toString(), *batchIds.begin());
        QCOMPARE(fromTwo.json().value(u"llm_batch_id").toString(), *batchIds.begin());
        QCOMPARE(simulatorBatches().size(), 1);
    }
};

QTEST_GUILESS_MAIN(ServeProcessTest)
#include "tst_serveprocess.moc"
