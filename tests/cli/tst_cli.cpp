// batchdeck-cli as a user runs it: a real process, real files, the backend named by BATCHDECK_TEST_BACKEND.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

#include <unistd.h>

#include "TestDatabase.h"
#include "store/Database.h"
#include "store/JobStore.h"

using namespace batchdeck;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runCli(const QStringList& arguments, const QString& db = {}, const QString& asUser = {})
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!db.isEmpty())
        env.insert(QStringLiteral("BATCHDECK_DB"), db);
    process.setProcessEnvironment(env);
    if (asUser.isEmpty())
        process.start(QStringLiteral(BATCHDECK_CLI_PATH), arguments);
    else
        process.start(
            QStringLiteral("runuser"),
            QStringList{QStringLiteral("-u"), asUser, QStringLiteral("--"), QStringLiteral(BATCHDECK_CLI_PATH)} +
                arguments);
    if (!process.waitForFinished(60'000))
        qFatal("batchdeck-cli did not finish");
    return Run{process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

} // namespace

class CliTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;

    QString writeFile(const QString& name, const QByteArray& content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write test file");
        file.write(content);
        return path;
    }

private Q_SLOTS:
    void init()
    {
        m_db = test::freshDatabaseUrl(m_dir);
        QVERIFY2(!m_db.isEmpty(), "BATCHDECK_TEST_PG_URL is not set: run the PostgreSQL tests through ./test.sh");
    }

    void importThenListRunsAndJobsAsJson()
    {
        const QString run = QStringLiteral("scheduled__2026-12-03T00:00:00+00:00");
        const QString items =
            writeFile(QStringLiteral("items.jsonl"),
                      "{\"id\":\"a\",\"text\":\"one\"}\n{\"id\":\"b\",\"text\":\"two \xF0\x9F\x8E\x89\"}\n");
        const Run imported = runCli({QStringLiteral("import"), run, items}, m_db);
        QCOMPARE(imported.exitCode, 0);
        QVERIFY2(imported.out.contains("imported 2 items"), imported.out.constData());

        const Run runs = runCli({QStringLiteral("--db"), m_db, QStringLiteral("runs"), QStringLiteral("--json")});
        QCOMPARE(runs.exitCode, 0);
        const QJsonArray runArray = QJsonDocument::fromJson(runs.out).array();
        QCOMPARE(runArray.size(), 1);
        QCOMPARE(runArray.at(0)[QStringLiteral("run_id")].toString(), run);
        QCOMPARE(runArray.at(0)[QStringLiteral("items")].toInt(), 2);
        QCOMPARE(runArray.at(0)[QStringLiteral("jobs")].toInt(), 0);
        QVERIFY(runArray.at(0)[QStringLiteral("created_at")].toDouble() > 0);

        // A job made through the engine, as a server would, shows up in the CLI.
        {
            auto db = Database::open(m_db);
            QVERIFY(db.ok());
            QVERIFY(JobStore(*db).createOrGet(run, QStringLiteral("summarize"), QStringLiteral("api")).ok());
        }
        const Run jobs = runCli({QStringLiteral("jobs"), QStringLiteral("--json"), QStringLiteral("--run"), run}, m_db);
        QCOMPARE(jobs.exitCode, 0);
        const QJsonArray jobArray = QJsonDocument::fromJson(jobs.out).array();
        QCOMPARE(jobArray.size(), 1);
        const QJsonObject job = jobArray.at(0).toObject();
        QCOMPARE(job[QStringLiteral("run_id")].toString(), run);
        QCOMPARE(job[QStringLiteral("batch_type")].toString(), QStringLiteral("summarize"));
        QCOMPARE(job[QStringLiteral("job_status")].toString(), QStringLiteral("PENDING_SUBMISSION"));
        QCOMPARE(job[QStringLiteral("attempt")].toInt(), 1);
        QVERIFY(job.contains(QStringLiteral("llm_batch_id")));
        QVERIFY(job[QStringLiteral("job_id")].toInt() > 0);
        QVERIFY(job[QStringLiteral("updated_at")].toDouble() > 0);

        const Run filtered = runCli(
            {QStringLiteral("jobs"), QStringLiteral("--json"), QStringLiteral("--status"), QStringLiteral("COMPLETED")},
            m_db);
        QCOMPARE(filtered.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(filtered.out).array().size(), 0);

        const Run table = runCli({QStringLiteral("jobs")}, m_db);
        QCOMPARE(table.exitCode, 0);
        QVERIFY(table.out.contains("PENDING_SUBMISSION"));
    }

    void csvImportWithKeyOption()
    {
        const QString items = writeFile(QStringLiteral("items.csv"), "doc,text\nd1,\"a, b\"\nd2,c\n");
        const Run imported = runCli({QStringLiteral("import"),
                                     QStringLiteral("r"),
                                     items,
                                     QStringLiteral("--key"),
                                     QStringLiteral("doc"),
                                     QStringLiteral("--json")},
                                    m_db);
        QCOMPARE(imported.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(imported.out).object()[QStringLiteral("items")].toInt(), 2);
    }

    void badFileExitsSevenWithLineNumbersAndImportsNothing()
    {
        const QString items = writeFile(QStringLiteral("bad.jsonl"), "{\"id\":\"a\"}\n{oops\n{\"id\":\"a\"}\n");
        const Run imported = runCli({QStringLiteral("import"), QStringLiteral("r"), items}, m_db);
        QCOMPARE(imported.exitCode, 7);
        QVERIFY2(imported.err.contains("line 2: invalid JSON"), imported.err.constData());
        QVERIFY(imported.err.contains("line 3: key 'a' was already given on line 1"));
        const Run runs = runCli({QStringLiteral("runs"), QStringLiteral("--json")}, m_db);
        QCOMPARE(QJsonDocument::fromJson(runs.out).array().size(), 0);
    }

    void usageErrorsExitTwo()
    {
        QCOMPARE(runCli({QStringLiteral("frobnicate")}, m_db).exitCode, 2);
        QCOMPARE(runCli({}, m_db).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("import"), QStringLiteral("only-run")}, m_db).exitCode, 2);
        QCOMPARE(runCli({QStringLiteral("jobs"), QStringLiteral("--bogus")}, m_db).exitCode, 2);
        const Run help = runCli({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("Exit codes"));
        const Run commandHelp = runCli({QStringLiteral("import"), QStringLiteral("--help")});
        QCOMPARE(commandHelp.exitCode, 0);
        QVERIFY(commandHelp.out.contains("--key"));
        QCOMPARE(runCli({QStringLiteral("--version")}).exitCode, 0);
    }

    void badValuesExitSeven()
    {
        QCOMPARE(runCli({QStringLiteral("jobs"), QStringLiteral("--status"), QStringLiteral("DONE")}, m_db).exitCode,
                 7);
        QCOMPARE(runCli({QStringLiteral("--db"), QStringLiteral("sqlite://relative"), QStringLiteral("jobs")}).exitCode,
                 7);
    }

    void databaseTroubleExitsFive()
    {
        const Run unreachable =
            runCli({QStringLiteral("jobs")}, QStringLiteral("postgresql://u:pw@127.0.0.1:1/db?connect_timeout=2"));
        QCOMPARE(unreachable.exitCode, 5);
        QVERIFY(unreachable.err.contains("cannot open postgresql://u:***@127.0.0.1:1/db"));
        QVERIFY(!unreachable.err.contains(":pw@"));
    }

    void readOnlySqliteIsAClearError()
    {
        if (test::usingPostgres())
            return; // a SQLite matter; the PostgreSQL run covers the rest of this class
        const QString folder = m_dir.filePath(QStringLiteral("ro"));
        QVERIFY(QDir().mkpath(folder));
        const QString url = QStringLiteral("sqlite://") + folder + QStringLiteral("/ro.db");
        QCOMPARE(runCli({QStringLiteral("runs")}, url).exitCode, 0);
        QFile::setPermissions(folder + QStringLiteral("/ro.db"),
                              QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther);
        QFile::setPermissions(folder,
                              QFile::ReadOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup |
                                  QFile::ReadOther | QFile::ExeOther);
        QFile::setPermissions(
            m_dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther);
        // root ignores file permissions, so as root the check runs as the unprivileged 'nobody'.
        const Run run = runCli({QStringLiteral("runs")}, url, geteuid() == 0 ? QStringLiteral("nobody") : QString());
        QFile::setPermissions(folder, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QCOMPARE(run.exitCode, 5);
        QVERIFY2(run.err.contains(folder.toUtf8()), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(CliTest)
#include "tst_cli.moc"
