// Opening databases: URLs, migrations, a newer schema, concurrent first opens, and clear errors.
#include <atomic>

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include "TestDatabase.h"
#include "store/Database.h"
#include "store/DatabaseUrl.h"
#include "store/SqliteCheckpoint.h"

using namespace batchdeck;

class DatabaseTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString freshUrl()
    {
        const QString url = test::freshDatabaseUrl(m_dir);
        if (url.isEmpty())
            qFatal("BATCHDECK_TEST_PG_URL is not set: run the PostgreSQL tests through ./test.sh");
        return url;
    }

private Q_SLOTS:
    void freshDatabaseGetsTheLatestSchemaOnce()
    {
        const QString url = freshUrl();
        {
            auto db = Database::open(url);
            QVERIFY2(db.ok(), qPrintable(db.ok() ? QString() : db.error().message));
            QCOMPARE(*(*db)->schemaVersion(), Database::latestSchemaVersion());
        }
        auto again = Database::open(url);
        QVERIFY(again.ok());
        QSqlQuery q(*(*again)->connection());
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM schema_migrations")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), Database::latestSchemaVersion());
        for (const char* table :
             {"runs", "run_items", "pipeline_batch_jobs", "provider_batches", "job_events", "batch_results"}) {
            QSqlQuery probe(*(*again)->connection());
            QVERIFY2(probe.exec(QStringLiteral("SELECT COUNT(*) FROM ") + QLatin1String(table)), table);
        }
    }

    // A large SQLite transaction under a DeferredCheckpoint commits without checkpointing; start()
    // checkpoints it on another thread and gives the connection its auto-checkpoint back.
    void deferredCheckpointRunsAfterTheCommit()
    {
        const QString url = freshUrl();
        auto db = Database::open(url);
        QVERIFY(db.ok());
        if (!(*db)->isSqlite())
            QSKIP("a SQLite matter: on PostgreSQL the guard does nothing");
        QSqlDatabase connection = *(*db)->connection();
        QSqlQuery q(connection);
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE filler (x TEXT)")));
        DeferredCheckpoint checkpoint(connection, (*db)->url().path);
        QVERIFY(connection.transaction());
        q.prepare(QStringLiteral("INSERT INTO filler VALUES (?)"));
        for (int i = 0; i < 3000; ++i) { // ~6 MB: far past the 1,000 pages that trigger a checkpoint
            q.addBindValue(QString(2000, QLatin1Char('a' + i % 26)));
            QVERIFY(q.exec());
        }
        QVERIFY(connection.commit());
        auto framesLeft = [&] {
            QSqlQuery wal(connection);
            // busy, frames in the WAL, frames checkpointed: a passive look that also checkpoints
            wal.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
            return wal.next() ? wal.value(1).toInt() - wal.value(2).toInt() : -1;
        };
        checkpoint.start().waitForFinished();
        QCOMPARE(framesLeft(), 0);
        QSqlQuery pages(connection);
        QVERIFY(pages.exec(QStringLiteral("PRAGMA wal_autocheckpoint")) && pages.next());
        QCOMPARE(pages.value(0).toInt(), 1000);
        QSqlQuery count(connection);
        QVERIFY(count.exec(QStringLiteral("SELECT COUNT(*) FROM filler")) && count.next());
        QCOMPARE(count.value(0).toInt(), 3000);
    }

    void newerSchemaIsRefusedClearly()
    {
        const QString url = freshUrl();
        {
            auto db = Database::open(url);
            QVERIFY(db.ok());
            QSqlQuery q(*(*db)->connection());
            q.prepare(QStringLiteral(
                "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, 'future', 0)"));
            q.addBindValue(Database::latestSchemaVersion() + 1);
            QVERIFY(q.exec());
        }
        auto refused = Database::open(url);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, ErrorKind::SchemaTooNew);
        QVERIFY2(refused.error().message.contains(QStringLiteral("newer")), qPrintable(refused.error().message));
    }

    void concurrentFirstOpensAllSucceed()
    {
        const QString url = freshUrl();
        std::atomic<int> failures{0};
        QList<QThread*> threads;
        for (int i = 0; i < 4; ++i) {
            threads.append(QThread::create([&] {
                auto db = Database::open(url);
                if (!db) {
                    qWarning() << db.error().message;
                    ++failures;
                }
            }));
            threads.last()->start();
        }
        for (QThread* thread : std::as_const(threads)) {
            thread->wait();
            delete thread;
        }
        QCOMPARE(failures.load(), 0);
    }

    void eachThreadGetsItsOwnConnection()
    {
        auto db = Database::open(freshUrl());
        QVERIFY(db.ok());
        const QString mine = (*db)->connection()->connectionName();
        QString theirs;
        QThread* thread = QThread::create([&] { theirs = (*db)->connection()->connectionName(); });
        thread->start();
        thread->wait();
        delete thread;
        QVERIFY(!theirs.isEmpty());
        QVERIFY(mine != theirs);
        QCOMPARE((*db)->connection()->connectionName(), mine);
    }

    void badUrlsAreRefusedClearly_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QString() << QStringLiteral("empty database URL");
        QTest::newRow("relative sqlite") << QStringLiteral("sqlite://relative.db") << QStringLiteral("absolute path");
        QTest::newRow("mysql") << QStringLiteral("mysql://host/db") << QStringLiteral("unsupported database URL");
        QTest::newRow("no pg database") << QStringLiteral("postgresql://u@host:5432/")
                                        << QStringLiteral("database name");
        QTest::newRow("bad schema") << QStringLiteral("postgresql://u@h/db?schema=a;drop")
                                    << QStringLiteral("plain identifier");
        QTest::newRow("unknown option") << QStringLiteral("postgresql://u@h/db?sslmode=x")
                                        << QStringLiteral("unknown PostgreSQL URL option");
    }

    void badUrlsAreRefusedClearly()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        auto db = Database::open(url);
        QVERIFY(!db.ok());
        QCOMPARE(db.error().kind, ErrorKind::InvalidInput);
        QVERIFY2(db.error().message.contains(expected), qPrintable(db.error().message));
    }

    void urlsParseAndRedactPasswords()
    {
        auto pg = DatabaseUrl::parse(QStringLiteral("postgresql://alice:s3cr%40t@db.example:6543/jobs?schema=team_a"));
        QVERIFY(pg.ok());
        QCOMPARE(pg->host, QStringLiteral("db.example"));
        QCOMPARE(pg->port, 6543);
        QCOMPARE(pg->user, QStringLiteral("alice"));
        QCOMPARE(pg->password, QStringLiteral("s3cr@t"));
        QCOMPARE(pg->databaseName, QStringLiteral("jobs"));
        QCOMPARE(pg->schema, QStringLiteral("team_a"));
        QVERIFY(!pg->redacted().contains(QStringLiteral("s3cr")));
        auto file = DatabaseUrl::parse(QStringLiteral("sqlite:///var/lib/batchdeck/jobs.db"));
        QVERIFY(file.ok());
        QCOMPARE(file->path, QStringLiteral("/var/lib/batchdeck/jobs.db"));
        QVERIFY(DatabaseUrl::parse(QStringLiteral("sqlite::memory:"))->inMemory);
        QVERIFY(DatabaseUrl::defaultUrl().startsWith(QStringLiteral("sqlite:///")));
    }

    void unreachablePostgresIsAClearErrorWithoutThePassword()
    {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        auto db =
            Database::open(QStringLiteral("postgresql://alice:topsecret@127.0.0.1:1/batchdeck?connect_timeout=2"));
        QVERIFY(!db.ok());
        QCOMPARE(db.error().kind, ErrorKind::Database);
        QVERIFY2(
            db.error().message.contains(QStringLiteral("cannot open postgresql://alice:***@127.0.0.1:1/batchdeck")),
            qPrintable(db.error().message));
        QVERIFY(!db.error().message.contains(QStringLiteral("topsecret")));
    }

    void sqliteFolderThatCannotBeCreatedIsAClearError()
    {
        auto db = Database::open(QStringLiteral("sqlite:///proc/batchdeck-no-such/x.db"));
        QVERIFY(!db.ok());
        QVERIFY2(db.error().message.contains(QStringLiteral("/proc/batchdeck-no-such")),
                 qPrintable(db.error().message));
    }

    void inMemoryDatabaseIsSharedByThreads()
    {
        auto db = Database::open(QStringLiteral("sqlite::memory:"));
        QVERIFY(db.ok());
        QSqlQuery insert(*(*db)->connection());
        QVERIFY(insert.exec(QStringLiteral("INSERT INTO runs (run_id, created_at, updated_at) VALUES ('m', 1, 1)")));
        int seen = -1;
        QThread* thread = QThread::create([&] {
            QSqlQuery q(*(*db)->connection());
            if (q.exec(QStringLiteral("SELECT COUNT(*) FROM runs")) && q.next())
                seen = q.value(0).toInt();
        });
        thread->start();
        thread->wait();
        delete thread;
        QCOMPARE(seen, 1);
    }
};

QTEST_GUILESS_MAIN(DatabaseTest)
#include "tst_database.moc"
