#include "DatabaseTrouble.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>
#include <QTimer>

#include "ApiClient.h"
#include "CampaignEnvironment.h"
#include "CampaignTally.h"
#include "FaultScale.h"
#include "JobAudit.h"
#include "PrivatePostgres.h"

namespace batchdeck::faults {

using namespace Qt::StringLiterals;
using test::ApiClient;
using test::HttpReply;

const char* const kPostgresRestartScenario = "database trouble: PostgreSQL restarted under a server";
const char* const kSqliteLockedScenario = "database trouble: SQLite locked by another writer";

namespace {

const QString kType = QStringLiteral("summarize");

QByteArray pipelinePath(const QString& run, const char* action)
{
    return "/pipeline/" + test::encodeSegment(run) + '/' + action;
}

QByteArray itemLines(int count)
{
    QByteArray lines;
    for (int i = 0; i < count; ++i)
        lines += QStringLiteral("{\"id\":\"k%1\",\"text\":\"text %1\"}\n").arg(i).toUtf8();
    return lines;
}

} // namespace

void runPostgresRestart(const FaultScale& scale, CampaignTally& tally)
{
    const QString scenario = QLatin1String(kPostgresRestartScenario);
    constexpr int kItems = 20;
    PrivatePostgres postgres;
    QString error;
    if (!tally.check(postgres.start(&error), scenario, error))
        return;
    CampaignEnvironment environment;
    if (!tally.check(environment.start(&error, 100, postgres.url()), scenario, error))
        return;
    // No status cache: every status request reads the database.
    auto serve = environment.startServe({QStringLiteral("--status-cache-ms"), QStringLiteral("0")});
    if (!tally.check(bool(serve), scenario, QStringLiteral("the server did not start")))
        return;
    ApiClient api(serve->port());
    const QString before = QStringLiteral("run-before-outage");
    const QString during = QStringLiteral("run-during-outage");
    tally.check(api.post(pipelinePath(before, "items"), itemLines(kItems), "application/x-ndjson").status == 200,
                scenario,
                QStringLiteral("import before the outage failed"));
    tally.check(api.post(pipelinePath(before, "submit-batch/summarize")).status == 200,
                scenario,
                QStringLiteral("submit before the outage failed"));

    tally.check(postgres.stop(), scenario, QStringLiteral("pg_ctl stop failed"));
    QElapsedTimer outage;
    outage.start();
    const int outageMs = scale.full ? 10'000 : 3'000;
    while (outage.elapsed() < outageMs) {
        const HttpReply status = api.get(pipelinePath(before, "batch-job-status/summarize"));
        const HttpReply import = api.post(pipelinePath(during, "items"), itemLines(3), "application/x-ndjson");
        for (const HttpReply& reply : {status, import}) {
            if (tally.check(
                    reply.status == 503 && reply.headers.contains("retry-after"),
                    scenario,
                    QStringLiteral("during the outage: %1 %2").arg(reply.status).arg(QString::fromUtf8(reply.body))))
                tally.add(scenario, QStringLiteral("requests answered 503 during the outage"));
        }
        QThread::msleep(100);
    }
    tally.set(scenario, QStringLiteral("outage"), QStringLiteral("%1 s").arg(outageMs / 1000));

    tally.check(postgres.restart(), scenario, QStringLiteral("PostgreSQL did not start again"));
    QElapsedTimer recovery;
    recovery.start();
    int status = 0;
    while (recovery.elapsed() < 30'000) {
        status = api.get(pipelinePath(before, "batch-job-status/summarize")).status;
        if (status == 200)
            break;
        QThread::msleep(100);
    }
    tally.set(scenario, QStringLiteral("first 200 after the restart"), QStringLiteral("%1 ms").arg(recovery.elapsed()));
    if (!tally.check(
            status == 200,
            scenario,
            QStringLiteral("the server did not recover within 30 s of the restart (last answer %1)").arg(status)))
        return;
    tally.check(serve->process().state() == QProcess::Running, scenario, QStringLiteral("the server was restarted"));

    // Nothing lost: the job submitted before the outage finishes; the refused import can be repeated.
    bool terminal = false;
    for (int i = 0; i < 600 && !terminal; ++i) {
        terminal = api.get(pipelinePath(before, "batch-job-status/summarize")).json().value(u"terminal").toBool();
        QThread::msleep(terminal ? 0 : 50);
    }
    const HttpReply processed = api.post(pipelinePath(before, "process-batch-results/summarize"));
    tally.check(processed.status == 200 && processed.json().value(u"results_saved").toInt() == kItems,
                scenario,
                QStringLiteral("process after the restart: %1 %2")
                    .arg(processed.status)
                    .arg(QString::fromUtf8(processed.body)));
    tally.check(api.post(pipelinePath(during, "items"), itemLines(3), "application/x-ndjson").status == 200,
                scenario,
                QStringLiteral("the import refused during the outage fails afterwards too"));
    JobAudit audit(environment.database());
    const auto job = audit.job(before, kType);
    if (!tally.check(job.has_value(), scenario, QStringLiteral("the job submitted before the outage is gone")))
        return;
    const ResultCounts results = audit.results(job->id);
    tally.check(job->status == u"COMPLETED" && results.rows == kItems && results.distinctCustomIds == kItems,
                scenario,
                QStringLiteral("after the restart the job is %1 with %2 rows").arg(job->status).arg(results.rows));
    tally.check(
        environment.simulator().batchesOfJob(job->id).size() == 1, scenario, QStringLiteral("not one provider batch"));
    tally.add(
        scenario, QStringLiteral("jobs completed after the restart with every result"), job->status == u"COMPLETED");
}

void runSqliteLocked(CampaignEnvironment& environment, CampaignTally& tally)
{
    const QString scenario = QLatin1String(kSqliteLockedScenario);
    environment.database(); // the schema exists before anyone locks it
    const QString file = environment.databaseUrl().mid(QStringLiteral("sqlite://").size());
    {
        QSqlDatabase locker = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("faults-locker"));
        locker.setDatabaseName(file);
        if (!tally.check(locker.open(), scenario, QStringLiteral("cannot open %1").arg(file)))
            return;
        QSqlQuery query(locker);
        bool locked = false;
        const auto lock = [&] { return locked = query.exec(QStringLiteral("BEGIN IMMEDIATE")); };
        const auto unlock = [&] {
            if (locked)
                query.exec(QStringLiteral("COMMIT"));
            locked = false;
        };
        QFile items(environment.path(QStringLiteral("locked.jsonl")));
        if (!tally.check(items.open(QIODevice::WriteOnly) && items.write(itemLines(5)) > 0,
                         scenario,
                         QStringLiteral("cannot write the items")))
            return;
        items.close();

        // A lock that goes within the busy timeout: the writer waits, then succeeds.
        tally.check(lock(), scenario, query.lastError().text());
        QElapsedTimer clock;
        clock.start();
        auto import = environment.startCli({QStringLiteral("import"),
                                            QStringLiteral("locked-briefly"),
                                            environment.path(QStringLiteral("locked.jsonl"))});
        while (!import->waitForFinished(50) && import->state() != QProcess::NotRunning) {
            if (clock.elapsed() >= 2000)
                unlock();
        }
        unlock();
        const bool waited = import->exitStatus() == QProcess::NormalExit && import->exitCode() == 0;
        tally.check(waited,
                    scenario,
                    QStringLiteral("held for 2 s: import exited %1: %2")
                        .arg(import->exitCode())
                        .arg(QString::fromUtf8(import->readAllStandardError().right(300))));
        tally.set(scenario,
                  QStringLiteral("lock held 2 s: import"),
                  QStringLiteral("%1 after %2 ms").arg(waited ? u"succeeded"_s : u"FAILED"_s).arg(clock.elapsed()));

        // A lock that outlasts the busy timeout: a clear error, exit 5.
        tally.check(lock(), scenario, query.lastError().text());
        clock.restart();
        const CliRun held = environment.runCli({QStringLiteral("import"),
                                                QStringLiteral("locked-for-good"),
                                                environment.path(QStringLiteral("locked.jsonl"))});
        const qint64 heldMs = clock.elapsed();
        unlock();
        const QString message = QString::fromUtf8(held.err).trimmed();
        tally.check(held.exitCode == 5 && message.contains(u"locked"),
                    scenario,
                    QStringLiteral("held past the busy timeout: import exited %1: %2").arg(held.exitCode).arg(message));
        tally.set(scenario,
                  QStringLiteral("lock held past the busy timeout: import"),
                  QStringLiteral("exit %1 after %2 ms: %3")
                      .arg(held.exitCode)
                      .arg(heldMs)
                      .arg(QString(message).replace(file, QStringLiteral("DB"))));

        // A server whose write waits for the lock answers once the lock goes. Its other requests
        // wait meanwhile (the engine runs SQL on the server's one thread): a figure, not a promise.
        auto serve = environment.startServe();
        if (tally.check(bool(serve), scenario, QStringLiteral("the server did not start"))) {
            ApiClient api(serve->port());
            const QString run = QStringLiteral("locked-serve");
            tally.check(api.post(pipelinePath(run, "items"), itemLines(5), "application/x-ndjson").status == 200,
                        scenario,
                        QStringLiteral("import through the server failed"));
            tally.check(lock(), scenario, query.lastError().text());
            clock.restart();
            QTimer::singleShot(2500, [&] { unlock(); });
            auto submit = api.start("POST", pipelinePath(run, "submit-batch/summarize"));
            QTest::qWait(200); // the submit reaches the server and waits for the lock
            QElapsedTimer health;
            health.start();
            const HttpReply healthz = api.get("/healthz");
            const qint64 healthMs = health.elapsed();
            const HttpReply submitted = submit->wait(30'000);
            unlock();
            tally.check(submitted.status == 200 && healthz.status == 200,
                        scenario,
                        QStringLiteral("lock held 2.5 s under a server: submit %1, healthz %2")
                            .arg(submitted.status)
                            .arg(healthz.status));
            tally.set(scenario,
                      QStringLiteral("lock held 2.5 s: submit through serve"),
                      QStringLiteral("%1 after %2 ms; /healthz sent meanwhile took %3 ms")
                          .arg(submitted.status)
                          .arg(clock.elapsed())
                          .arg(healthMs));
        }
        query.finish();
        locker.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("faults-locker"));
}

} // namespace batchdeck::faults
