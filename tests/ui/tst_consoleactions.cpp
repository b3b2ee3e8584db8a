// The console's actions through its real widgets, over the real engine: the AppEngine on the
// console's engine thread with the in-process simulator (demo mode over a test database), on the
// backend named by BATCHDECK_TEST_BACKEND. Submit through the dialog, the ready-file check, retry and
// cancel with their reasons, process and the Results tab, export to CSV and JSONL, and which actions
// each status allows.
#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QThread>

#include "DemoDatabase.h"
#include "EngineActions.h"
#include "JobActionController.h"
#include "JobDetailsPanel.h"
#include "JobErrorsTab.h"
#include "JobTableModel.h"
#include "MainWindow.h"
#include "PollController.h"
#include "ReasonDialog.h"
#include "RequestErrorTableModel.h"
#include "RequestPreviewTab.h"
#include "ResultTableModel.h"
#include "ResultsTab.h"
#include "RunTableModel.h"
#include "SubmitDialog.h"
#include "TestDatabase.h"
#include "store/Database.h"
#include "store/ItemImporter.h"
#include "store/JobStore.h"
#include "store/RunStore.h"

using namespace batchdeck;

class ConsoleActionsTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::shared_ptr<Database> m_db;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<EngineActions> m_actions;
    std::unique_ptr<PollController> m_poll;
    std::unique_ptr<MainWindow> m_window;
    int m_round = 0;

    JobActionController* actions() const { return m_window->jobActions(); }

    QString writeFile(const QString& name, const QByteArray& content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        file.write(content);
        return path;
    }

    JobSnapshot job(const QString& run, const QString& type) const
    {
        auto found = JobStore(m_db).find(run, type);
        return found && found->has_value() ? found->value() : JobSnapshot{};
    }

    // A job moved through real transitions to `path`'s last status.
    JobSnapshot makeJob(const QString& run, const QString& type, const QList<JobStatus>& path)
    {
        JobStore jobs(m_db);
        auto created = jobs.createOrGet(run, type, QStringLiteral("test"));
        if (!created)
            return {};
        JobStatus from = JobStatus::PendingSubmission;
        for (JobStatus to : path) {
            JobUpdate changes;
            if (to == JobStatus::Submitted)
                changes.set(JobField::LlmBatchId, QStringLiteral("batch_made_by_test_%1").arg(created->id));
            auto moved =
                jobs.transition({created->id, from, to, QStringLiteral("test"), QStringLiteral("set up"), changes, {}});
            if (!moved || !moved->applied)
                return {};
            from = to;
        }
        return this->job(run, type);
    }

    void tickAndWait()
    {
        QSignalSpy polled(m_poll.get(), &PollController::polled);
        m_poll->tick();
        QVERIFY(polled.wait(10'000));
    }

    // Selects the job's row with a click, as the operator does, once the window shows the job as the
    // database has it now (a read that was under way when the job changed is followed by another).
    bool select(qint64 jobId)
    {
        auto current = JobStore(m_db).job(jobId);
        if (!current)
            return false;
        const bool shown = QTest::qWaitFor(
            [&] {
                const JobSnapshot* known = m_window->jobModel()->find(jobId);
                if (known && known->status == current->status && known->updatedAt == current->updatedAt)
                    return true;
                if (!m_poll->isReading())
                    m_poll->tick();
                return false;
            },
            10'000);
        if (!shown)
            return false;
        QTableView* view = m_window->jobView();
        for (int row = 0; row < view->model()->rowCount(); ++row) {
            if (view->model()->index(row, 0).data(JobTableModel::JobIdRole).toLongLong() != jobId)
                continue;
            const QRect rect = view->visualRect(view->model()->index(row, JobTableModel::BatchTypeColumn));
            QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
            return m_window->currentJobId() == jobId;
        }
        return false;
    }

    template <typename T> T* waitForDialog(const QString& name)
    {
        T* found = nullptr;
        (void)QTest::qWaitFor([&] {
            found = m_window->findChild<T*>(name);
            return found && found->isVisible();
        });
        return found;
    }

    // Runs an action and waits for its outcome; true when it succeeded.
    bool waitForOutcome(QSignalSpy& succeeded, QSignalSpy& failed)
    {
        if (!QTest::qWaitFor([&] { return succeeded.size() + failed.size() > 0; }, 20'000))
            return false;
        if (!failed.isEmpty())
            qWarning() << "action failed:" << failed.first().first().value<ActionOutcome>().message;
        return failed.isEmpty();
    }

    bool waitForStatus(const QString& run, const QString& type, JobStatus status)
    {
        return QTest::qWaitFor([&] { return job(run, type).status == status; }, 20'000);
    }

    // Submits `items` (JSONL) for `run` through the engine and waits until the provider finished.
    bool submitAndWaitForTheProvider(const QString& run, const QString& type, const QByteArray& items)
    {
        SubmitRequest request;
        request.runId = run;
        request.batchType = type;
        request.itemsPath = writeFile(QStringLiteral("items-%1.jsonl").arg(type), items);
        QSignalSpy finished(m_actions.get(), &ConsoleActions::actionFinished);
        m_actions->submit(request);
        if (!finished.wait(20'000) || !finished.first().first().value<ActionOutcome>().ok)
            return false;
        return waitForStatus(run, type, JobStatus::PendingProcessing);
    }

    // The jobs table's (the view's, through the proxy) index of the job in `column`; invalid when absent.
    QModelIndex viewIndex(qint64 jobId, int column) const
    {
        const QAbstractItemModel* model = m_window->jobView()->model();
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row, 0).data(JobTableModel::JobIdRole).toLongLong() == jobId)
                return model->index(row, column);
        }
        return {};
    }

private Q_SLOTS:
    void init()
    {
        auto db = test::openFreshDatabase(m_dir);
        QVERIFY2(db.ok(), qPrintable(test::messageOf(db)));
        m_db = *db;

        app::AppEngineOptions engine;
        engine.database = m_db;
        engine.demo = true;
        // Fast phases, but for the test that watches a batch while it runs.
        engine.demoPhaseMs =
            QByteArrayView(QTest::currentTestFunction()) == "progressShowsInTheJobsTableWhileTheBatchRuns" ? 1500 : 40;
        engine.demoStateDir = m_dir.filePath(QStringLiteral("simulator-%1").arg(++m_round));
        EngineActionsOptions options;
        options.actor = QStringLiteral("operator-ana");
        options.pollerIntervalMs = 50;
        m_actions = std::make_unique<EngineActions>([engine] { return app::AppEngine::open(engine); }, options);

        m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
        m_settings->clear();
        m_settings->setValue(QStringLiteral("poll/intervalSeconds"), 0); // the test ticks by hand
        m_poll = std::make_unique<PollController>(m_db, *m_settings);
        ConsoleContext context{m_db, m_db->url().redacted(), false};
        context.actions = m_actions.get();
        m_window = std::make_unique<MainWindow>(context, *m_poll, *m_settings);
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QSignalSpy started(m_actions.get(), &ConsoleActions::started);
        m_actions->start();
        m_poll->start();
        QVERIFY(started.wait(10'000));
    }

    void cleanup()
    {
        m_window.reset();
        m_poll.reset();
        m_actions.reset();
        m_settings.reset();
        m_db.reset();
    }

    void theServiceRunsOnTheEngineThreadNotTheGuiThread()
    {
        QVERIFY(m_actions->isReady());
        QVERIFY(m_actions->engineThread() != nullptr);
        QVERIFY(m_actions->engineThread() != QThread::currentThread());
        QCOMPARE(m_actions->serviceThread(), m_actions->engineThread());
        QVERIFY(m_actions->engineThread()->isRunning());
    }

    void submitThroughTheDialogThenProcessAndExport()
    {
        QByteArray items;
        for (int i = 1; i <= 5; ++i)
            items += QStringLiteral("{\"id\":\"doc-%1\",\"text\":\"Document number %1\"}\n").arg(i).toUtf8();
        const QString itemsPath = writeFile(QStringLiteral("items.jsonl"), items);

        QVERIFY(actions()->submitAction()->isEnabled());
        actions()->submitAction()->trigger();
        auto* dialog = waitForDialog<SubmitDialog>(QStringLiteral("submitDialog"));
        QVERIFY(dialog);
        // A run id the engine would refuse keeps the Submit button off and says why.
        dialog->runBox()->setCurrentText(QStringLiteral("bad run/id"));
        QSignalSpy checked(dialog, &SubmitDialog::inputsChecked);
        QVERIFY(checked.wait(5000));
        QVERIFY(!dialog->submitButton()->isEnabled());
        QVERIFY(dialog->runNote()->text().contains(QStringLiteral("Not a valid run id")));

        const QString run = QStringLiteral("ui-run:2026-12-04T00:00:00+00:00");
        dialog->runBox()->setCurrentText(run);
        dialog->batchTypeBox()->setCurrentIndex(dialog->batchTypeBox()->findData(QStringLiteral("summarize")));
        QVERIFY(dialog->batchTypeInfo()->text().contains(QStringLiteral("/v1/chat/completions")));
        checked.clear();
        QTest::keyClicks(dialog->itemsPathEdit(), itemsPath);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->submitButton()->isEnabled(), 5000);
        QCOMPARE(dialog->previewTable()->rowCount(), 5);
        QVERIFY2(dialog->countLabel()->text().contains(QStringLiteral("5 requests")),
                 qPrintable(dialog->countLabel()->text()));
        QVERIFY(dialog->requestPreview()->toPlainText().contains(QStringLiteral("\"custom_id\": \"doc-1\"")));
        QVERIFY(dialog->requestPreview()->toPlainText().contains(QStringLiteral("Document number 1")));
        // Nothing is imported before the operator confirms.
        QCOMPARE(RunStore(m_db).itemCount(run).value(), 0);

        QSignalSpy succeeded(actions(), &JobActionController::actionSucceeded);
        QSignalSpy failed(actions(), &JobActionController::actionFailed);
        QTest::mouseClick(dialog->submitButton(), Qt::LeftButton);
        QVERIFY(waitForOutcome(succeeded, failed));
        QCOMPARE(RunStore(m_db).itemCount(run).value(), 5);
        const JobSnapshot submitted = job(run, QStringLiteral("summarize"));
        QVERIFY(!submitted.llmBatchId.isEmpty());
        QVERIFY(submitted.status != JobStatus::PendingSubmission && submitted.status != JobStatus::SubmissionFailed);

        // The engine's poller moves the job on; the provider completes it.
        QVERIFY(waitForStatus(run, QStringLiteral("summarize"), JobStatus::PendingProcessing));
        QCOMPARE(job(run, QStringLiteral("summarize")).requestTotal, 5);
        tickAndWait();
        const qint64 jobId = submitted.id;
        QVERIFY(select(jobId));
        QVERIFY(actions()->processAction()->isEnabled());
        QVERIFY(!actions()->retryAction()->isEnabled());
        QVERIFY(!actions()->cancelAction()->isEnabled());
        QVERIFY(!actions()->exportAction()->isEnabled());

        succeeded.clear();
        actions()->processAction()->trigger();
        QVERIFY(waitForOutcome(succeeded, failed));
        QCOMPARE(job(run, QStringLiteral("summarize")).status, JobStatus::Completed);
        // Processing shows the results.
        QTRY_COMPARE(m_window->details()->tabs()->currentIndex(), int(JobDetailsPanel::ResultsPage));
        ResultsTab* results = m_window->details()->results();
        QAbstractItemModelTester tester(results->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE_WITH_TIMEOUT(results->model()->rowCount(), 5, 10'000);
        QCOMPARE(results->model()->index(0, ResultTableModel::CustomIdColumn).data().toString(),
                 QStringLiteral("doc-1"));
        QCOMPARE(results->model()->index(0, ResultTableModel::OutcomeColumn).data().toString(), QStringLiteral("ok"));
        QVERIFY(!results->model()->index(0, ResultTableModel::ContentColumn).data().toString().isEmpty());
        results->filterBox()->setCurrentIndex(results->filterBox()->findData(int(ResultFilter::Kind::Errors)));
        QTRY_COMPARE(results->model()->total(), 0);
        QCOMPARE(results->model()->rowCount(), 0);
        results->filterBox()->setCurrentIndex(results->filterBox()->findData(int(ResultFilter::Kind::Successes)));
        QTRY_COMPARE(results->model()->rowCount(), 5);

        // The request preview of a sent job is the file it sent, read back from the provider.
        m_window->details()->tabs()->setCurrentIndex(JobDetailsPanel::RequestPreviewPage);
        RequestPreviewTab* preview = m_window->details()->requestPreview();
        const QString fileId = job(run, QStringLiteral("summarize")).inputFileId;
        QVERIFY(!fileId.isEmpty());
        QTRY_VERIFY(preview->text().contains(QStringLiteral("\"custom_id\":\"doc-5\"")));
        QCOMPARE(preview->text().split(QLatin1Char('\n')).size(), 5);
        QVERIFY2(preview->header()->text().contains(QStringLiteral("As sent (file %1)").arg(fileId)),
                 qPrintable(preview->header()->text()));

        // Export, through the file dialog, as CSV then JSONL.
        QVERIFY(actions()->exportAction()->isEnabled());
        for (const QString& name : {QStringLiteral("results.csv"), QStringLiteral("results.jsonl")}) {
            succeeded.clear();
            actions()->exportAction()->trigger();
            auto* files = waitForDialog<QFileDialog>(QStringLiteral("exportDialog"));
            QVERIFY(files);
            const QString path = m_dir.filePath(name);
            files->selectFile(path);
            static_cast<QDialog*>(files)->accept(); // QFileDialog::accept is protected
            QVERIFY(waitForOutcome(succeeded, failed));
            QFile written(path);
            QVERIFY(written.open(QIODevice::ReadOnly));
            const QList<QByteArray> lines = written.readAll().trimmed().split('\n');
            if (name.endsWith(QStringLiteral(".csv"))) {
                QCOMPARE(lines.size(), 6);
                QVERIFY(lines.first().startsWith("custom_id,ok,status_code,content"));
                QVERIFY(lines.at(1).startsWith("doc-1,true,200,"));
            } else {
                QCOMPARE(lines.size(), 5);
                const QJsonObject first = QJsonDocument::fromJson(lines.first()).object();
                QCOMPARE(first.value(QStringLiteral("custom_id")).toString(), QStringLiteral("doc-1"));
                QVERIFY(first.value(QStringLiteral("ok")).toBool());
            }
        }
    }

    void aReadyRequestFileIsCheckedLineByLineBeforeAnythingIsSent()
    {
        const QByteArray good =
            R"({"custom_id":"r-1","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}})";
        const QByteArray bad = good + '\n' + good + '\n' + "{not json\n" +
                               R"({"custom_id":"r-4","method":"GET","url":"/v1/chat/completions","body":{}})" + '\n';
        const QString badPath = writeFile(QStringLiteral("bad-requests.jsonl"), bad);
        const QString run = QStringLiteral("ready-file-run");

        actions()->submitAction()->trigger();
        auto* dialog = waitForDialog<SubmitDialog>(QStringLiteral("submitDialog"));
        QVERIFY(dialog);
        dialog->runBox()->setCurrentText(run);
        dialog->batchTypeBox()->setCurrentIndex(dialog->batchTypeBox()->findData(QStringLiteral("summarize")));
        QTest::mouseClick(dialog->requestFileChoice(), Qt::LeftButton);
        QVERIFY(dialog->requestFileChoice()->isChecked());
        QSignalSpy checked(dialog, &SubmitDialog::inputsChecked);
        dialog->requestFileEdit()->setText(badPath);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->problemList()->count() >= 3, 5000);
        QStringList problems;
        for (int i = 0; i < dialog->problemList()->count(); ++i)
            problems.append(dialog->problemList()->item(i)->text());
        const QString all = problems.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QStringLiteral("Line 2: custom_id 'r-1' is used again (first on line 1)")),
                 qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("Line 3: not JSON")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("Line 4: method must be \"POST\"")), qPrintable(all));
        QVERIFY(!dialog->submitButton()->isEnabled());
        QVERIFY(dialog->countLabel()->text().contains(QStringLiteral("nothing will be uploaded")));
        dialog->reject();

        // The engine refuses the same file on its own, before a job exists: nothing was uploaded.
        QSignalSpy finished(m_actions.get(), &ConsoleActions::actionFinished);
        SubmitRequest request;
        request.runId = run;
        request.batchType = QStringLiteral("summarize");
        request.requestFilePath = badPath;
        m_actions->submit(request);
        QVERIFY(finished.wait(10'000));
        const auto outcome = finished.first().first().value<ActionOutcome>();
        QVERIFY(!outcome.ok);
        QCOMPARE(outcome.errorCode, QStringLiteral("invalid_request_file"));
        QVERIFY(outcome.message.contains(QStringLiteral("line 3")));
        QVERIFY(!JobStore(m_db).find(run, QStringLiteral("summarize")).value().has_value());

        // A good file goes out as it is.
        QByteArray fine;
        for (int i = 1; i <= 3; ++i) {
            const QByteArray id = QByteArray("r-").append(QByteArray::number(i));
            fine += QByteArray(good).replace("r-1", id) + '\n';
        }
        const QString goodPath = writeFile(QStringLiteral("good-requests.jsonl"), fine);
        actions()->submitAction()->trigger();
        dialog = waitForDialog<SubmitDialog>(QStringLiteral("submitDialog"));
        QVERIFY(dialog);
        dialog->runBox()->setCurrentText(run);
        dialog->batchTypeBox()->setCurrentIndex(dialog->batchTypeBox()->findData(QStringLiteral("summarize")));
        dialog->requestFileChoice()->setChecked(true);
        dialog->requestFileEdit()->setText(goodPath);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->submitButton()->isEnabled(), 5000);
        QVERIFY(dialog->countLabel()->text().contains(QStringLiteral("3 requests")));
        QSignalSpy succeeded(actions(), &JobActionController::actionSucceeded);
        QSignalSpy failed(actions(), &JobActionController::actionFailed);
        QTest::mouseClick(dialog->submitButton(), Qt::LeftButton);
        QVERIFY(waitForOutcome(succeeded, failed));
        const JobSnapshot sent = job(run, QStringLiteral("summarize"));
        QVERIFY(!sent.llmBatchId.isEmpty());
        // The provider counts the file's requests.
        QVERIFY(QTest::qWaitFor([&] { return job(run, QStringLiteral("summarize")).requestTotal == 3; }, 20'000));

        // The run has no items: only the file the provider holds can show what was sent.
        QVERIFY(select(sent.id));
        m_window->details()->tabs()->setCurrentIndex(JobDetailsPanel::RequestPreviewPage);
        RequestPreviewTab* preview = m_window->details()->requestPreview();
        QTRY_VERIFY_WITH_TIMEOUT(preview->text().contains(QStringLiteral("\"custom_id\":\"r-3\"")), 10'000);
        QCOMPARE(preview->text().split(QLatin1Char('\n')).size(), 3);
        QVERIFY(preview->text().startsWith(QString::fromUtf8(good)));
        const QString fileId = job(run, QStringLiteral("summarize")).inputFileId;
        QVERIFY2(preview->header()->text().contains(QStringLiteral("As sent (file %1)").arg(fileId)),
                 qPrintable(preview->header()->text()));
        QVERIFY(preview->header()->text().contains(QStringLiteral("first 3 of 3")));
    }

    void aJobNotSentYetPreviewsWhatItWillSend()
    {
        const QString run = QStringLiteral("not-sent-run");
        QByteArray items;
        for (int i = 1; i <= 30; ++i)
            items += QStringLiteral("{\"id\":\"n-%1\",\"text\":\"Not sent %1\"}\n").arg(i).toUtf8();
        QVERIFY(ItemImporter(m_db).importFile(run, writeFile(QStringLiteral("n.jsonl"), items)).ok());
        const JobSnapshot pending = makeJob(run, QStringLiteral("summarize"), {});
        QVERIFY(pending.id != 0 && pending.inputFileId.isEmpty());
        tickAndWait();
        QVERIFY(select(pending.id));
        m_window->details()->tabs()->setCurrentIndex(JobDetailsPanel::RequestPreviewPage);
        RequestPreviewTab* preview = m_window->details()->requestPreview();
        QTRY_VERIFY_WITH_TIMEOUT(preview->text().contains(QStringLiteral("Not sent 1")), 10'000);
        QCOMPARE(preview->text().split(QLatin1Char('\n')).size(), RequestPreviewTab::kLines);
        QVERIFY2(preview->header()->text().startsWith(QStringLiteral("As it will be sent: the first 20 of 30")),
                 qPrintable(preview->header()->text()));
        QVERIFY(!preview->header()->text().contains(QStringLiteral("As sent")));
    }

    // Requests the provider answered with errors are listed in the Errors tab, the first 500 of them
    // with a count of the rest; the job's own error details stay above them.
    void theErrorsTabListsTheFailedRequests()
    {
        const QString run = QStringLiteral("errors-run");
        QByteArray items;
        for (int i = 1; i <= 505; ++i)
            items += QStringLiteral("{\"id\":\"bad-%1\",\"text\":\"[[sim:fail:500]] %1\"}\n")
                         .arg(i, 3, 10, QLatin1Char('0'))
                         .toUtf8();
        for (int i = 1; i <= 3; ++i)
            items += QStringLiteral("{\"id\":\"good-%1\",\"text\":\"fine\"}\n").arg(i).toUtf8();
        QVERIFY(submitAndWaitForTheProvider(run, QStringLiteral("summarize"), items));
        QSignalSpy finished(m_actions.get(), &ConsoleActions::actionFinished);
        m_actions->process(run, QStringLiteral("summarize"), false);
        QVERIFY(finished.wait(30'000));
        QVERIFY2(finished.first().first().value<ActionOutcome>().ok,
                 qPrintable(finished.first().first().value<ActionOutcome>().message));
        const JobSnapshot done = job(run, QStringLiteral("summarize"));
        QCOMPARE(done.status, JobStatus::Completed);
        QCOMPARE(done.resultErrors, 505);

        tickAndWait();
        QVERIFY(select(done.id));
        JobDetailsPanel* details = m_window->details();
        QCOMPARE(details->tabs()->tabText(JobDetailsPanel::ErrorsPage), QStringLiteral("Errors (505)"));
        details->tabs()->setCurrentIndex(JobDetailsPanel::ErrorsPage);
        JobErrorsTab* errors = details->errors();
        RequestErrorTableModel* model = errors->requestErrors();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), JobErrorsTab::kMaxRows, 10'000);
        QCOMPARE(model->total(), 505);
        QVERIFY(errors->requestErrorView()->isVisible());
        QVERIFY2(errors->requestErrorSummary()->text().contains(QStringLiteral("the first 500 of 505 (5 more")),
                 qPrintable(errors->requestErrorSummary()->text()));
        QVERIFY(model->index(0, RequestErrorTableModel::CustomIdColumn)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("bad-")));
        // Shown in the order of the provider's file lines, whatever order the store pages in.
        for (int row = 1; row < model->rowCount(); ++row)
            QVERIFY(model->errorAt(row - 1).lineNumber <= model->errorAt(row).lineNumber);
        QCOMPARE(model->index(0, RequestErrorTableModel::CodeColumn).data().toString(), QStringLiteral("server_error"));
        QVERIFY(model->index(0, RequestErrorTableModel::MessageColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("Simulated failure (HTTP 500)")));
        QVERIFY(model->index(0, RequestErrorTableModel::LineColumn).data().toString().toInt() > 0);
        QVERIFY(model->errorAt(0).lineNumber > 0);
        // Only errors: no success among the rows.
        for (int row = 0; row < model->rowCount(); ++row)
            QVERIFY(!model->errorAt(row).ok);
        // The Results tab's own reads are not confused by the Errors tab's.
        details->tabs()->setCurrentIndex(JobDetailsPanel::ResultsPage);
        QTRY_COMPARE_WITH_TIMEOUT(details->results()->model()->total(), 508, 10'000);
        QCOMPARE(details->results()->model()->rowCount(), ResultTableModel::kPageSize);
        QCOMPARE(model->rowCount(), JobErrorsTab::kMaxRows);
    }

    // A batch in progress shows its progress in the jobs table itself: the Submitted badge, the
    // provider's status and the request counts as they grow.
    void progressShowsInTheJobsTableWhileTheBatchRuns()
    {
        QByteArray items;
        for (int i = 1; i <= 40; ++i)
            items += QStringLiteral("{\"id\":\"p-%1\",\"text\":\"Progress %1\"}\n").arg(i).toUtf8();
        const QString itemsPath = writeFile(QStringLiteral("progress.jsonl"), items);
        actions()->submitAction()->trigger();
        auto* dialog = waitForDialog<SubmitDialog>(QStringLiteral("submitDialog"));
        QVERIFY(dialog);
        const QString run = QStringLiteral("progress-run");
        dialog->runBox()->setCurrentText(run);
        dialog->batchTypeBox()->setCurrentIndex(dialog->batchTypeBox()->findData(QStringLiteral("summarize")));
        QTest::keyClicks(dialog->itemsPathEdit(), itemsPath);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->submitButton()->isEnabled(), 5000);
        QSignalSpy succeeded(actions(), &JobActionController::actionSucceeded);
        QSignalSpy failed(actions(), &JobActionController::actionFailed);
        QTest::mouseClick(dialog->submitButton(), Qt::LeftButton);
        QVERIFY(waitForOutcome(succeeded, failed));
        const qint64 jobId = job(run, QStringLiteral("summarize")).id;
        QVERIFY(jobId != 0);

        // Tick as the window's timer would, until the row shows a batch part way through.
        QString progressText;
        const bool seen = QTest::qWaitFor(
            [&] {
                if (!m_poll->isReading())
                    m_poll->tick();
                const QModelIndex progress = viewIndex(jobId, JobTableModel::ProgressColumn);
                if (!progress.isValid())
                    return false;
                const double share = progress.data(JobTableModel::ProgressRole).toDouble();
                progressText = progress.data().toString();
                return progress.data(JobTableModel::StatusRole).toInt() == int(JobStatus::Submitted) &&
                       progress.data(JobTableModel::RequestTotalRole).toLongLong() == 40 && share > 0 && share < 1;
            },
            20'000);
        QVERIFY2(seen,
                 qPrintable(QStringLiteral("last progress text: '%1', job in the database: %2 %3/%4")
                                .arg(progressText, statusName(job(run, QStringLiteral("summarize")).status))
                                .arg(job(run, QStringLiteral("summarize")).requestCompleted)
                                .arg(job(run, QStringLiteral("summarize")).requestTotal)));
        QVERIFY2(progressText.endsWith(QStringLiteral(" / 40")) && !progressText.startsWith(QStringLiteral("0 ")) &&
                     !progressText.startsWith(QStringLiteral("40 ")),
                 qPrintable(progressText));
        QCOMPARE(viewIndex(jobId, JobTableModel::StatusColumn).data().toString(), QStringLiteral("Submitted"));
        QCOMPARE(viewIndex(jobId, JobTableModel::ProviderStatusColumn).data().toString(),
                 QStringLiteral("in_progress"));
        // And in the end the row says it is ready to process, all requests done.
        QVERIFY(waitForStatus(run, QStringLiteral("summarize"), JobStatus::PendingProcessing));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                if (!m_poll->isReading())
                    m_poll->tick();
                return viewIndex(jobId, JobTableModel::ProgressColumn).data().toString() == QStringLiteral("40 / 40");
            }(),
            10'000);
    }

    // Demo mode (batchdeck --demo): the sample run of DemoDatabase, and the window says "Demo" in its
    // title and its status bar.
    void theDemoWindowSaysDemo()
    {
        auto seeded = DemoDatabase::seedIfEmpty(m_db);
        QVERIFY2(seeded.ok() && *seeded, "the test database had runs already");
        QSettings settings(m_dir.filePath(QStringLiteral("demo.ini")), QSettings::IniFormat);
        settings.setValue(QStringLiteral("poll/intervalSeconds"), 0);
        PollController poll(m_db, settings);
        ConsoleContext context{m_db, m_db->url().redacted(), true};
        context.actions = m_actions.get();
        MainWindow demo(context, poll, settings);
        demo.resize(1200, 800);
        demo.show();
        QVERIFY(QTest::qWaitForWindowExposed(&demo));
        QVERIFY2(demo.windowTitle().contains(QStringLiteral("Demo")), qPrintable(demo.windowTitle()));
        QStringList statusTexts;
        for (QLabel* label : demo.statusBar()->findChildren<QLabel*>()) {
            if (label->isVisible())
                statusTexts << label->text();
        }
        QVERIFY2(statusTexts.join(u'|').contains(QStringLiteral("Demo")), qPrintable(statusTexts.join(u'|')));
        poll.start();
        poll.tick();
        QTRY_VERIFY_WITH_TIMEOUT(demo.runModel()->find(DemoDatabase::sampleRunId()) != nullptr, 10'000);
        QCOMPARE(demo.runModel()->find(DemoDatabase::sampleRunId())->summary.items, DemoDatabase::kSampleItems);
        // The ordinary window does not say it.
        QVERIFY(!m_window->windowTitle().contains(QStringLiteral("Demo")));
    }

    void retryIsRecordedWithTheOperatorAndReason()
    {
        const JobSnapshot failedJob =
            makeJob(QStringLiteral("run-r"), QStringLiteral("classify"), {JobStatus::SubmissionFailed});
        QVERIFY(failedJob.id != 0);
        tickAndWait();
        QVERIFY(select(failedJob.id));
        QVERIFY(actions()->retryAction()->isEnabled());
        QVERIFY(!actions()->cancelAction()->isEnabled());
        QVERIFY(!actions()->processAction()->isEnabled());
        QVERIFY(!actions()->exportAction()->isEnabled());

        actions()->retryAction()->trigger();
        auto* dialog = waitForDialog<ReasonDialog>(QStringLiteral("retryDialog"));
        QVERIFY(dialog);
        QTest::keyClicks(dialog->reasonEdit(), QStringLiteral("the prompt was fixed"));
        QSignalSpy succeeded(actions(), &JobActionController::actionSucceeded);
        QSignalSpy failed(actions(), &JobActionController::actionFailed);
        QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
        QVERIFY(waitForOutcome(succeeded, failed));

        const JobSnapshot retried = job(QStringLiteral("run-r"), QStringLiteral("classify"));
        QCOMPARE(retried.status, JobStatus::PendingSubmission);
        QCOMPARE(retried.attempt, 2);
        const QList<JobEvent> events = JobStore(m_db).events(retried.id).value();
        const JobEvent& last = events.last();
        QCOMPARE(last.actor, QStringLiteral("operator-ana"));
        QCOMPARE(last.fromStatus, QStringLiteral("SUBMISSION_FAILED"));
        QCOMPARE(last.toStatus, QStringLiteral("PENDING_SUBMISSION"));
        QVERIFY2(last.message.contains(QStringLiteral("the prompt was fixed")), qPrintable(last.message));
    }

    void cancelAsksFirstAndIsRecorded()
    {
        const JobSnapshot pending = makeJob(QStringLiteral("run-c"), QStringLiteral("embed"), {});
        QVERIFY(pending.id != 0);
        tickAndWait();
        QVERIFY(select(pending.id));
        QVERIFY(actions()->cancelAction()->isEnabled());
        QVERIFY(!actions()->retryAction()->isEnabled());

        // Saying no leaves the job alone.
        actions()->cancelAction()->trigger();
        auto* dialog = waitForDialog<ReasonDialog>(QStringLiteral("cancelDialog"));
        QVERIFY(dialog);
        QVERIFY(!dialog->confirmButton()->isDefault()); // Enter alone does not cancel
        dialog->reject();
        QTest::qWait(50);
        QCOMPARE(job(QStringLiteral("run-c"), QStringLiteral("embed")).status, JobStatus::PendingSubmission);

        actions()->cancelAction()->trigger();
        dialog = waitForDialog<ReasonDialog>(QStringLiteral("cancelDialog"));
        QVERIFY(dialog);
        QTest::keyClicks(dialog->reasonEdit(), QStringLiteral("wrong model"));
        QSignalSpy succeeded(actions(), &JobActionController::actionSucceeded);
        QSignalSpy failed(actions(), &JobActionController::actionFailed);
        QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
        QVERIFY(waitForOutcome(succeeded, failed));
        const JobSnapshot cancelled = job(QStringLiteral("run-c"), QStringLiteral("embed"));
        QCOMPARE(cancelled.status, JobStatus::SubmissionFailed);
        const JobEvent last = JobStore(m_db).events(cancelled.id).value().last();
        QCOMPARE(last.actor, QStringLiteral("operator-ana"));
        QVERIFY(last.message.contains(QStringLiteral("wrong model")));
    }

    void actionsFollowTheStatusOfTheSelection_data()
    {
        QTest::addColumn<QList<JobStatus>>("path");
        QTest::addColumn<bool>("retry");
        QTest::addColumn<bool>("cancel");
        QTest::addColumn<bool>("process");
        QTest::addColumn<bool>("exportable");
        QTest::addColumn<bool>("copy");
        using S = JobStatus;
        QTest::newRow("pending submission") << QList<S>{} << false << true << false << false << false;
        QTest::newRow("submitted") << QList<S>{S::Submitted} << false << true << false << false << true;
        QTest::newRow("failed") << QList<S>{S::SubmissionFailed} << true << false << false << false << false;
        QTest::newRow("pending processing")
            << QList<S>{S::Submitted, S::PendingProcessing} << false << false << true << false << true;
        QTest::newRow("processing") << QList<S>{S::Submitted, S::PendingProcessing, S::Processing} << false << false
                                    << false << false << true;
        QTest::newRow("completed") << QList<S>{S::Submitted, S::PendingProcessing, S::Processing, S::Completed} << false
                                   << false << false << true << true;
    }

    void actionsFollowTheStatusOfTheSelection()
    {
        QFETCH(QList<JobStatus>, path);
        QFETCH(bool, retry);
        QFETCH(bool, cancel);
        QFETCH(bool, process);
        QFETCH(bool, exportable);
        QFETCH(bool, copy);
        // Nothing selected: only Submit.
        QVERIFY(actions()->submitAction()->isEnabled());
        QVERIFY(!actions()->retryAction()->isEnabled());
        QVERIFY(!actions()->cancelAction()->isEnabled());
        const JobSnapshot made = makeJob(QStringLiteral("run-states"), QStringLiteral("keywords"), path);
        QVERIFY(made.id != 0);
        tickAndWait();
        QVERIFY(select(made.id));
        QCOMPARE(actions()->retryAction()->isEnabled(), retry);
        QCOMPARE(actions()->cancelAction()->isEnabled(), cancel);
        QCOMPARE(actions()->processAction()->isEnabled(), process);
        QCOMPARE(actions()->exportAction()->isEnabled(), exportable);
        QCOMPARE(actions()->copyBatchIdAction()->isEnabled(), copy);
    }

    void aFailedActionShowsItsCodeAndMessage()
    {
        // The job is gone from the engine's point of view by the time the action runs: a race the
        // operator cannot see, shown with the engine's code.
        const JobSnapshot failedJob =
            makeJob(QStringLiteral("run-f"), QStringLiteral("classify"), {JobStatus::SubmissionFailed});
        tickAndWait();
        QVERIFY(select(failedJob.id));
        // Another process retries it first.
        auto moved = JobStore(m_db).transition({failedJob.id,
                                                JobStatus::SubmissionFailed,
                                                JobStatus::PendingSubmission,
                                                QStringLiteral("api"),
                                                QStringLiteral("retried elsewhere"),
                                                {},
                                                {}});
        QVERIFY(moved && moved->applied);
        actions()->retryAction()->trigger();
        auto* dialog = waitForDialog<ReasonDialog>(QStringLiteral("retryDialog"));
        QVERIFY(dialog);
        QSignalSpy failed(actions(), &JobActionController::actionFailed);
        QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
        QVERIFY(failed.wait(10'000));
        QTRY_VERIFY(m_window->bannerText().contains(QStringLiteral("[job_not_retryable]")));
        QVERIFY(m_window->bannerText().contains(QStringLiteral("PENDING_SUBMISSION")));
    }

    // The in-process HTTP API (settings: server on): Airflow's calls reach the console's engine over a
    // real socket, and what they do shows in the console's table at the next tick.
    void inProcessServerServesAirflowAndStops()
    {
        QSignalSpy changed(m_actions.get(), &EngineActions::serverChanged);
        ConsoleServerSettings server;
        server.enabled = true;
        server.port = 0;
        server.token = "console-token";
        m_actions->setServer(server);
        QVERIFY(changed.wait(10'000));
        QVERIFY2(changed.last().at(0).toBool(), qPrintable(changed.last().at(2).toString()));
        const QString url = changed.last().at(1).toString();
        QVERIFY(url.startsWith(QStringLiteral("http://127.0.0.1:")));

        QNetworkAccessManager network;
        const auto call = [&](const QByteArray& method, const QString& path, const QByteArray& body = {}) {
            QNetworkRequest request(QUrl(url + path));
            request.setRawHeader("Authorization", "Bearer console-token");
            if (!body.isEmpty())
                request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
            QNetworkReply* reply = network.sendCustomRequest(request, method, body);
            QSignalSpy finished(reply, &QNetworkReply::finished);
            (void)finished.wait(10'000);
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            reply->deleteLater();
            return status;
        };
        QNetworkRequest anonymous(QUrl(url + QStringLiteral("/jobs")));
        QNetworkReply* refused = network.get(anonymous);
        QSignalSpy refusedDone(refused, &QNetworkReply::finished);
        QVERIFY(refusedDone.wait(10'000));
        QCOMPARE(refused->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 401);
        refused->deleteLater();

        QCOMPARE(call("POST", QStringLiteral("/pipeline/airflow-run/items"), R"([{"id": "a", "text": "one"}])"), 200);
        QCOMPARE(call("POST", QStringLiteral("/pipeline/airflow-run/submit-batch/summarize")), 200);
        QCOMPARE(call("GET", QStringLiteral("/pipeline/airflow-run/batch-job-status/summarize")), 200);
        tickAndWait();
        auto job = JobStore(m_db).find(QStringLiteral("airflow-run"), QStringLiteral("summarize"));
        QVERIFY(job && job->has_value());
        QTRY_VERIFY(m_window->jobModel()->find((*job)->id) != nullptr);

        // Refused on a public address without a token; turned off, nothing answers any more.
        server.address = QStringLiteral("0.0.0.0");
        server.token.clear();
        m_actions->setServer(server);
        QVERIFY(changed.wait(10'000));
        QVERIFY(!changed.last().at(0).toBool());
        QVERIFY(!changed.last().at(2).toString().isEmpty());
        server.enabled = false;
        m_actions->setServer(server);
        QVERIFY(changed.wait(10'000));
        QVERIFY(!changed.last().at(0).toBool());
        QCOMPARE(call("GET", QStringLiteral("/healthz")), 0);
    }
};

QTEST_MAIN(ConsoleActionsTest)
#include "tst_consoleactions.moc"
