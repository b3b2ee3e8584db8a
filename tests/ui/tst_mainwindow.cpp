// The console window over a real store on the backend named by BATCHDECK_TEST_BACKEND, driven
// through its widgets: status buttons, the search box, the runs table, the details, and a tick
// that changes the selected job under the operator's eyes.
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLineEdit>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolButton>

#include "ConsoleFixtures.h"
#include "EventTableModel.h"
#include "JobDetailsPanel.h"
#include "JobErrorsTab.h"
#include "JobEventsTab.h"
#include "JobFilterProxyModel.h"
#include "JobOverviewTab.h"
#include "JobTableModel.h"
#include "MainWindow.h"
#include "PollController.h"
#include "ProviderBatchTableModel.h"
#include "ProviderBatchesTab.h"
#include "RunTableModel.h"
#include "StatusFilterBar.h"
#include "TestDatabase.h"
#include "store/Database.h"
#include "store/JobStore.h"

using namespace batchdeck;

class MainWindowTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_url;
    std::shared_ptr<Database> m_db;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<PollController> m_poll;
    std::unique_ptr<MainWindow> m_window;

    QTableView* jobs() const { return m_window->jobView(); }
    int visibleJobs() const { return m_window->jobProxy()->rowCount(); }

    // The proxy row of a job, found by run and batch type.
    int rowOf(const QString& runPrefix, const QString& batchType) const
    {
        const QAbstractItemModel* model = jobs()->model();
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row, JobTableModel::RunColumn).data().toString().startsWith(runPrefix) &&
                model->index(row, JobTableModel::BatchTypeColumn).data().toString() == batchType)
                return row;
        }
        return -1;
    }

    void clickRow(QTableView* view, int row)
    {
        const QRect rect = view->visualRect(view->model()->index(row, 0));
        QVERIFY(rect.isValid());
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    }

    void tickAndWait()
    {
        QSignalSpy polled(m_poll.get(), &PollController::polled);
        m_poll->tick();
        QVERIFY(polled.wait(10'000));
    }

private Q_SLOTS:
    void init()
    {
        auto db = test::openFreshDatabase(m_dir, &m_url);
        QVERIFY2(db.ok(), qPrintable(test::messageOf(db)));
        m_db = *db;
        ManualClock clock(QDateTime::currentMSecsSinceEpoch() - 60'000);
        test::seedRealisticStore(m_db, clock);

        m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
        m_settings->clear();
        m_settings->setValue(QStringLiteral("poll/intervalSeconds"), 0); // the test ticks by hand
        m_poll = std::make_unique<PollController>(m_db, *m_settings);
        m_window =
            std::make_unique<MainWindow>(ConsoleContext{m_db, m_db->url().redacted(), false}, *m_poll, *m_settings);
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_poll->start();
        QTRY_COMPARE(m_window->jobModel()->rowCount(), 14);
        QTRY_COMPARE(m_window->runModel()->rowCount(), 4);
    }

    void cleanup()
    {
        m_window.reset();
        m_poll.reset();
        m_settings.reset();
        m_db.reset();
    }

    void theWindowShowsRunsJobsAndCounts()
    {
        QVERIFY(m_window->windowTitle().contains(m_db->url().redacted()));
        QCOMPARE(visibleJobs(), 14);
        QCOMPARE(m_window->statusFilter()->button(std::nullopt)->text(), QStringLiteral("All 14"));
        QCOMPARE(m_window->statusFilter()->button(JobStatus::SubmissionFailed)->text(), QStringLiteral("Failed 2"));
        QCOMPARE(m_window->statusFilter()->button(JobStatus::Completed)->text(), QStringLiteral("Completed 5"));
        // Most recently changed first.
        const qint64 top = jobs()->model()->index(0, 0).data(JobTableModel::UpdatedAtRole).toLongLong();
        const qint64 next = jobs()->model()->index(1, 0).data(JobTableModel::UpdatedAtRole).toLongLong();
        QVERIFY(top >= next);
    }

    void clickingAStatusButtonFilters()
    {
        QTest::mouseClick(m_window->statusFilter()->button(JobStatus::SubmissionFailed), Qt::LeftButton);
        QCOMPARE(visibleJobs(), 2);
        for (int row = 0; row < visibleJobs(); ++row)
            QCOMPARE(jobs()->model()->index(row, 0).data(JobTableModel::StatusRole).toInt(),
                     int(JobStatus::SubmissionFailed));
        QTest::mouseClick(m_window->statusFilter()->button(JobStatus::Submitted), Qt::LeftButton);
        QCOMPARE(visibleJobs(), 3);
        QTest::mouseClick(m_window->statusFilter()->button(std::nullopt), Qt::LeftButton);
        QCOMPARE(visibleJobs(), 14);
    }

    void typingInTheSearchBoxFilters()
    {
        QTest::keyClicks(m_window->searchBox(), QStringLiteral("classify"));
        QTRY_COMPARE(visibleJobs(), 4);
        for (int row = 0; row < visibleJobs(); ++row)
            QCOMPARE(jobs()->model()->index(row, JobTableModel::BatchTypeColumn).data().toString(),
                     QStringLiteral("classify"));
        QTest::keyClicks(m_window->searchBox(), QStringLiteral(" manual"));
        QTRY_COMPARE(visibleJobs(), 1);
        QVERIFY(m_window->emptyStateText().isEmpty());
        QTest::keyClicks(m_window->searchBox(), QStringLiteral(" nothing-like-this"));
        QTRY_COMPARE(visibleJobs(), 0);
        QVERIFY(m_window->emptyStateText().startsWith(u"No job matches"));
        m_window->searchBox()->clear();
        QTRY_COMPARE(visibleJobs(), 14);
    }

    void selectingARunShowsItsJobsAndCounts()
    {
        QTableView* runs = m_window->runView();
        const int row = [runs] {
            for (int r = 0; r < runs->model()->rowCount(); ++r) {
                if (runs->model()->index(r, 0).data().toString().startsWith(u"manual__"))
                    return r;
            }
            return -1;
        }();
        QVERIFY(row >= 0);
        clickRow(runs, row);
        QCOMPARE(visibleJobs(), 2);
        QVERIFY(m_window->runFilterButton()->isVisible());
        QCOMPARE(m_window->statusFilter()->button(std::nullopt)->text(), QStringLiteral("All 2"));
        QCOMPARE(m_window->statusFilter()->button(JobStatus::Submitted)->text(), QStringLiteral("Submitted 1"));

        QTest::mouseClick(m_window->runFilterButton(), Qt::LeftButton);
        QCOMPARE(visibleJobs(), 14);
        QVERIFY(!m_window->runFilterButton()->isVisible());
        QCOMPARE(m_window->statusFilter()->button(std::nullopt)->text(), QStringLiteral("All 14"));
    }

    void selectionScrollAndDetailsSurviveATick()
    {
        // A small view, so that scrolling matters.
        m_window->resize(1000, 520);
        QTest::qWait(50);
        const int target = [this] {
            // The submitted summarize job of today: still running at the provider.
            for (int r = 0; r < visibleJobs(); ++r) {
                const QModelIndex index = jobs()->model()->index(r, 0);
                if (index.data(JobTableModel::StatusRole).toInt() == int(JobStatus::Submitted) &&
                    jobs()->model()->index(r, JobTableModel::BatchTypeColumn).data().toString() == u"summarize" &&
                    index.data().toString().startsWith(u"scheduled__"))
                    return r;
            }
            return -1;
        }();
        QVERIFY(target >= 0);
        jobs()->selectionModel()->setCurrentIndex(jobs()->model()->index(target, 0),
                                                  QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        const qint64 id = *m_window->currentJobId();
        jobs()->scrollToBottom();
        const int scroll = jobs()->verticalScrollBar()->value();
        QVERIFY(scroll > 0);
        QCOMPARE(m_window->details()->jobId(), id);
        QVERIFY(!m_window->details()->overview()->text(JobOverviewTab::Field::BatchId).isEmpty());
        QTRY_VERIFY(m_window->details()->events()->model()->rowCount() >= 2);
        const int eventsBefore = m_window->details()->events()->model()->rowCount();
        const QString requestsBefore = m_window->details()->overview()->text(JobOverviewTab::Field::Requests);

        // A headless server on the same database records progress and then finishes the batch.
        auto other = Database::open(m_url);
        QVERIFY(other.ok());
        JobStore server(*other);
        QVERIFY(*server.update(id, JobStatus::Submitted, JobUpdate().set(JobField::RequestCompleted, 1399)));
        auto finished = server.transition({id,
                                           JobStatus::Submitted,
                                           JobStatus::PendingProcessing,
                                           QStringLiteral("poller"),
                                           QStringLiteral("provider completed"),
                                           JobUpdate().set(JobField::ProviderStatus, QStringLiteral("completed")),
                                           {}});
        QVERIFY(finished.ok() && finished->applied);
        tickAndWait();

        QCOMPARE(*m_window->currentJobId(), id);
        const QModelIndexList selected = jobs()->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().data(JobTableModel::JobIdRole).toLongLong(), id);
        QCOMPARE(jobs()->verticalScrollBar()->value(), scroll);
        QVERIFY(m_window->details()->overview()->text(JobOverviewTab::Field::Requests) != requestsBefore);
        QVERIFY(m_window->details()->overview()->text(JobOverviewTab::Field::Status).contains(u"PENDING_PROCESSING"));
        QTRY_COMPARE(m_window->details()->events()->model()->rowCount(), eventsBefore + 1);
        QCOMPARE(m_window->statusFilter()->button(JobStatus::Submitted)->text(), QStringLiteral("Submitted 2"));
    }

    void detailsShowErrorsAndCopyIds()
    {
        QTest::mouseClick(m_window->statusFilter()->button(JobStatus::SubmissionFailed), Qt::LeftButton);
        const int row = rowOf(QStringLiteral("scheduled__"), QStringLiteral("classify"));
        QVERIFY(row >= 0);
        clickRow(jobs(), row);
        JobDetailsPanel* details = m_window->details();
        QVERIFY(details->jobId().has_value());
        QVERIFY(details->errors()->summary().startsWith(u"invalid_request_file"));
        QVERIFY(details->errors()->details().contains(u"\"line\": 17"));
        QTRY_COMPARE(details->batches()->model()->rowCount(), 1);
        QVERIFY(details->batches()->rawText().contains(u"\"status\": \"failed\""));
        QCOMPARE(details->tabs()->tabText(JobDetailsPanel::BatchesPage), QStringLiteral("Provider batches (1)"));

        const QString batchId = details->overview()->text(JobOverviewTab::Field::BatchId);
        QVERIFY(batchId.startsWith(u"batch_"));
        QTest::mouseClick(details->overview()->copyButton(JobOverviewTab::Field::BatchId), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), batchId);
        QVERIFY(!details->overview()->copyButton(JobOverviewTab::Field::OutputFile)->isVisible());
    }

    void theIntervalBoxDrivesTheController()
    {
        QComboBox* box = m_window->intervalBox();
        QCOMPARE(box->currentData().toInt(), 0);
        box->setFocus();
        QTest::keyClick(box, Qt::Key_Down); // a user's step: Off -> 2 s
        QCOMPARE(m_poll->intervalSeconds(), 2);
        QCOMPARE(m_settings->value(QStringLiteral("poll/intervalSeconds")).toInt(), 2);
    }
};

QTEST_MAIN(MainWindowTest)
#include "tst_mainwindow.moc"
