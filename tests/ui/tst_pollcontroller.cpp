// The poll controller on the backend named by BATCHDECK_TEST_BACKEND: the first read, changes of
// another connection after one tick, removals on refresh, the remembered interval, and reads that
// never run on the GUI thread.
#include <QAbstractItemModelTester>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>
#include <QTimer>

#include "ConsoleFixtures.h"
#include "FeedWorker.h"
#include "JobTableModel.h"
#include "PollController.h"
#include "TestDatabase.h"
#include "store/Database.h"
#include "store/JobStore.h"
#include "store/ProviderBatchStore.h"

using namespace batchdeck;

class PollControllerTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_url;
    std::shared_ptr<Database> m_db;
    std::unique_ptr<QSettings> m_settings;

    // Waits for the next result; fails the test on a poll error.
    static PollResult nextResult(PollController& poll)
    {
        QSignalSpy polled(&poll, &PollController::polled);
        QSignalSpy failed(&poll, &PollController::pollFailed);
        if (!polled.wait(10'000) || !failed.isEmpty())
            qFatal("no poll result: %s", failed.isEmpty() ? "timeout" : qPrintable(failed.first().first().toString()));
        return polled.first().first().value<PollResult>();
    }

private Q_SLOTS:
    void init()
    {
        auto db = test::openFreshDatabase(m_dir, &m_url);
        QVERIFY2(db.ok(), qPrintable(test::messageOf(db)));
        m_db = *db;
        m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
        m_settings->clear();
    }

    void cleanup()
    {
        m_settings.reset();
        m_db.reset();
    }

    void aChangeByAnotherConnectionAppearsAfterOneTick()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        test::seedJobs(*m_db, 200, now - 60'000);
        PollController poll(m_db, *m_settings);
        JobTableModel model;
        connect(&poll, &PollController::polled, &model, [&model](const PollResult& result) {
            model.merge(result.jobs, result.removedIds);
        });

        poll.start();
        const PollResult first = nextResult(poll);
        QVERIFY(first.full);
        QCOMPARE(model.rowCount(), 200);
        QCOMPARE(first.jobCount, 200);
        QVERIFY(first.counts.has_value());
        QCOMPARE(first.counts->total(), 200);
        QCOMPARE(first.runs.size(), 50);

        // Another process (its own Database, its own connections) moves a job on.
        auto other = Database::open(m_url);
        QVERIFY(other.ok());
        JobStore store(*other);
        const qint64 id = model.jobAt(17).id;
        const JobStatus status = model.jobAt(17).status;
        QVERIFY(*store.update(id, status, JobUpdate().set(JobField::ProviderStatus, QStringLiteral("finalizing"))));

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        poll.tick();
        const PollResult second = nextResult(poll);
        QVERIFY(!second.full);
        QCOMPARE(second.jobs.size(), 1); // only the real change reaches the GUI thread
        QCOMPARE(model.find(id)->providerStatus, QStringLiteral("finalizing"));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(reset.count(), 0);
        QVERIFY(second.runs.isEmpty()); // the job's run has the same counts: nothing to send

        // Nothing changed: an empty result.
        poll.tick();
        const PollResult quiet = nextResult(poll);
        QVERIFY(quiet.jobs.isEmpty());
        QVERIFY(quiet.runs.isEmpty());
        QVERIFY(!quiet.counts.has_value());
    }

    void newJobsArriveAndRefreshRemovesDeletedOnes()
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        test::seedJobs(*m_db, 8, now - 60'000);
        PollController poll(m_db, *m_settings);
        JobTableModel model;
        connect(&poll, &PollController::polled, &model, [&model](const PollResult& result) {
            model.merge(result.jobs, result.removedIds);
        });
        poll.start();
        nextResult(poll);
        QCOMPARE(model.rowCount(), 8);

        auto created = JobStore(m_db).createOrGet(QStringLiteral("run-new"), QStringLiteral("embed"), {});
        QVERIFY(created.ok());
        poll.tick();
        const PollResult added = nextResult(poll);
        QCOMPARE(model.rowCount(), 9);
        QCOMPARE(added.runs.size(), 1);
        QCOMPARE(added.runs.first().summary.runId, QStringLiteral("run-new"));
        QCOMPARE(added.runs.first().counts.count(JobStatus::PendingSubmission), 1);
        QVERIFY(model.find(created->id));

        const qint64 gone = model.jobAt(2).id;
        auto db = m_db->connection();
        QVERIFY(db.ok());
        QSqlQuery q(*db);
        QVERIFY(q.prepare(QStringLiteral("DELETE FROM pipeline_batch_jobs WHERE id = ?")));
        q.addBindValue(gone);
        QVERIFY(q.exec());
        poll.refresh();
        const PollResult full = nextResult(poll);
        QVERIFY(full.full);
        QCOMPARE(full.removedIds, QList<qint64>{gone});
        QCOMPARE(model.rowCount(), 8);
        QVERIFY(!model.find(gone));
    }

    void aLargeStoreShowsItsNewestJobsFirst()
    {
        const int total = FeedWorker::kPreviewJobs + 500;
        test::seedJobs(*m_db, total, QDateTime::currentMSecsSinceEpoch() - 60'000);
        PollController poll(m_db, *m_settings);
        JobTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<PollResult> results;
        connect(&poll, &PollController::polled, &model, [&](const PollResult& result) {
            results.append(result);
            model.merge(result.jobs, result.removedIds);
        });
        poll.start();
        QTRY_COMPARE_WITH_TIMEOUT(results.size(), 2, 30'000);
        QVERIFY(results.at(0).partial);
        QCOMPARE(results.at(0).jobs.size(), FeedWorker::kPreviewJobs);
        QCOMPARE(results.at(0).jobs.last().id, total);  // the newest ones
        QCOMPARE(results.at(0).counts->total(), total); // the buttons count everything at once
        QVERIFY(results.at(0).runs.isEmpty());
        QVERIFY(!results.at(1).partial);
        QVERIFY(results.at(1).full);
        QCOMPARE(results.at(1).jobs.size(), 500);   // only what the first look did not show
        QVERIFY(!results.at(1).counts.has_value()); // unchanged
        QCOMPARE(results.at(1).runs.size(), total / 4);
        QCOMPARE(model.rowCount(), total);
        QVERIFY(!poll.isReading());
    }

    void aLargeResultArrivesInPartsBetweenOtherEvents()
    {
        test::seedJobs(*m_db, 900, QDateTime::currentMSecsSinceEpoch() - 60'000);
        PollController poll(m_db, *m_settings);
        poll.setJobsPerDelivery(400);
        JobTableModel model;
        QList<PollResult> results;
        QList<bool> readingWhenDelivered;
        connect(&poll, &PollController::polled, &model, [&](const PollResult& result) {
            results.append(result);
            readingWhenDelivered.append(poll.isReading());
            model.merge(result.jobs, result.removedIds);
        });
        int timerTurns = 0;
        QTimer other; // stands for input and paint events: it must get turns between the parts
        connect(&other, &QTimer::timeout, &other, [&] { ++timerTurns; });
        other.start(0);
        poll.start();
        QTRY_VERIFY_WITH_TIMEOUT(!results.isEmpty() && !results.last().partial, 30'000);
        QCOMPARE(results.size(), 4); // three parts of jobs, then runs and counts
        QVERIFY(results.at(0).partial);
        QVERIFY(results.at(2).partial);
        QCOMPARE(results.at(0).jobs.size() + results.at(1).jobs.size() + results.at(2).jobs.size(), 900);
        QCOMPARE(results.at(1).jobCount, 800);
        QVERIFY(results.at(0).runs.isEmpty());
        QVERIFY(results.at(3).jobs.isEmpty());
        QCOMPARE(results.at(3).runs.size(), 225);
        QCOMPARE(results.at(3).counts->total(), 900);
        QVERIFY(results.at(3).full);
        QCOMPARE(readingWhenDelivered, (QList<bool>{true, true, true, true}));
        QVERIFY(!poll.isReading());
        QCOMPARE(model.rowCount(), 900);
        QVERIFY(timerTurns >= 3);
    }

    void readsRunOffTheGuiThreadAndNeverPileUp()
    {
        test::seedJobs(*m_db, 50, QDateTime::currentMSecsSinceEpoch());
        PollController poll(m_db, *m_settings);
        QSignalSpy polled(&poll, &PollController::polled);
        poll.start();
        // The call returned before the read: the GUI thread did not wait for the database.
        QVERIFY(poll.isReading());
        QCOMPARE(polled.count(), 0);
        // Ticks during a read fold into one more read, not three.
        poll.tick();
        poll.tick();
        poll.tick();
        QTRY_COMPARE(polled.count(), 2);
        QTRY_VERIFY(!poll.isReading());
        QTest::qWait(100);
        QCOMPARE(polled.count(), 2);
    }

    void theIntervalIsRemembered()
    {
        {
            PollController poll(m_db, *m_settings);
            QCOMPARE(poll.intervalSeconds(), 5);
            QSignalSpy changed(&poll, &PollController::intervalChanged);
            poll.setIntervalSeconds(15);
            QCOMPARE(changed.count(), 1);
            poll.setIntervalSeconds(7); // not a choice: ignored
            QCOMPARE(poll.intervalSeconds(), 15);
        }
        m_settings->sync();
        QSettings reread(m_dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
        QCOMPARE(reread.value(QStringLiteral("poll/intervalSeconds")).toInt(), 15);
        PollController again(m_db, *m_settings);
        QCOMPARE(again.intervalSeconds(), 15);
        again.setIntervalSeconds(0);
        QCOMPARE(again.intervalSeconds(), 0);
    }

    void theTimerPolls()
    {
        m_settings->setValue(QStringLiteral("poll/intervalSeconds"), 2);
        test::seedJobs(*m_db, 4, QDateTime::currentMSecsSinceEpoch());
        PollController poll(m_db, *m_settings);
        QSignalSpy polled(&poll, &PollController::polled);
        poll.start();
        QTRY_COMPARE_WITH_TIMEOUT(polled.count(), 2, 5000); // the first read, then one tick
    }

    void recordsLoadOnTheFeedThread()
    {
        auto job =
            JobStore(m_db).createOrGet(QStringLiteral("run-1"), QStringLiteral("summarize"), QStringLiteral("cli"));
        QVERIFY(job.ok());
        ProviderBatchRecord batch;
        batch.jobId = job->id;
        batch.llmBatchId = QStringLiteral("batch_abc");
        batch.providerStatus = QStringLiteral("validating");
        QVERIFY(ProviderBatchStore(m_db).save(batch).ok());

        PollController poll(m_db, *m_settings);
        QSignalSpy loaded(&poll, &PollController::recordsLoaded);
        poll.loadRecords(job->id);
        QCOMPARE(loaded.count(), 0); // answered later, from the feed thread
        QVERIFY(loaded.wait(10'000));
        const auto records = loaded.first().at(0).value<JobRecords>();
        QCOMPARE(records.jobId, job->id);
        QCOMPARE(records.events.size(), 1);
        QCOMPARE(records.events.first().actor, QStringLiteral("cli"));
        QCOMPARE(records.batches.size(), 1);
        QCOMPARE(records.batches.first().llmBatchId, QStringLiteral("batch_abc"));
    }
};

QTEST_MAIN(PollControllerTest)
#include "tst_pollcontroller.moc"
