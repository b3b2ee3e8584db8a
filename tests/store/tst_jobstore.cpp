// The job store on the backend named by BATCHDECK_TEST_BACKEND: transitions, events, races, leases.
#include <atomic>
#include <functional>

#include <QSet>
#include <QTest>
#include <QThread>

#include "TestDatabase.h"
#include "store/Database.h"
#include "store/JobStore.h"

using namespace batchdeck;

namespace {

// Runs `work(i)` on `count` threads released at the same moment; each thread uses its own connection.
void raceOnThreads(int count, const std::function<void(int)>& work)
{
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    QList<QThread*> threads;
    for (int i = 0; i < count; ++i) {
        threads.append(QThread::create([&, i] {
            ++ready;
            while (!go.load())
                QThread::yieldCurrentThread();
            work(i);
        }));
        threads.last()->start();
    }
    while (ready.load() < count)
        QThread::yieldCurrentThread();
    go = true;
    for (QThread* thread : std::as_const(threads)) {
        thread->wait();
        delete thread;
    }
}

} // namespace

class JobStoreTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::shared_ptr<Database> m_db;

    JobSnapshot newJob(JobStore& store, const QString& run = QStringLiteral("run-1"))
    {
        auto job = store.createOrGet(run, QStringLiteral("summarize"), QStringLiteral("test"));
        if (!job)
            qFatal("createOrGet failed: %s", qPrintable(job.error().message));
        return *job;
    }

    // Puts a fresh job into `status` by the shortest legal path.
    JobSnapshot jobIn(JobStore& store, JobStatus status, const QString& run)
    {
        JobSnapshot job = newJob(store, run);
        QList<JobStatus> path;
        using S = JobStatus;
        switch (status) {
        case S::PendingSubmission:
            break;
        case S::Submitted:
            path = {S::Submitted};
            break;
        case S::SubmissionFailed:
            path = {S::SubmissionFailed};
            break;
        case S::PendingProcessing:
            path = {S::Submitted, S::PendingProcessing};
            break;
        case S::Processing:
            path = {S::Submitted, S::PendingProcessing, S::Processing};
            break;
        case S::Completed:
            path = {S::Submitted, S::PendingProcessing, S::Processing, S::Completed};
            break;
        }
        JobStatus from = S::PendingSubmission;
        for (JobStatus to : path) {
            auto outcome =
                store.transition({job.id, from, to, QStringLiteral("test"), QStringLiteral("setup"), {}, {}});
            if (!outcome || !outcome->applied)
                qFatal("setup transition failed");
            from = to;
        }
        return *store.job(job.id);
    }

