// `simulate` as a process: the ready line, options, signals and exit codes.
#include <csignal>

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include "SimTestClient.h"

using namespace batchdeck::sim::test;
using namespace Qt::StringLiterals;

class TestSimCli : public QObject
{
    Q_OBJECT

private:
    // Starts the command and waits for its ready line; returns the base URL (empty on failure).
    QUrl start(QProcess& process, const QStringList& arguments)
    {
        process.start(QStringLiteral(SIMULATE_HOST), arguments);
        if (!process.waitForStarted(30000))
            return {};
        QByteArray output;
        while (!output.contains('\n') && process.waitForReadyRead(30000))
            output += process.readAllStandardOutput();
        const QRegularExpressionMatch match =
            QRegularExpression(u"^simulator listening on (http://127\\.0\\.0\\.1:(\\d+)/v1)\n$"_s)
                .match(QString::fromUtf8(output));
        if (!match.hasMatch()) {
            qWarning() << "unexpected output:" << output << process.readAllStandardError();
            return {};
        }
        return QUrl(match.captured(1));
    }

    int stop(QProcess& process, int signal)
    {
        ::kill(pid_t(process.processId()), signal);
        if (!process.waitForFinished(30000))
            return -1;
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    }

private Q_SLOTS:
    void servesUntilSignalled_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
    }

    void servesUntilSignalled()
    {
        QFETCH(int, signal);
        QProcess process;
        const QUrl url = start(process, {u"--listen"_s, u"127.0.0.1:0"_s, u"--phase-ms"_s, u"10"_s});
        QVERIFY(url.isValid());
        QVERIFY(url.port() > 0);
        SimTestClient client(url);
        const QString id = client.createBatch(client.uploadBatchFile(chatLines(2))).json().value(u"id").toString();
        QCOMPARE(client.waitForStatus(id, {u"completed"_s}).value(u"status").toString(), u"completed"_s);
        QCOMPARE(stop(process, signal), 0);
    }

    void optionsReachTheSimulator()
    {
        QTemporaryDir state;
        QProcess process;
        const QUrl url = start(process,
                               {u"--listen"_s,
                                u"127.0.0.1:0"_s,
                                u"--api-key"_s,
                                u"sk-cli"_s,
                                u"--state-dir"_s,
                                state.path(),
                                u"--fail-429"_s,
                                u"1"_s,
                                u"--retry-after"_s,
                                u"3"_s,
                                u"--empty-string-file-ids"_s,
                                u"--token-limit"_s,
                                u"5"_s,
                                u"--stall-ms"_s,
                                u"3"_s,
                                u"--create-delay-ms"_s,
                                u"4"_s,
                                u"--fail-500"_s,
                                u"0"_s,
                                u"--expiry-ms"_s,
                                u"7200000"_s,
                                u"--seed"_s,
                                u"42"_s});
        QVERIFY(url.isValid());
        SimTestClient client(url, "sk-cli");
        const HttpResult limited = client.get(u"batches"_s);
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.headers.value("retry-after"), QByteArray("3"));
        SimTestClient wrongKey(url, "sk-other");
        QCOMPARE(wrongKey.get(u"batches"_s).status, 401);
        const QJsonObject faults = client.get(u"/_sim/faults"_s).json();
        QCOMPARE(faults.value(u"empty_string_file_ids").toBool(), true);
        QCOMPARE(faults.value(u"enqueued_token_limit_per_model").toInt(), 5);
        QCOMPARE(faults.value(u"stall_ms").toInt(), 3);
        QCOMPARE(faults.value(u"create_delay_ms").toInt(), 4);
        QCOMPARE(client.postJson(u"/_sim/faults"_s, {{u"fail_429_ratio"_s, 0}}).status, 200);
        const QJsonObject batch = client.createBatch(client.uploadBatchFile(chatLines(1))).json();
        QCOMPARE(batch.value(u"expires_at").toInteger() - batch.value(u"created_at").toInteger(), 7200);
        QCOMPARE(stop(process, SIGTERM), 0);
        QVERIFY(QDir(state.filePath(u"files"_s)).exists()); // the state went where --state-dir said
    }

    void commandLineErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("bad listen") << QStringList{u"--listen"_s, u"nowhere"_s} << 2;
        QTest::newRow("bad ratio") << QStringList{u"--fail-429"_s, u"1.5"_s} << 2;
        QTest::newRow("ratios over 1") << QStringList{u"--fail-429"_s, u"0.6"_s, u"--fail-500"_s, u"0.6"_s} << 2;
        QTest::newRow("bad number") << QStringList{u"--phase-ms"_s, u"fast"_s} << 2;
        QTest::newRow("unknown option") << QStringList{u"--frobnicate"_s} << 2;
        QTest::newRow("stray argument") << QStringList{u"extra"_s} << 2;
        QTest::newRow("help") << QStringList{u"--help"_s} << 0;
    }

    void commandLineErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QProcess process;
        process.start(QStringLiteral(SIMULATE_HOST), arguments);
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), exitCode);
        if (exitCode == 0)
            QVERIFY(process.readAllStandardOutput().contains("--phase-ms"));
        else
            QVERIFY(process.readAllStandardError().startsWith("batchdeck-cli simulate: "));
    }

    void portInUse()
    {
        QProcess first;
        const QUrl url = start(first, {u"--listen"_s, u"127.0.0.1:0"_s});
        QVERIFY(url.isValid());
        QProcess second;
        second.start(QStringLiteral(SIMULATE_HOST), {u"--listen"_s, u"127.0.0.1:%1"_s.arg(url.port())});
        QVERIFY(second.waitForFinished(30000));
        QCOMPARE(second.exitCode(), 1);
        QVERIFY(second.readAllStandardError().contains("cannot listen"));
        QCOMPARE(stop(first, SIGTERM), 0);
    }
};

QTEST_GUILESS_MAIN(TestSimCli)
#include "tst_simcli.moc"
