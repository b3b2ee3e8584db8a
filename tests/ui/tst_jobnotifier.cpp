// JobNotifier's rules on results fed by hand (time comes from the results, so no waiting), then the
// console's banner over a real store on the backend named by BATCHDECK_TEST_BACKEND: a job another
// connection completes is announced after one tick, once.
#include <QMainWindow>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include "ConsoleFixtures.h"
#include "ConsoleNotifications.h"
#include "JobNotifier.h"
#include "JobTableModel.h"
#include "MainWindow.h"
#include "NotificationBanner.h"
#include "PollController.h"
#include "TestDatabase.h"
#include "store/Database.h"
#include "store/JobStore.h"

using namespace batchdeck;

namespace {

constexpr qint64 kT0 = 1'800'000'000'000;

JobSnapshot job(qint64 id, JobStatus status, qint64 updatedAt = kT0)
{
    JobSnapshot snapshot;
    snapshot.id = id;
    snapshot.runId = QStringLiteral("run-%1").arg(id);
    snapshot.batchType = QStringLiteral("summarize");
    snapshot.status = status;
    snapshot.updatedAt = updatedAt;
    snapshot.providerStatus = status == JobStatus::Submitted ? QStringLiteral("in_progress") : QString();
    snapshot.requestTotal = 10;
    return snapshot;
}

PollResult result(qint64 at, QList<JobSnapshot> jobs, bool partial = false)
{
    PollResult polled;
    polled.polledAt = at;
    polled.jobs = std::move(jobs);
    polled.partial = partial;
    polled.full = !partial;
    return polled;
}

QList<JobNotice> noticesOf(const QSignalSpy& spy, int index)
{
    return spy.at(index).at(0).value<QList<JobNotice>>();
}

} // namespace

class JobNotifierTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<QList<JobNotice>>("QList<batchdeck::JobNotice>"); }

    void theFirstReadIsTheStartingPointNotNews()
    {
        JobNotifier notifier;
        QSignalSpy raised(&notifier, &JobNotifier::noticesRaised);
        // A large store's first read comes in parts: none of them is news.
        notifier.onPolled(result(kT0, {job(1, JobStatus::Completed)}, true));
        notifier.onPolled(result(kT0, {job(2, JobStatus::SubmissionFailed)}, true));
        notifier.onPolled(result(kT0, {}));
        QCOMPARE(raised.count(), 0);
    }

    void aCompletionAndAFailureAreAnnouncedOncePerAttempt()
    {
        JobNotifier notifier;
        QSignalSpy raised(&notifier, &JobNotifier::noticesRaised);
        notifier.onPolled(result(kT0, {job(1, JobStatus::Processing), job(2, JobStatus::Submitted)}));

        JobSnapshot done = job(1, JobStatus::Completed, kT0 + 1000);
        done.resultsSaved = 9;
        done.resultErrors = 1;
        JobSnapshot failed = job(2, JobStatus::SubmissionFailed, kT0 + 1000);
        failed.errorDetails.insert(QStringLiteral("message"), QStringLiteral("batch expired"));
        notifier.onPolled(result(kT0 + 1000, {done, failed}));
        QCOMPARE(raised.count(), 1);
        const QList<JobNotice> first = noticesOf(raised, 0);
        QCOMPARE(first.size(), 2);
        QCOMPARE(first.at(0).kind, JobNotice::Kind::Completed);
        QCOMPARE(first.at(0).jobId, 1);
        QVERIFY(first.at(0).detail.contains(QStringLiteral("9")));
        QCOMPARE(first.at(1).kind, JobNotice::Kind::Failed);
        QCOMPARE(first.at(1).detail, QStringLiteral("batch expired"));

        // The same jobs again (a full read, another field changed): no news.
        done.resultsSaved = 10;
        notifier.onPolled(result(kT0 + 2000, {done, failed}));
        QCOMPARE(raised.count(), 1);

        // Retried, and failed again: a new attempt, so news again.
        JobSnapshot retried = job(2, JobStatus::PendingSubmission, kT0 + 3000);
        retried.attempt = 2;
        notifier.onPolled(result(kT0 + 3000, {retried}));
        retried.status = JobStatus::SubmissionFailed;
        notifier.onPolled(result(kT0 + 4000, {retried}));
        QCOMPARE(raised.count(), 2);
        QCOMPARE(noticesOf(raised, 1).size(), 1);
        QCOMPARE(noticesOf(raised, 1).first().attempt, 2);
    }

    void aNewJobThatArrivesFinishedIsNews()
    {
        JobNotifier notifier;
        QSignalSpy raised(&notifier, &JobNotifier::noticesRaised);
        notifier.onPolled(result(kT0, {}));
        notifier.onPolled(result(kT0 + 1000, {job(7, JobStatus::Completed, kT0 + 1000)}));
        QCOMPARE(raised.count(), 1);
    }

    void aSubmittedJobThatStopsMovingIsStuckOnce()
    {
        JobNotifier notifier;
        notifier.setStuckAfterMs(60'000);
        QSignalSpy raised(&notifier, &JobNotifier::noticesRaised);
        JobSnapshot submitted = job(3, JobStatus::Submitted, kT0);
        notifier.onPolled(result(kT0, {submitted}));
        notifier.onPolled(result(kT0 + 59'999, {}));
        QCOMPARE(raised.count(), 0);
        notifier.onPolled(result(kT0 + 60'000, {}));
        QCOMPARE(raised.count(), 1);
        QCOMPARE(noticesOf(raised, 0).first().kind, JobNotice::Kind::Stuck);
        QVERIFY(noticesOf(raised, 0).first().detail.contains(QStringLiteral("in_progress")));
        notifier.onPolled(result(kT0 + 120'000, {}));
        QCOMPARE(raised.count(), 1);

        // It moves again, then stops again: stuck again.
        submitted.requestCompleted = 4;
        notifier.onPolled(result(kT0 + 130'000, {submitted}));
        QCOMPARE(raised.count(), 1);
        notifier.onPolled(result(kT0 + 189'999, {}));
        QCOMPARE(raised.count(), 1);
        notifier.onPolled(result(kT0 + 190'000, {}));
        QCOMPARE(raised.count(), 2);
    }

    void aJobWhoseWorkerLeaseRanOutIsStuck()
    {
        JobNotifier notifier;
        QSignalSpy raised(&notifier, &JobNotifier::noticesRaised);
        JobSnapshot processing = job(4, JobStatus::Processing, kT0);
        processing.leaseOwner = QStringLiteral("host-a:123");
        processing.leaseUntil = kT0 + 30'000;
        notifier.onPolled(result(kT0, {processing}));
        QCOMPARE(raised.count(), 0);
        notifier.onPolled(result(kT0 + 30'001, {}));
        QCOMPARE(raised.count(), 1);
        QVERIFY(noticesOf(raised, 0).first().detail.contains(QStringLiteral("host-a:123")));
        notifier.onPolled(result(kT0 + 90'000, {}));
        QCOMPARE(raised.count(), 1);
    }

    void severalNoticesMakeOneMessage()
    {
        QList<JobNotice> notices;
        for (int i = 0; i < 7; ++i) {
            JobNotice notice;
            notice.kind = i == 0 ? JobNotice::Kind::Failed : JobNotice::Kind::Completed;
            notice.runId = QStringLiteral("run-%1").arg(i);
            notice.batchType = QStringLiteral("embed");
            notices << notice;
        }
        const auto [title, body] = ConsoleNotifications::messageFor(notices);
        QVERIFY(title.contains(QStringLiteral("6 completed")));
        QVERIFY(title.contains(QStringLiteral("1 failed")));
        QCOMPARE(body.count(u'\n'), 5); // five jobs and "and 2 more"
        QVERIFY(body.contains(QStringLiteral("2 more")));
    }

    // The window over a real store; another connection to the same database completes a job.
    void theBannerAnnouncesACompletionByAnotherConnectionOnce()
    {
        QTemporaryDir dir;
        QString url;
        auto db = test::openFreshDatabase(dir, &url);
        QVERIFY2(db.ok(), qPrintable(test::messageOf(db)));
        ManualClock clock(QDateTime::currentMSecsSinceEpoch() - 60'000);
        test::seedRealisticStore(*db, clock);

        QSettings settings(dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
        settings.setValue(QStringLiteral("poll/intervalSeconds"), 0); // the test ticks by hand
        PollController poll(*db, settings);
        MainWindow window(ConsoleContext{*db, (*db)->url().redacted(), false}, poll, settings);
        ConsoleNotifications notifications(window, poll, ConsoleNotifications::Presenter::Banner);
        notifications.notifier()->setStuckAfterMs(24 * 3600'000);
        QVERIFY(!notifications.usesTray());
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy polled(&poll, &PollController::polled);
        QSignalSpy raised(notifications.notifier(), &JobNotifier::noticesRaised);
        poll.start();
        QVERIFY(polled.wait(10'000));
        QTRY_COMPARE(window.jobModel()->rowCount(), 14);
        // Whatever the seeded store had to say at the start (a stuck job) is not this test's news.
        notifications.banner()->hide();
        raised.clear();

        // Another connection, as a headless server's, completes a job the console shows as processing.
        auto other = Database::open(url);
        QVERIFY(other.ok());
        JobStore store(*other);
        JobFilter processing;
        processing.status = JobStatus::Processing;
        auto jobs = store.list(processing);
        QVERIFY(jobs.ok() && !jobs->isEmpty());
        const JobSnapshot target = jobs->first();
        auto done = store.transition({target.id,
                                      JobStatus::Processing,
                                      JobStatus::Completed,
                                      QStringLiteral("api"),
                                      QStringLiteral("done"),
                                      {},
                                      {}});
        QVERIFY(done.ok() && done->applied);

        polled.clear();
        poll.tick();
        QVERIFY(polled.wait(10'000));
        QTRY_COMPARE(raised.count(), 1);
        const QList<JobNotice> notices = noticesOf(raised, 0);
        QCOMPARE(notices.size(), 1);
        QCOMPARE(notices.first().jobId, target.id);
        QCOMPARE(notices.first().kind, JobNotice::Kind::Completed);
        QVERIFY(notifications.banner()->isVisible());
        QVERIFY(notifications.banner()->text().contains(target.runId));
        QVERIFY(notifications.banner()->text().contains(QStringLiteral("completed")));

        // The operator closes it; the next ticks (a full read too) say nothing more.
        QTest::mouseClick(notifications.banner()->closeButton(), Qt::LeftButton);
        QVERIFY(!notifications.banner()->isVisible());
        polled.clear();
        poll.tick();
        QVERIFY(polled.wait(10'000));
        polled.clear();
        poll.refresh();
        QVERIFY(polled.wait(10'000));
        QCOMPARE(raised.count(), 1);
        QVERIFY(!notifications.banner()->isVisible());
    }
};

QTEST_MAIN(JobNotifierTest)
#include "tst_jobnotifier.moc"