private Q_SLOTS:
    void init()
    {
        auto db = test::openFreshDatabase(m_dir);
        QVERIFY2(db.ok(), qPrintable(test::messageOf(db)));
        m_db = *db;
    }

    void cleanup() { m_db.reset(); }

    void createOrGetCreatesOnceWithAnEvent()
    {
        JobStore store(m_db);
        const JobSnapshot first = newJob(store);
        QCOMPARE(first.status, JobStatus::PendingSubmission);
        QCOMPARE(first.attempt, 1);
        QVERIFY(first.createdAt > 0);
        const JobSnapshot again = newJob(store);
        QCOMPARE(again.id, first.id);
        auto events = store.events(first.id);
        QVERIFY(events.ok());
        QCOMPARE(events->size(), 1);
        QCOMPARE(events->at(0).toStatus, QStringLiteral("PENDING_SUBMISSION"));
        QVERIFY(events->at(0).fromStatus.isEmpty());
    }

    void createOrGetRefusesBadNames()
    {
        JobStore store(m_db);
        QCOMPARE(store.createOrGet(QStringLiteral("a/b"), QStringLiteral("summarize"), {}).error().kind,
                 ErrorKind::InvalidInput);
        QCOMPARE(store.createOrGet(QStringLiteral("../x"), QStringLiteral("summarize"), {}).error().kind,
                 ErrorKind::InvalidInput);
        QCOMPARE(store.createOrGet(QStringLiteral("run"), QStringLiteral("Bad Type"), {}).error().kind,
                 ErrorKind::InvalidInput);
        QVERIFY(
            store.createOrGet(QStringLiteral("manual__2026-12-03T10:15:30.123456+00:00"), QStringLiteral("embed"), {})
                .ok());
    }

    void everyLegalTransitionIsAppliedWithAnEvent_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<int>("to");
        for (const JobTransition& t : allowedTransitions()) {
            QTest::newRow(qPrintable(statusName(t.from) + QStringLiteral("->") + statusName(t.to)))
                << int(t.from) << int(t.to);
        }
    }

    void everyLegalTransitionIsAppliedWithAnEvent()
    {
        QFETCH(int, from);
        QFETCH(int, to);
        JobStore store(m_db);
        const JobSnapshot job = jobIn(store, JobStatus(from), QStringLiteral("legal"));
        auto outcome = store.transition(
            {job.id, JobStatus(from), JobStatus(to), QStringLiteral("alice"), QStringLiteral("because"), {}, {}});
        QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().message));
        QVERIFY(outcome->applied);
        QCOMPARE(outcome->current, JobStatus(to));
        QCOMPARE(store.job(job.id)->status, JobStatus(to));
        const auto events = *store.events(job.id);
        QCOMPARE(events.last().fromStatus, statusName(JobStatus(from)));
        QCOMPARE(events.last().toStatus, statusName(JobStatus(to)));
        QCOMPARE(events.last().actor, QStringLiteral("alice"));
        QCOMPARE(events.last().message, QStringLiteral("because"));
    }

    void everyIllegalTransitionIsRefusedNamingBothStates_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<int>("to");
        for (JobStatus from : allJobStatuses()) {
            for (JobStatus to : allJobStatuses()) {
                if (!isTransitionAllowed(from, to))
                    QTest::newRow(qPrintable(statusName(from) + QStringLiteral("->") + statusName(to)))
                        << int(from) << int(to);
            }
        }
    }

    void everyIllegalTransitionIsRefusedNamingBothStates()
    {
        QFETCH(int, from);
        QFETCH(int, to);
        JobStore store(m_db);
        const JobSnapshot job = jobIn(store, JobStatus(from), QStringLiteral("illegal"));
        const qsizetype eventsBefore = store.events(job.id)->size();
        auto outcome = store.transition({job.id, JobStatus(from), JobStatus(to), QStringLiteral("x"), {}, {}, {}});
        QVERIFY(!outcome.ok());
        QCOMPARE(outcome.error().kind, ErrorKind::Conflict);
        QVERIFY(outcome.error().message.contains(statusName(JobStatus(from))));
        QVERIFY(outcome.error().message.contains(statusName(JobStatus(to))));
        QCOMPARE(store.job(job.id)->status, JobStatus(from));
        QCOMPARE(store.events(job.id)->size(), eventsBefore);
    }

    void aStaleFromIsALostRaceNotAnError()
    {
        JobStore store(m_db);
        const JobSnapshot job = jobIn(store, JobStatus::Submitted, QStringLiteral("stale"));
        auto outcome = store.transition(
            {job.id, JobStatus::PendingSubmission, JobStatus::Submitted, QStringLiteral("late"), {}, {}, {}});
        QVERIFY(outcome.ok());
        QVERIFY(!outcome->applied);
        QCOMPARE(outcome->current, JobStatus::Submitted);
        QCOMPARE(store.events(job.id)->size(), 2);
    }

    void transitionWritesItsFieldChanges()
    {
        JobStore store(m_db);
        const JobSnapshot job = newJob(store);
        JobUpdate changes;
        changes.set(JobField::LlmBatchId, QStringLiteral("batch_abc"))
            .set(JobField::InputFileId, QStringLiteral("file-xyz"))
            .set(JobField::RequestTotal, 42)
            .set(JobField::SubmittedAt, 1234);
        auto outcome = store.transition(
            {job.id, JobStatus::PendingSubmission, JobStatus::Submitted, QStringLiteral("api"), {}, changes, {}});
        QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().message));
        QVERIFY(outcome->applied);
        const JobSnapshot after = *store.job(job.id);
        QCOMPARE(after.llmBatchId, QStringLiteral("batch_abc"));
        QCOMPARE(after.inputFileId, QStringLiteral("file-xyz"));
        QCOMPARE(after.requestTotal, 42);
        QCOMPARE(after.submittedAt, 1234);
        QVERIFY(after.updatedAt >= job.updatedAt);
    }

    void updateIsACompareAndSetOnStatus()
    {
        JobStore store(m_db);
        const JobSnapshot job = newJob(store);
        JobUpdate changes;
        changes.set(JobField::ErrorDetails, QStringLiteral(R"({"code":"rate_limited","message":"later"})"));
        QCOMPARE(*store.update(job.id, JobStatus::Submitted, changes), false);
        QCOMPARE(*store.update(job.id, JobStatus::PendingSubmission, changes), true);
        QCOMPARE(store.job(job.id)->errorDetails.value(QStringLiteral("code")).toString(),
                 QStringLiteral("rate_limited"));
        QCOMPARE(*store.update(job.id, JobStatus::PendingSubmission, JobUpdate().clear(JobField::ErrorDetails)), true);
        QVERIFY(store.job(job.id)->errorDetails.isEmpty());
    }

    void concurrentCreateOrGetMakesOneJob()
    {
        JobStore store(m_db);
        constexpr int kThreads = 8;
        QList<qint64> ids(kThreads);
        std::atomic<int> failures{0};
        raceOnThreads(kThreads, [&](int i) {
            auto job = store.createOrGet(QStringLiteral("race-run"), QStringLiteral("summarize"), QStringLiteral("t"));
            if (job)
                ids[i] = job->id;
            else
                ++failures;
        });
        QCOMPARE(failures.load(), 0);
        QCOMPARE(QSet<qint64>(ids.cbegin(), ids.cend()).size(), 1);
        QCOMPARE(store.events(ids.first())->size(), 1);
        QCOMPARE(store.list({QStringLiteral("race-run"), {}, {}, 0, 0})->size(), 1);
    }

    void concurrentTransitionsHaveExactlyOneWinner()
    {
        JobStore store(m_db);
        for (int round = 0; round < 5; ++round) {
            const JobSnapshot job = newJob(store, QStringLiteral("cas-%1").arg(round));
            constexpr int kThreads = 8;
            std::atomic<int> winners{0};
            std::atomic<int> losers{0};
            std::atomic<int> failures{0};
            raceOnThreads(kThreads, [&](int i) {
                auto outcome = store.transition({job.id,
                                                 JobStatus::PendingSubmission,
                                                 JobStatus::Submitted,
                                                 QStringLiteral("worker-%1").arg(i),
                                                 {},
                                                 {},
                                                 {}});
                if (!outcome) {
                    qWarning() << outcome.error().message;
                    ++failures;
                } else if (outcome->applied)
                    ++winners;
                else
                    ++losers;
            });
            QCOMPARE(failures.load(), 0);
            QCOMPARE(winners.load(), 1);
            QCOMPARE(losers.load(), kThreads - 1);
            QCOMPARE(store.events(job.id)->size(), 2);
        }
    }

    void leasesAreExclusiveUntilTheyExpire()
    {
        ManualClock clock;
        JobStore store(m_db, clock);
        const JobSnapshot job = newJob(store);
        QCOMPARE(*store.takeLease(job.id, QStringLiteral("a"), 1000), true);
        QCOMPARE(*store.takeLease(job.id, QStringLiteral("b"), 1000), false);
        QCOMPARE(*store.takeLease(job.id, QStringLiteral("a"), 1000), true); // re-entrant for its owner
        QCOMPARE(*store.renewLease(job.id, QStringLiteral("b"), 1000), false);
        QCOMPARE(*store.renewLease(job.id, QStringLiteral("a"), 1000), true);
        QCOMPARE(*store.releaseLease(job.id, QStringLiteral("b")), false);
        clock.advance(999);
        QCOMPARE(*store.takeLease(job.id, QStringLiteral("b"), 1000), false);
        clock.advance(2);
        // Expired: another worker reclaims it, and the old owner can no longer renew.
        QCOMPARE(*store.takeLease(job.id, QStringLiteral("b"), 1000), true);
        QCOMPARE(*store.renewLease(job.id, QStringLiteral("a"), 1000), false);
        QCOMPARE(store.job(job.id)->leaseOwner, QStringLiteral("b"));
        QCOMPARE(*store.releaseLease(job.id, QStringLiteral("b")), true);
        QVERIFY(store.job(job.id)->leaseOwner.isEmpty());
        QCOMPARE(*store.takeLease(job.id, QStringLiteral("c"), 1000), true);
    }

    void providerChecksAreRationedAcrossCallers()
    {
        ManualClock clock;
        JobStore store(m_db, clock);
        const JobSnapshot job = newJob(store);
        QCOMPARE(*store.claimProviderCheck(job.id, 5000), true);
        QCOMPARE(*store.claimProviderCheck(job.id, 5000), false);
        clock.advance(4999);
        QCOMPARE(*store.claimProviderCheck(job.id, 5000), false);
        clock.advance(1);
        QCOMPARE(*store.claimProviderCheck(job.id, 5000), true);
        QCOMPARE(store.job(job.id)->providerCheckedAt, clock.nowMs());
    }

    void concurrentLeaseTakersHaveExactlyOneWinner()
    {
        JobStore store(m_db);
        const JobSnapshot job = newJob(store);
        std::atomic<int> winners{0};
        std::atomic<int> failures{0};
        raceOnThreads(8, [&](int i) {
            auto taken = store.takeLease(job.id, QStringLiteral("w%1").arg(i), 60'000);
            if (!taken)
                ++failures;
            else if (*taken)
                ++winners;
        });
        QCOMPARE(failures.load(), 0);
        QCOMPARE(winners.load(), 1);
    }

    void transitionCanRequireTheLease()
    {
        JobStore store(m_db);
        const JobSnapshot job = jobIn(store, JobStatus::PendingProcessing, QStringLiteral("leased"));
        QVERIFY(*store.takeLease(job.id, QStringLiteral("owner"), 60'000));
        TransitionRequest request{job.id,
                                  JobStatus::PendingProcessing,
                                  JobStatus::Processing,
                                  QStringLiteral("t"),
                                  {},
                                  {},
                                  QStringLiteral("intruder")};
        QCOMPARE(store.transition(request)->applied, false);
        request.leaseOwner = QStringLiteral("owner");
        QCOMPARE(store.transition(request)->applied, true);
    }

    void listFilters()
    {
        JobStore store(m_db);
        jobIn(store, JobStatus::Submitted, QStringLiteral("r1"));
        jobIn(store, JobStatus::Completed, QStringLiteral("r2"));
        QVERIFY(store.createOrGet(QStringLiteral("r1"), QStringLiteral("embed"), {}).ok());
        QCOMPARE(store.list()->size(), 3);
        QCOMPARE(store.list({QStringLiteral("r1"), {}, {}, 0, 0})->size(), 2);
        QCOMPARE(store.list({{}, QStringLiteral("embed"), {}, 0, 0})->size(), 1);
        QCOMPARE(store.list({{}, {}, JobStatus::Completed, 0, 0})->size(), 1);
        QCOMPARE(store.list({{}, {}, {}, 2, 2})->size(), 1);
    }
};

QTEST_GUILESS_MAIN(JobStoreTest)
#include "tst_jobstore.moc"
