// Renders the console's actions over the real engine (demo mode over a fresh database: the sample
// run, the in-process simulator) to PNGs, for the README and for looking at them without a desktop.
// Not a test.
//   xvfb-run -a -s "-screen 0 1400x900x24" actions_screenshot DIR
// writes DIR/submit-dialog.png (the Submit dialog over the sample run, a CSV of items to import and
// its bad line), DIR/results.png (the window after the sample run was submitted and processed) and
// DIR/request-preview.png (its Request preview tab: the file it sent, read back from the provider).
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "DemoDatabase.h"
#include "EngineActions.h"
#include "JobActionController.h"
#include "JobDetailsPanel.h"
#include "JobTableModel.h"
#include "MainWindow.h"
#include "PollController.h"
#include "RequestPreviewTab.h"
#include "ResultTableModel.h"
#include "ResultsTab.h"
#include "SubmitDialog.h"
#include "store/Database.h"
#include "store/JobStore.h"

using namespace batchdeck;

namespace {

void check(bool ok, const char* what)
{
    if (!ok)
        qFatal("%s", what);
}

JobStatus statusOf(const std::shared_ptr<Database>& db, const QString& run, const QString& type)
{
    auto job = JobStore(db).find(run, type);
    return job && job->has_value() ? (*job)->status : JobStatus::PendingSubmission;
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    if (argc != 2)
        qFatal("usage: actions_screenshot OUTPUT_DIR");
    const QString out = QString::fromLocal8Bit(argv[1]);

    QTemporaryDir dir;
    auto database = Database::open(QStringLiteral("sqlite://") + dir.filePath(QStringLiteral("demo.db")));
    check(database.ok(), "cannot open the database");
    check(DemoDatabase::seedIfEmpty(*database).ok(), "cannot seed the sample run");

    app::AppEngineOptions engine;
    engine.database = *database;
    engine.demo = true;
    engine.demoPhaseMs = 300;
    engine.demoStateDir = dir.filePath(QStringLiteral("simulator"));
    EngineActionsOptions options;
    options.actor = QStringLiteral("ana");
    options.pollerIntervalMs = 200;
    EngineActions actions([engine] { return app::AppEngine::open(engine); }, options);

    QSettings settings(dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
    settings.setValue(QStringLiteral("poll/intervalSeconds"), 2);
    PollController poll(*database, settings);
    ConsoleContext context{
        *database, QStringLiteral("sqlite:///home/ana/.local/share/batchdeck/demo/batchdeck-demo.db"), true};
    context.actions = &actions;
    MainWindow window(context, poll, settings);
    window.resize(1400, 900);
    window.show();
    check(QTest::qWaitForWindowExposed(&window), "the window was not shown");
    QSignalSpy started(&actions, &ConsoleActions::started);
    actions.start();
    poll.start();
    check(started.wait(10'000), "the engine did not start");
    QTest::qWait(500);

    // The Submit dialog over the sample run, with a file of new items that has one bad line.
    const QString run = DemoDatabase::sampleRunId();
    window.runView()->selectRow(0);
    // The dialog shows the path: a file named as an operator's export, in a folder with a short name
    // (not the tool's own temporary folder).
    QTemporaryDir itemsDir(QDir::tempPath() + QStringLiteral("/ana-XXXXXX"));
    check(itemsDir.isValid(), "cannot create the items folder");
    const QString itemsPath = itemsDir.filePath(QStringLiteral("reviews-2026-12.csv"));
    {
        QFile items(itemsPath);
        check(items.open(QIODevice::WriteOnly), "cannot write the items");
        items.write("id,product,rating,text\n"
                    "review-101,standing desk,4,\"Sturdy, quiet motor; the cable tray is an extra.\"\n"
                    "review-102,e-reader,5,Battery lasts for weeks.\n"
                    ",robot vacuum,2,Gets stuck under the sofa every day.\n"
                    "review-104,espresso machine,3,\"Great coffee, but it is loud.\"\n");
    }
    window.jobActions()->submitAction()->trigger();
    QTest::qWait(300);
    auto* dialog = window.findChild<SubmitDialog*>(QStringLiteral("submitDialog"));
    check(dialog, "no submit dialog");
    dialog->batchTypeBox()->setCurrentIndex(dialog->batchTypeBox()->findData(QStringLiteral("summarize")));
    dialog->itemsPathEdit()->setText(itemsPath);
    QSignalSpy checked(dialog, &SubmitDialog::inputsChecked);
    checked.wait(5000);
    QTest::qWait(300);
    check(dialog->grab().save(out + QStringLiteral("/submit-dialog.png")), "cannot write submit-dialog.png");

    // Submit the sample run's own items, wait for the provider, process, show the results.
    dialog->itemsPathEdit()->clear();
    check(QTest::qWaitFor([dialog] { return dialog->canSubmit(); }, 10'000), "the dialog cannot submit the sample run");
    dialog->accept();
    check(QTest::qWaitFor(
              [&] { return statusOf(*database, run, QStringLiteral("summarize")) == JobStatus::PendingProcessing; },
              60'000),
          "the batch did not complete");
    QSignalSpy polled(&poll, &PollController::polled);
    poll.tick();
    polled.wait(5000);
    QAbstractItemModel* model = window.jobView()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, JobTableModel::BatchTypeColumn).data().toString() == u"summarize")
            window.jobView()->selectRow(row);
    }
    QSignalSpy succeeded(window.jobActions(), &JobActionController::actionSucceeded);
    window.jobActions()->processAction()->trigger();
    check(succeeded.wait(20'000), "processing failed");
    check(QTest::qWaitFor([&] { return window.details()->results()->model()->rowCount() > 0; }, 10'000),
          "no results shown");
    // One run with one job: the details get the room the near-empty tables do not need.
    if (auto* splitter = qobject_cast<QSplitter*>(window.details()->parentWidget()))
        splitter->setSizes({90, 120, 630});
    QTest::qWait(800);
    check(window.grab().save(out + QStringLiteral("/results.png")), "cannot write results.png");

    // The request preview of the sent job: its input file, read back from the provider.
    window.details()->tabs()->setCurrentIndex(JobDetailsPanel::RequestPreviewPage);
    check(QTest::qWaitFor(
              [&] {
                  return window.details()->requestPreview()->header()->text().startsWith(u"As sent") &&
                         !window.details()->requestPreview()->text().isEmpty();
              },
              10'000),
          "no request preview shown");
    QTest::qWait(300);
    check(window.grab().save(out + QStringLiteral("/request-preview.png")), "cannot write request-preview.png");
    return 0;
}
