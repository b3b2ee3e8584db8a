// The console's models without a database: in-place merges (spans, inserts, removals, never a
// reset), the filter proxy, the runs, events, results and provider batches models, all under
// QAbstractItemModelTester.
#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include "ConsoleFixtures.h"
#include "EventTableModel.h"
#include "JobFilterProxyModel.h"
#include "JobTableModel.h"
#include "ProviderBatchTableModel.h"
#include "ResultTableModel.h"
#include "RunTableModel.h"

using namespace batchdeck;

namespace {

constexpr qint64 kNow = 1'800'000'000'000;

// The rows a list of dataChanged signals covers, and the count of signals.
QSet<int> rowsOf(const QSignalSpy& spy)
{
    QSet<int> rows;
    for (const QList<QVariant>& args : spy) {
        const auto first = args.at(0).value<QModelIndex>();
        const auto last = args.at(1).value<QModelIndex>();
        for (int row = first.row(); row <= last.row(); ++row)
            rows.insert(row);
    }
    return rows;
}

// How many contiguous runs of rows `rows` holds: the dataChanged signals a merge should emit.
int expectedSpans(QList<int> rows)
{
    std::sort(rows.begin(), rows.end());
    int spans = 0;
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (i == 0 || rows.at(i) != rows.at(i - 1) + 1)
            ++spans;
    }
    return spans;
}

BatchResult result(int n, bool ok)
{
    BatchResult r;
    r.customId = QStringLiteral("item-%1").arg(n, 5, 10, QLatin1Char('0'));
    r.ok = ok;
    r.lineNumber = n;
    if (ok)
        r.content = QStringLiteral("answer %1\nsecond line").arg(n);
    else
        r.errorCode = QStringLiteral("server_error"), r.errorMessage = QStringLiteral("failed %1").arg(n);
    return r;
}

ResultPage page(qint64 jobId, ResultFilter::Kind kind, int offset, int count, qint64 total)
{
    ResultPage p;
    p.jobId = jobId;
    p.kind = kind;
    p.offset = offset;
    p.total = total;
    for (int i = 0; i < count; ++i)
        p.rows.append(result(offset + i + 1, (offset + i) % 3 != 0));
    return p;
}

ProviderBatchRecord batch(qint64 id, qint64 jobId, int shard, const QString& status, qint64 completed)
{
    ProviderBatchRecord b;
    b.id = id;
    b.jobId = jobId;
    b.shard = shard;
    b.llmBatchId = QStringLiteral("batch_%1").arg(id);
    b.inputFileId = QStringLiteral("file-in-%1").arg(id);
    b.providerStatus = status;
    b.requestTotal = 10;
    b.requestCompleted = completed;
    b.updatedAt = kNow + completed;
    return b;
}

RunOverview run(const QString& id, qint64 items, qint64 created, qint64 failed = 0)
{
    RunOverview overview;
    overview.summary = RunSummary{id, items, failed + 1, created};
    overview.counts.add(JobStatus::Completed, 1);
    if (failed > 0)
        overview.counts.add(JobStatus::SubmissionFailed, failed);
    return overview;
}

} // namespace

class JobTableModelTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aTickOf100ChangesIn10000JobsEmitsOnlyTheirSpans()
    {
        JobTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<JobSnapshot> jobs = test::syntheticJobs(10'000, kNow);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.merge(jobs);
        QCOMPARE(model.rowCount(), 10'000);
        QCOMPARE(inserted.count(), 1); // one insert for the whole first load

        // 100 jobs change: some in runs of neighbours, most scattered.
        QList<int> rows;
        for (int row = 500; row < 520; ++row)
            rows.append(row);
        auto* random = QRandomGenerator::global();
        while (rows.size() < 100) {
            const int row = int(random->bounded(10'000));
            if (!rows.contains(row))
                rows.append(row);
        }
        QList<JobSnapshot> delta;
        for (int row : std::as_const(rows)) {
            JobSnapshot job = jobs.at(row);
            job.requestCompleted += 1;
            job.updatedAt += 1000;
            delta.append(job);
        }
        // Unchanged jobs in the delta (the feed's overlap window) must not count.
        for (int row : {0, 9'999}) {
            if (!rows.contains(row))
                delta.append(jobs.at(row));
        }

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        inserted.clear();
        const JobTableModel::MergeStats stats = model.merge(delta);

        QCOMPARE(reset.count(), 0);
        QCOMPARE(layout.count(), 0);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(removed.count(), 0);
        QCOMPARE(stats.changed, 100);
        QCOMPARE(changed.count(), expectedSpans(rows));
        QCOMPARE(stats.spans, changed.count());
        QCOMPARE(rowsOf(changed), QSet<int>(rows.cbegin(), rows.cend()));
        for (const QList<QVariant>& args : std::as_const(changed)) {
            QCOMPARE(args.at(0).value<QModelIndex>().column(), 0);
            QCOMPARE(args.at(1).value<QModelIndex>().column(), JobTableModel::ColumnCount - 1);
            const auto roles = args.at(2).value<QList<int>>();
            QVERIFY(roles.contains(Qt::DisplayRole));
            QVERIFY(roles.contains(JobTableModel::ProgressRole));
        }
        QCOMPARE(model.jobAt(rows.first()).requestCompleted, jobs.at(rows.first()).requestCompleted + 1);

        // The same delta again changes nothing and says nothing.
        changed.clear();
        QCOMPARE(model.merge(delta).changed, 0);
        QCOMPARE(changed.count(), 0);
    }

    void neighboursChangeAsOneSpan()
    {
        JobTableModel model;
        QList<JobSnapshot> jobs = test::syntheticJobs(50, kNow);
        model.merge(jobs);
        QList<JobSnapshot> delta;
        for (int row : {10, 11, 12, 13, 30}) {
            JobSnapshot job = jobs.at(row);
            job.providerStatus = QStringLiteral("finalizing");
            delta.append(job);
        }
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QCOMPARE(model.merge(delta).spans, 2);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 10);
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 13);
        QCOMPARE(changed.at(1).at(0).value<QModelIndex>().row(), 30);
    }

    void mostRowsChangedIsOneRange()
    {
        JobTableModel model;
        QList<JobSnapshot> jobs = test::syntheticJobs(100, kNow);
        model.merge(jobs);
        QList<JobSnapshot> delta;
        for (int row = 0; row < 100; row += 2) {
            JobSnapshot job = jobs.at(row);
            job.attempt += 1;
            delta.append(job);
        }
        delta.append([&] {
            JobSnapshot job = jobs.at(99);
            job.attempt += 1;
            return job;
        }());
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QCOMPARE(model.merge(delta).spans, 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 0);
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 99);
    }

    void newJobsAreInsertedAndGoneJobsRemoved()
    {
        JobTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.merge(test::syntheticJobs(20, kNow));
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

        const QList<JobSnapshot> added = {test::syntheticJob(21, kNow), test::syntheticJob(22, kNow)};
        // Ids 3, 4, 5 (rows 2-4) are one block, 10 and 20 two more.
        const JobTableModel::MergeStats stats = model.merge(added, {3, 4, 5, 10, 20, 999});
        QCOMPARE(stats.inserted, 2);
        QCOMPARE(stats.removed, 5);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(removed.count(), 3);
        QCOMPARE(model.rowCount(), 17);
        for (qint64 gone : {3, 4, 5, 10, 20})
            QCOMPARE(model.rowOf(gone), -1);
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.rowOf(model.jobAt(row).id), row);
        QCOMPARE(model.jobAt(model.rowOf(22)).id, 22);
        QCOMPARE(model.index(model.rowOf(21), 0).data(JobTableModel::JobIdRole).toLongLong(), 21);
    }

    void dataShowsTheJob()
    {
        JobTableModel model;
        JobSnapshot job = test::syntheticJob(3, kNow); // submitted, half done
        job.requestTotal = 200;
        job.requestCompleted = 90;
        job.requestFailed = 10;
        model.merge({job});
        QCOMPARE(model.index(0, JobTableModel::RunColumn).data().toString(), job.runId);
        QCOMPARE(model.index(0, JobTableModel::StatusColumn).data(JobTableModel::StatusRole).toInt(),
                 int(JobStatus::Submitted));
        QCOMPARE(model.index(0, JobTableModel::ProgressColumn).data(JobTableModel::ProgressRole).toDouble(), 0.5);
        QCOMPARE(model.index(0, JobTableModel::ProgressColumn).data().toString(), QStringLiteral("100 / 200"));
        QCOMPARE(model.index(0, JobTableModel::ExpiresColumn).data(JobTableModel::ExpiresAtRole).toLongLong(),
                 job.submittedAt + 24LL * 3600 * 1000);
        QVERIFY(!model.index(0, JobTableModel::BatchIdColumn).data().toString().isEmpty());
    }

    void proxyFiltersByStatusRunAndWords()
    {
        JobTableModel model;
        model.merge(test::syntheticJobs(400, kNow));
        JobFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(proxy.rowCount(), 400);

        proxy.setStatusFilter(JobStatus::SubmissionFailed);
        QCOMPARE(proxy.rowCount(), 20); // every 20th job fails
        for (int row = 0; row < proxy.rowCount(); ++row)
            QCOMPARE(proxy.index(row, 0).data(JobTableModel::StatusRole).toInt(), int(JobStatus::SubmissionFailed));
        proxy.setStatusFilter(std::nullopt);

        proxy.setRunFilter(QStringLiteral("run-7"));
        QCOMPARE(proxy.rowCount(), 4);
        proxy.setRunFilter({});

        // Words are ANDed, case-insensitive, and wait for the typing pause.
        proxy.setSearchText(QStringLiteral("RUN-1 embed"));
        QCOMPARE(proxy.rowCount(), 400);
        QTRY_VERIFY(proxy.rowCount() < 400);
        for (int row = 0; row < proxy.rowCount(); ++row) {
            QVERIFY(proxy.index(row, JobTableModel::RunColumn).data().toString().contains(QStringLiteral("run-1")));
            QCOMPARE(proxy.index(row, JobTableModel::BatchTypeColumn).data().toString(), QStringLiteral("embed"));
        }
        proxy.setSearchText(QStringLiteral("batch_00000000002a"));
        proxy.flushSearch();
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data(JobTableModel::JobIdRole).toLongLong(), 42);
    }

    void proxySortsLiveAndKeepsTheSelection()
    {
        JobTableModel model;
        QList<JobSnapshot> jobs = test::syntheticJobs(1000, kNow);
        model.merge(jobs);
        JobFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTableView view;
        view.setModel(&proxy);
        view.setSortingEnabled(true);
        view.sortByColumn(JobTableModel::UpdatedColumn, Qt::AscendingOrder); // most recent first
        view.resize(800, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        const int selectedRow = 500;
        const qint64 selectedId = proxy.index(selectedRow, 0).data(JobTableModel::JobIdRole).toLongLong();
        view.selectRow(selectedRow);
        view.scrollTo(proxy.index(selectedRow, 0), QAbstractItemView::PositionAtCenter);
        const int scroll = view.verticalScrollBar()->value();

        // A job far from the selection becomes the most recent; the selected job changes in place.
        JobSnapshot moved = jobs.at(10);
        moved.updatedAt = kNow + 1000;
        JobSnapshot touched = *model.find(selectedId);
        touched.requestFailed += 1;
        model.merge({moved, touched});

        QCOMPARE(proxy.index(0, 0).data(JobTableModel::JobIdRole).toLongLong(), moved.id);
        const QModelIndexList selected = view.selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().data(JobTableModel::JobIdRole).toLongLong(), selectedId);
        QCOMPARE(view.selectionModel()->currentIndex().data(JobTableModel::JobIdRole).toLongLong(), selectedId);
        QCOMPARE(view.verticalScrollBar()->value(), scroll);
    }

    void runsMergeInPlace()
    {
        RunTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.merge(
            {run(QStringLiteral("a"), 10, 1), run(QStringLiteral("b"), 20, 2), run(QStringLiteral("c"), 30, 3)});
        QCOMPARE(model.rowCount(), 3);
        const int c = model.rowOf(QStringLiteral("c"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        // b is gone, c has two failures now, d is new; a comes again unchanged.
        model.merge(
            {run(QStringLiteral("a"), 10, 1), run(QStringLiteral("c"), 30, 3, 2), run(QStringLiteral("d"), 5, 4)},
            {QStringLiteral("b")});
        QCOMPARE(reset.count(), 0);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.rowOf(QStringLiteral("b")), -1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), c); // announced before b's removal
        const QVariantList counts = model.index(model.rowOf(QStringLiteral("c")), RunTableModel::StatusColumn)
                                        .data(RunTableModel::CountsRole)
                                        .toList();
        QCOMPARE(counts.at(int(JobStatus::SubmissionFailed)).toLongLong(), 2);
        QCOMPARE(model.find(QStringLiteral("d"))->summary.items, 5);
    }

    void eventsAppendForTheSameJob()
    {
        EventTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const JobEvent created{1, 7, kNow, {}, QStringLiteral("PENDING_SUBMISSION"), QStringLiteral("api"), {}};
        const JobEvent submitted{2,
                                 7,
                                 kNow + 1,
                                 QStringLiteral("PENDING_SUBMISSION"),
                                 QStringLiteral("SUBMITTED"),
                                 QStringLiteral("api"),
                                 {}};
        model.setEvents(7, {created});
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setEvents(7, {created, submitted});
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.index(1, EventTableModel::ChangeColumn).data().toString().contains(QStringLiteral("→")));
        model.setEvents(8, {});
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 0);
    }

    // Pages come as the view scrolls (fetchMore); a page for another job, filter or offset is ignored.
    void resultPagesAppendAsTheViewFetches()
    {
        ResultTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy wanted(&model, &ResultTableModel::morePagesWanted);
        model.reset(7, ResultFilter::Kind::All);
        QCOMPARE(wanted.count(), 1);
        QVERIFY(!model.canFetchMore({}));                                 // waiting for the first page
        model.appendPage(page(8, ResultFilter::Kind::All, 0, 10, 10));    // another job's
        model.appendPage(page(7, ResultFilter::Kind::Errors, 0, 10, 10)); // another filter's
        QCOMPARE(model.rowCount(), 0);
        model.appendPage(page(7, ResultFilter::Kind::All, 0, ResultTableModel::kPageSize, 1200));
        QCOMPARE(model.rowCount(), ResultTableModel::kPageSize);
        QCOMPARE(model.total(), 1200);
        // The tester itself may have fetched (as a view does); either way the next page is wanted once.
        if (model.canFetchMore({}))
            model.fetchMore({});
        QVERIFY(model.isWaiting());
        QVERIFY(!model.canFetchMore({}));
        QCOMPARE(wanted.count(), 2);
        QCOMPARE(wanted.last().at(2).toInt(), ResultTableModel::kPageSize);
        model.appendPage(page(7, ResultFilter::Kind::All, 0, 10, 1200)); // a repeated first page
        QCOMPARE(model.rowCount(), ResultTableModel::kPageSize);
        model.appendPage(page(7, ResultFilter::Kind::All, ResultTableModel::kPageSize, 700, 1200));
        QCOMPARE(model.rowCount(), 1200);
        QVERIFY(!model.canFetchMore({}));
        QCOMPARE(model.index(0, ResultTableModel::OutcomeColumn).data().toString(), QStringLiteral("server_error"));
        QCOMPARE(model.index(1, ResultTableModel::OutcomeColumn).data().toString(), QStringLiteral("ok"));
        QCOMPARE(model.index(1, ResultTableModel::ContentColumn).data().toString(),
                 QStringLiteral("answer 2 second line"));
        QCOMPARE(model.index(0, ResultTableModel::ContentColumn).data().toString(), QStringLiteral("failed 1"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(wanted.count(), 2);
    }

    void providerBatchesChangeInPlaceForTheSameJob()
    {
        ProviderBatchTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBatches(3, {batch(1, 3, 0, QStringLiteral("validating"), 0)});
        QCOMPARE(model.rowCount(), 1);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setBatches(
            3, {batch(1, 3, 0, QStringLiteral("in_progress"), 4), batch(2, 3, 1, QStringLiteral("validating"), 0)});
        QCOMPARE(reset.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, ProviderBatchTableModel::BatchIdColumn).data().toString(), QStringLiteral("batch_1"));
        QVERIFY(model.index(0, ProviderBatchTableModel::StatusColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("in_progress")));
        // The same batches again: nothing to announce.
        model.setBatches(
            3, {batch(1, 3, 0, QStringLiteral("in_progress"), 4), batch(2, 3, 1, QStringLiteral("validating"), 0)});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(inserted.count(), 1);
        model.setBatches(4, {batch(9, 4, 0, QStringLiteral("completed"), 10)});
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 1);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(JobTableModelTest)
#include "tst_jobtablemodel.moc"
