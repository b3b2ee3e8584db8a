// --state-dir: files and batches survive a restart, and the lifecycle continues from the stored
// schedule (the clock, including the simulated offset, carries on).
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include "SimTestClient.h"
#include "simulator/SimulatorServer.h"

using namespace batchdeck::sim;
using namespace batchdeck::sim::test;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kPhase = 10 * 60 * 1000;

} // namespace

class TestSimState : public QObject
{
    Q_OBJECT

private:
    void start(qint64 phaseMs = kPhase)
    {
        m_client.reset();
        m_server.reset();
        SimulatorOptions options;
        options.phaseMs = phaseMs;
        options.stateDir = m_dir->path();
        m_server = std::make_unique<SimulatorServer>(options);
        const batchdeck::Result<quint16> port = m_server->listen();
        QVERIFY2(port.ok(), port.ok() ? "" : qPrintable(port.error().message));
        m_client = std::make_unique<SimTestClient>(m_server->baseUrl());
    }

private Q_SLOTS:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }

    void cleanup()
    {
        m_client.reset();
        m_server.reset();
        m_dir.reset();
    }

    void filesAndBatchesSurviveARestart()
    {
        start();
        const QByteArray content = chatLines(10);
        const HttpResult uploaded = m_client->uploadFile(content, "restart.jsonl");
        const QString fileId = uploaded.json().value(u"id").toString();
        const QJsonObject metadata{{u"job_id"_s, u"j-1"_s}};
        const QString id = m_client->createBatch(fileId, u"/v1/chat/completions"_s, {{u"metadata"_s, metadata}})
                               .json()
                               .value(u"id")
                               .toString();
        m_server->advanceClock(kPhase + kPhase / 2);
        const QJsonObject before = m_client->batch(id);
        QCOMPARE(before.value(u"status").toString(), u"in_progress"_s);

        start(); // a new process over the same folder
        QCOMPARE(m_server->batchesCreated(), 1);
        QCOMPARE(m_client->get(u"files/"_s + fileId).json(), uploaded.json());
        QCOMPARE(m_client->fileContent(fileId), content);
        const QJsonObject after = m_client->batch(id);
        QCOMPARE(after.value(u"status").toString(), u"in_progress"_s);
        QCOMPARE(after.value(u"created_at"), before.value(u"created_at"));
        QCOMPARE(after.value(u"in_progress_at"), before.value(u"in_progress_at"));
        QCOMPARE(after.value(u"metadata").toObject(), metadata);
        QVERIFY(after.value(u"request_counts").toObject().value(u"completed").toInt() >=
                before.value(u"request_counts").toObject().value(u"completed").toInt());

        m_server->advanceClock(2 * kPhase);
        const QJsonObject done = m_client->batch(id);
        QCOMPARE(done.value(u"status").toString(), u"completed"_s);
        const QString outputId = done.value(u"output_file_id").toString();
        const QByteArray output = m_client->fileContent(outputId);
        QCOMPARE(jsonLines(output).size(), 10);

        start();
        QCOMPARE(m_client->batch(id), done);
        QCOMPARE(m_client->fileContent(outputId), output);
        QCOMPARE(m_client->get(u"files?purpose=batch_output"_s).json().value(u"data").toArray().size(), 1);
    }

    void largeUploadsKeepTheirBytesInEitherPartOrder_data()
    {
        QTest::addColumn<bool>("fileLast");
        QTest::newRow("file last: the spooled body becomes the file") << true;
        QTest::newRow("file first: the file part is copied out") << false;
    }

    // Bodies over 1 MiB are spooled to disk as they arrive; when the file is the last part, that spool
    // file is kept as the stored file (its content starts after the multipart headers). Content,
    // validation, the output and a restart all see exactly the uploaded bytes.
    void largeUploadsKeepTheirBytesInEitherPartOrder()
    {
        QFETCH(bool, fileLast);
        start();
        const QByteArray content = chatLines(20000); // ~3 MB
        QVERIFY(content.size() > 2 * 1024 * 1024);
        const FormField purpose{"purpose", "batch", {}};
        const FormField file{"file", content, "big.jsonl"};
        const HttpResult uploaded =
            m_client->upload(fileLast ? QList<FormField>{purpose, file} : QList<FormField>{file, purpose});
        QCOMPARE(uploaded.status, 200);
        const QString fileId = uploaded.json().value(u"id").toString();
        QCOMPARE(uploaded.json().value(u"bytes").toInteger(), content.size());
        QCOMPARE(m_client->fileContent(fileId), content);

        const QString id = m_client->createBatch(fileId).json().value(u"id").toString();
        m_server->advanceClock(4 * kPhase);
        const QJsonObject done = m_client->waitForStatus(id, {u"completed"_s, u"failed"_s});
        QCOMPARE(done.value(u"status").toString(), u"completed"_s);
        QCOMPARE(done.value(u"request_counts").toObject().value(u"total").toInt(), 20000);

        start(); // the stored content offset survives a restart
        QCOMPARE(m_client->get(u"files/"_s + fileId).json(), uploaded.json());
        QCOMPARE(m_client->fileContent(fileId), content);
    }

    void theScheduleRunsOnWhileStopped()
    {
        start(20);
        const QString id =
            m_client->createBatch(m_client->uploadBatchFile(chatLines(3))).json().value(u"id").toString();
        QCOMPARE(m_client->batch(id).value(u"status").toString(), u"validating"_s);
        m_server.reset();
        m_client.reset();
        // Started again with other options: the batch keeps its own 20 ms phases.
        start(kPhase);
        const QJsonObject batch = m_client->waitForStatus(id, {u"completed"_s});
        QCOMPARE(batch.value(u"status").toString(), u"completed"_s);
        QCOMPARE(batch.value(u"request_counts").toObject().value(u"completed").toInt(), 3);
    }

    void partialResultsOfACancelAreTheSameAfterARestart()
    {
        start();
        QByteArray lines = chatLines(7);
        for (int i = 0; i < 3; ++i)
            lines += chatLine(u"fail-%1"_s.arg(i), u"[[sim:fail:500]]"_s);
        const QString id = m_client->createBatch(m_client->uploadBatchFile(lines)).json().value(u"id").toString();
        m_server->advanceClock(kPhase + kPhase / 2);
        const QJsonObject cancelling = m_client->postEmpty(u"batches/%1/cancel"_s.arg(id)).json();
        QCOMPARE(cancelling.value(u"status").toString(), u"cancelling"_s);
        const QJsonObject counts = cancelling.value(u"request_counts").toObject();

        start();
        m_server->advanceClock(kPhase);
        const QJsonObject cancelled = m_client->batch(id);
        QCOMPARE(cancelled.value(u"status").toString(), u"cancelled"_s);
        QCOMPARE(cancelled.value(u"request_counts").toObject(), counts);
        const int completed = counts.value(u"completed").toInt();
        const int failed = counts.value(u"failed").toInt();
        const QList<QJsonObject> output =
            cancelled.value(u"output_file_id").isNull()
                ? QList<QJsonObject>()
                : jsonLines(m_client->fileContent(cancelled.value(u"output_file_id").toString()));
        const QList<QJsonObject> errors =
            jsonLines(m_client->fileContent(cancelled.value(u"error_file_id").toString()));
        QCOMPARE(output.size(), completed);
        int ranAndFailed = 0;
        for (const QJsonObject& line : errors)
            ranAndFailed += line.value(u"response").isObject() ? 1 : 0;
        QCOMPARE(ranAndFailed, failed);
        QCOMPARE(errors.size(), 10 - completed);
    }

    void theClockOffsetIsKept()
    {
        start();
        m_server->advanceClock(123456);
        start();
        QCOMPARE(m_server->clockOffsetMs(), 123456);
    }

    void oneSimulatorPerStateFolder()
    {
        start();
        SimulatorOptions options;
        options.stateDir = m_dir->path();
        SimulatorServer second(options);
        const batchdeck::Result<quint16> refused = second.listen();
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message.contains(u"in use"));
        m_client.reset();
        m_server.reset();
        SimulatorServer third(options);
        QVERIFY(third.listen().ok());
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SimulatorServer> m_server;
    std::unique_ptr<SimTestClient> m_client;
};

QTEST_GUILESS_MAIN(TestSimState)
#include "tst_simstate.moc"
