// The change feed on the backend named by BATCHDECK_TEST_BACKEND: full and delta reads, the overlap
// window, clocks that disagree, removed jobs, counts, and bursts past the point-read limit.
#include <QSet>
#include <QSqlQuery>
#include <QTest>

#include "TestDatabase.h"
#include "store/Database.h"
#include "store/JobFeed.h"
#include "store/JobStore.h"

using namespace batchdeck;

namespace {

constexpr qint64 kStart = 1'800'000'000'000;
constexpr qint64 kMinute = 60'000;

QSet<qint64> idsOf(const QList<JobSnapshot>& jobs)
{
    QSet<qint64> ids;
    for (const JobSnapshot& job : jobs)
        ids.insert(job.id);
    return ids;
}

} // namespace

class JobFeedTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_url;
    std::shared_ptr<Database> m_db;
    ManualClock m_writerClock{kStart};
    QList<qint64> m_ids;

    // Jobs created a minute apart, the last one at kStart + (count - 1) minutes.
    void createJobs(int count)
    {
        JobStore store(m_db, m_writerClock);
        for (int i = 0; i < count; ++i) {
            auto job = store.createOrGet(QStringLiteral("run-%1").arg(i / 2),
                                         i % 2 ? QStringLiteral("classify") : QStringLiteral("summarize"),
                                         QStringLiteral("test"));
            QVERIFY2(job.ok(), qPrintable(job.ok() ? QString() : job.error().message));
            m_ids.append(job->id);
            m_writerClock.advance(kMinute);
        }
        m_writerClock.advance(-kMinute);
    }

    // Another process's write, through its own Database (its own connections) and clock.
    void touch(qint64 id, const Clock& clock, qint64 completed)
    {
        auto other = Database::open(m_url);
        QVERIFY(other.ok());
        JobStore store(*other, clock);
        auto job = store.job(id);
        QVERIFY(job.ok());
        auto done = store.update(id, job->status, JobUpdate().set(JobField::RequestCompleted, completed));
        QVERIFY(done.ok() && *done);
    }

