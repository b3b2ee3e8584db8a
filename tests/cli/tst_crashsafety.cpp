// Crash safety and concurrency with real processes: batchdeck-cli killed with SIGKILL mid-submit and
// mid-process, then run again; many batchdeck-cli submits of one job at once. The simulator runs as
// its own process (batchdeck-cli simulate) and is asked how many batches really exist.

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTest>

#include "SimulatorProcess.h"
#include "TestDatabase.h"
#include "store/Database.h"
#include "store/JobStore.h"
#include "store/ResultStore.h"

using namespace batchdeck;
using batchdeck::test::SimulatorProcess;

namespace {

const QString kRun = QStringLiteral("manual__2026-12-03T10:15:30.123456+00:00");

} // namespace

class CrashSafetyTest : public QObject
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
        env.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-crash-test"));
        env.insert(QStringLiteral("BATCHDECK_SUBMIT_LEASE_MS"), QStringLiteral("1500"));
        env.insert(QStringLiteral("BATCHDECK_PROCESS_LEASE_MS"), QStringLiteral("1500"));
        env.insert(QStringLiteral("BATCHDECK_STATUS_INTERVAL_MS"), QStringLiteral("0"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("TMPDIR"), m_dir.path());
        return env;
    }

    std::unique_ptr<QProcess> startCli(const QStringList& arguments)
    {
        auto process = std::make_unique<QProcess>();
        process->setProcessEnvironment(environment());
        process->start(QStringLiteral(BATCHDECK_CLI_PATH), arguments);
        return process;
    }

    int runCli(const QStringList& arguments, QByteArray* out = nullptr)
    {
        auto process = startCli(arguments);
        if (!process->waitForFinished(120'000))
            qFatal("batchdeck-cli did not finish");
        if (out)
            *out = process->readAllStandardOutput();
        const QByteArray err = process->readAllStandardError();
        if (process->exitCode() != 0)
            qWarning().noquote() << arguments.join(u' ') << "exited" << process->exitCode() << err;
        return process->exitCode();
    }

    qint64 jobId()
    {
        auto db = Database::open(m_db);
        auto job = JobStore(*db).find(kRun, QStringLiteral("summarize"));
        return job && job->has_value() ? (*job)->id : 0;
    }

    void importItems(int count)
    {
        const QString path = m_dir.filePath(QStringLiteral("items.jsonl"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < count; ++i)
            file.write(QStringLiteral("{\"id\":\"k%1\",\"text\":\"text number %1\"}\n").arg(i).toUtf8());
        file.close();
        QCOMPARE(runCli({QStringLiteral("import"), kRun, path}), 0);
    }

    void waitUntilTerminal()
    {
        QCOMPARE(runCli({QStringLiteral("status"),
                         kRun,
                         QStringLiteral("summarize"),
                         QStringLiteral("--wait"),
                         QStringLiteral("--interval"),
                         QStringLiteral("0.05")}),
                 0);
    }

private Q_SLOTS:
    void init()
    {
        m_db = test::freshDatabaseUrl(m_dir);
        QVERIFY2(!m_db.isEmpty(), "BATCHDECK_TEST_PG_URL is not set: run the PostgreSQL tests through ./test.sh");
        m_simulator = std::make_unique<SimulatorProcess>();
        QVERIFY(m_simulator->start(30, QProcessEnvironment::systemEnvironment()));
    }

    void cleanup() { m_simulator.reset(); }

    void killedBetweenCreateAndStoreIsAdoptedOnRerun()
    {
        importItems(20);
        // The simulator makes the batch at once but answers the create call 4 s later: the kill
        // lands after the batch exists and before the database knows its id.
        m_simulator->setFaults({{QStringLiteral("create_delay_ms"), 4000}});
        auto submit = startCli({QStringLiteral("submit"), kRun, QStringLiteral("summarize")});
        for (int i = 0; i < 200 && m_simulator->batchesCreated() == 0; ++i)
            QTest::qWait(25);
        QCOMPARE(m_simulator->batchesCreated(), 1);
        submit->kill(); // SIGKILL; never ::kill(processId()): a finished process has id 0, the whole group
        submit->waitForFinished();
        m_simulator->setFaults({{QStringLiteral("create_delay_ms"), 0}});

        const qint64 id = jobId();
        QVERIFY(id > 0);
        // While the dead process's lease lasts, another submit is told the job is busy.
        QCOMPARE(runCli({QStringLiteral("submit"), kRun, QStringLiteral("summarize")}), 4);
        QTest::qWait(1600);
        QByteArray out;
        QCOMPARE(runCli({QStringLiteral("submit"), kRun, QStringLiteral("summarize"), QStringLiteral("--json")}, &out),
                 0);
        const QJsonObject answer = QJsonDocument::fromJson(out).object();
        QCOMPARE(answer[QStringLiteral("status")].toString(), QStringLiteral("submitted"));
        QVERIFY(answer[QStringLiteral("adopted")].toBool());
        QCOMPARE(m_simulator->batchesOfJob(id).size(), 1);
        QCOMPARE(m_simulator->batchesCreated(), 1);
        QCOMPARE(runCli({QStringLiteral("submit"), kRun, QStringLiteral("summarize")}), 0); // skipped
        QCOMPARE(m_simulator->batchesCreated(), 1);
    }

    void killedWhileProcessingFinishesOnRerunWithoutDuplicates()
    {
        importItems(3000);
        QCOMPARE(runCli({QStringLiteral("submit"), kRun, QStringLiteral("summarize")}), 0);
        waitUntilTerminal();
        const qint64 id = jobId();
        // Kill process runs at several points: during the download, parsing or the store transaction.
        for (int delay : {50, 150, 300}) {
            m_simulator->setFaults({{QStringLiteral("stall_ms"), 100}});
            auto process = startCli({QStringLiteral("process"), kRun, QStringLiteral("summarize")});
            QTest::qWait(delay);
            process->kill(); // SIGKILL, and a no-op when the run already ended
            process->waitForFinished();
            m_simulator->setFaults({{QStringLiteral("stall_ms"), 0}});
            QTest::qWait(1600); // the dead worker's lease runs out
            auto db = Database::open(m_db);
            const JobStatus status = (*JobStore(*db).job(id)).status;
            QVERIFY2(status == JobStatus::PendingProcessing || status == JobStatus::Processing ||
                         status == JobStatus::Completed,
                     qPrintable(statusName(status)));
            if (status == JobStatus::Completed)
                break;
        }
        QByteArray out;
        QCOMPARE(runCli({QStringLiteral("process"), kRun, QStringLiteral("summarize"), QStringLiteral("--json")}, &out),
                 0);
        QCOMPARE(QJsonDocument::fromJson(out).object()[QStringLiteral("results_saved")].toInt(), 3000);
        auto db = Database::open(m_db);
        const auto results = *ResultStore(*db).list(id);
        QCOMPARE(results.size(), 3000);
        QSet<QString> keys;
        for (const BatchResult& result : results)
            keys.insert(result.customId);
        QCOMPARE(keys.size(), 3000);
        QCOMPARE((*JobStore(*db).job(id)).status, JobStatus::Completed);
    }

    void concurrentSubmitProcessesMakeOneBatch()
    {
        importItems(50);
        m_simulator->setFaults({{QStringLiteral("stall_ms"), 30}});
        std::vector<std::unique_ptr<QProcess>> processes;
        for (int i = 0; i < 8; ++i)
            processes.push_back(startCli({QStringLiteral("submit"), kRun, QStringLiteral("summarize")}));
        int ok = 0;
        int busy = 0;
        for (auto& process : processes) {
            QVERIFY(process->waitForFinished(120'000));
            if (process->exitCode() == 0)
                ++ok;
            else if (process->exitCode() == 4)
                ++busy;
            else
                qWarning() << process->readAllStandardError();
        }
        QCOMPARE(ok + busy, 8);
        QVERIFY(ok >= 1);
        QCOMPARE(m_simulator->batchesOfJob(jobId()).size(), 1);
        QCOMPARE(m_simulator->batchesCreated(), 1);
    }
};

QTEST_GUILESS_MAIN(CrashSafetyTest)
#include "tst_crashsafety.moc"