private Q_SLOTS:
    void init()
    {
        auto db = test::openFreshDatabase(m_dir, &m_url);
        QVERIFY2(db.ok(), qPrintable(test::messageOf(db)));
        m_db = *db;
        m_writerClock.set(kStart);
        m_ids.clear();
    }

    void cleanup() { m_db.reset(); }

    void emptyStoreGivesAnEmptyFullPage()
    {
        ManualClock clock(kStart);
        auto page = JobFeed(m_db, clock).read(0);
        QVERIFY(page.ok());
        QVERIFY(page->full);
        QVERIFY(page->jobs.isEmpty());
        QVERIFY(page->counts.has_value());
        QCOMPARE(page->counts->total(), 0);
    }

    void fullReadReturnsEveryJobAndCounts()
    {
        createJobs(6);
        JobStore store(m_db, m_writerClock);
        QVERIFY(store.transition({m_ids.at(0), JobStatus::PendingSubmission, JobStatus::Submitted, {}, {}, {}, {}})
                    ->applied);
        ManualClock clock(kStart + 10 * kMinute);
        auto page = JobFeed(m_db, clock).read(0);
        QVERIFY(page.ok());
        QVERIFY(page->full);
        QCOMPARE(idsOf(page->jobs), QSet<qint64>(m_ids.cbegin(), m_ids.cend()));
        QCOMPARE(page->counts->count(JobStatus::Submitted), 1);
        QCOMPARE(page->counts->count(JobStatus::PendingSubmission), 5);
        QCOMPARE(page->counts->total(), 6);
        auto byRun = JobFeed(m_db, clock).countsByRun();
        QVERIFY(byRun.ok());
        QCOMPARE(byRun->size(), 3);
        QCOMPARE(byRun->value(QStringLiteral("run-0")).count(JobStatus::Submitted), 1);
        QCOMPARE(byRun->value(QStringLiteral("run-0")).total(), 2);
        QCOMPARE(page->cursor, kStart + 5 * kMinute); // the newest update, not the reader's later clock

        auto counts = JobFeed(m_db, clock).countsByStatus();
        QVERIFY(counts.ok());
        QCOMPARE(*counts, *page->counts);
    }

    void deltaReturnsOnlyJobsChangedSinceTheCursor()
    {
        createJobs(8);
        ManualClock clock(kStart + 10 * kMinute);
        JobFeed feed(m_db, clock);
        auto full = feed.read(0);
        QVERIFY(full.ok());

        // Nothing changed: only the newest job, inside the overlap window, comes again; no counts.
        auto quiet = feed.read(full->cursor);
        QVERIFY(quiet.ok());
        QVERIFY(!quiet->full);
        QCOMPARE(idsOf(quiet->jobs), QSet<qint64>{m_ids.last()});
        QCOMPARE(quiet->cursor, full->cursor);

        ManualClock writer(kStart + 20 * kMinute);
        touch(m_ids.at(1), writer, 5);
        touch(m_ids.at(3), writer, 7);
        clock.set(kStart + 21 * kMinute);
        auto delta = feed.read(full->cursor);
        QVERIFY(delta.ok());
        QCOMPARE(idsOf(delta->jobs), (QSet<qint64>{m_ids.at(1), m_ids.at(3), m_ids.last()}));
        QCOMPARE(delta->cursor, kStart + 20 * kMinute);
        QVERIFY(delta->counts.has_value());
        for (const JobSnapshot& job : std::as_const(delta->jobs)) {
            if (job.id == m_ids.at(3))
                QCOMPARE(job.requestCompleted, 7);
        }

        // The next delta starts after those changes: old jobs stay out.
        auto next = feed.read(delta->cursor);
        QVERIFY(next.ok());
        QCOMPARE(idsOf(next->jobs), (QSet<qint64>{m_ids.at(1), m_ids.at(3)}));
    }

    void lateCommitInsideTheOverlapIsSeen()
    {
        createJobs(4);
        ManualClock clock(kStart + 10 * kMinute);
        JobFeed feed(m_db, clock);
        auto full = feed.read(0);
        QVERIFY(full.ok());
        ManualClock writer(kStart + 10 * kMinute);
        touch(m_ids.at(0), writer, 1);
        auto first = feed.read(full->cursor);
        QVERIFY(first.ok());
        QVERIFY(idsOf(first->jobs).contains(m_ids.at(0)));

        // A writer stamped its update 5 s before the cursor but committed after the last read.
        ManualClock slow(first->cursor - 5000);
        touch(m_ids.at(2), slow, 9);
        auto second = feed.read(first->cursor);
        QVERIFY(second.ok());
        QVERIFY(idsOf(second->jobs).contains(m_ids.at(2)));
    }

    void aWriterWithAFastClockCannotHideOthers()
    {
        createJobs(4);
        ManualClock clock(kStart + 10 * kMinute);
        JobFeed feed(m_db, clock);
        auto full = feed.read(0);
        QVERIFY(full.ok());

        ManualClock fast(kStart + 10 * kMinute + 60 * kMinute); // an hour ahead
        touch(m_ids.at(0), fast, 1);
        auto afterFast = feed.read(full->cursor);
        QVERIFY(afterFast.ok());
        QVERIFY(idsOf(afterFast->jobs).contains(m_ids.at(0)));
        QCOMPARE(afterFast->cursor, clock.nowMs()); // held back to the reader's clock

        ManualClock honest(kStart + 10 * kMinute + 2000);
        touch(m_ids.at(1), honest, 2);
        clock.advance(3000);
        auto afterHonest = feed.read(afterFast->cursor);
        QVERIFY(afterHonest.ok());
        QVERIFY(idsOf(afterHonest->jobs).contains(m_ids.at(1)));
    }

    void fullReadFindsRemovedJobs()
    {
        createJobs(3);
        ManualClock clock(kStart + 10 * kMinute);
        JobFeed feed(m_db, clock);
        auto before = feed.read(0);
        QVERIFY(before.ok());
        QCOMPARE(before->jobs.size(), 3);

        auto db = m_db->connection();
        QVERIFY(db.ok());
        QSqlQuery q(*db);
        QVERIFY(q.prepare(QStringLiteral("DELETE FROM job_events WHERE job_id = ?")));
        q.addBindValue(m_ids.at(1));
        QVERIFY(q.exec());
        QVERIFY(q.prepare(QStringLiteral("DELETE FROM pipeline_batch_jobs WHERE id = ?")));
        q.addBindValue(m_ids.at(1));
        QVERIFY(q.exec());

        auto after = feed.read(before->cursor, true);
        QVERIFY(after.ok());
        QVERIFY(after->full);
        QCOMPARE(idsOf(after->jobs), (QSet<qint64>{m_ids.at(0), m_ids.at(2)}));
        QCOMPARE(after->counts->total(), 2);
    }

    void aBurstPastThePointReadLimitIsReadInOnePass()
    {
        const int count = JobFeed::kPointReadLimit + 50;
        createJobs(count);
        ManualClock clock(kStart + qint64(count + 10) * kMinute);
        JobFeed feed(m_db, clock);
        auto full = feed.read(0);
        QVERIFY(full.ok());

        // Every job changes at once (a server finishing a run), except the first ten.
        auto other = Database::open(m_url);
        QVERIFY(other.ok());
        ManualClock writer(clock.nowMs());
        JobStore store(*other, writer);
        QSet<qint64> changed;
        for (int i = 10; i < count; ++i) {
            QVERIFY(
                *store.update(m_ids.at(i), JobStatus::PendingSubmission, JobUpdate().set(JobField::RequestTotal, i)));
            changed.insert(m_ids.at(i));
        }
        clock.advance(1000);
        auto delta = feed.read(full->cursor);
        QVERIFY(delta.ok());
        QVERIFY(!delta->full);
        QCOMPARE(idsOf(delta->jobs), changed);
        for (const JobSnapshot& job : std::as_const(delta->jobs))
            QCOMPARE(job.requestTotal, qint64(m_ids.indexOf(job.id)));
    }

    void newestGivesTheLastJobsAndAllCounts()
    {
        createJobs(7);
        ManualClock clock(kStart + 10 * kMinute);
        auto page = JobFeed(m_db, clock).newest(3);
        QVERIFY(page.ok());
        QVERIFY(!page->full);
        QCOMPARE(page->cursor, 0); // the next read must be a full one
        QCOMPARE(idsOf(page->jobs), (QSet<qint64>{m_ids.at(4), m_ids.at(5), m_ids.at(6)}));
        QCOMPARE(page->counts->total(), 7);
        auto all = JobFeed(m_db, clock).newest(50);
        QVERIFY(all.ok());
        QCOMPARE(all->jobs.size(), 7);
    }

    void sameJobStateComparesEveryField()
    {
        createJobs(1);
        auto job = JobStore(m_db).job(m_ids.first());
        QVERIFY(job.ok());
        JobSnapshot copy = *job;
        QVERIFY(sameJobState(*job, copy));
        copy.errorDetails.insert(QStringLiteral("message"), QStringLiteral("x"));
        QVERIFY(!sameJobState(*job, copy));
        copy = *job;
        copy.leaseOwner = QStringLiteral("host-a");
        QVERIFY(!sameJobState(*job, copy));
    }
};

QTEST_GUILESS_MAIN(JobFeedTest)
#include "tst_jobfeed.moc"
