// Renders the console over a seeded store to a PNG, for the README and for looking at the window
// without a desktop. Not a test.
//   xvfb-run -a -s "-screen 0 1400x900x24" console_screenshot OUT.png [--tab overview|errors|events|batches]
//     [--select submitted|failed] [--demo] [--db URL]
#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "ConsoleFixtures.h"
#include "JobDetailsPanel.h"
#include "JobTableModel.h"
#include "MainWindow.h"
#include "PollController.h"
#include "store/Database.h"

using namespace batchdeck;

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("output"), QStringLiteral("The PNG to write."));
    const QCommandLineOption tab(QStringLiteral("tab"), QStringLiteral("Details tab to show."), QStringLiteral("name"));
    const QCommandLineOption select(
        QStringLiteral("select"), QStringLiteral("Status of the job to select."), QStringLiteral("status"));
    const QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Show the window as in demo mode."));
    const QCommandLineOption db(
        QStringLiteral("db"), QStringLiteral("Show this database instead of a seeded one."), QStringLiteral("url"));
    parser.addOption(tab);
    parser.addOption(select);
    parser.addOption(demo);
    parser.addOption(db);
    parser.process(app);
    if (parser.positionalArguments().size() != 1)
        parser.showHelp(2);

    QTemporaryDir dir;
    auto database = Database::open(
        parser.isSet(db) ? parser.value(db) : QStringLiteral("sqlite://") + dir.filePath(QStringLiteral("console.db")));
    if (!database)
        qFatal("%s", qPrintable(database.error().message));
    if (!parser.isSet(db)) {
        ManualClock clock(QDateTime::currentMSecsSinceEpoch() - 30'000);
        test::seedRealisticStore(*database, clock);
    }

    QSettings settings(dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
    PollController poll(*database, settings);
    ConsoleContext context{*database, (*database)->url().redacted(), parser.isSet(demo)};
    if (context.demo && !parser.isSet(db))
        context.databaseLabel = QStringLiteral("sqlite:///home/operator/.local/share/batchdeck/demo/batchdeck-demo.db");
    MainWindow window(context, poll, settings);
    window.resize(1400, 900);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        qFatal("the window was not shown");
    QSignalSpy polled(&poll, &PollController::polled);
    poll.start();
    if (!polled.wait(10'000))
        qFatal("no poll result");

    const JobStatus wanted = parser.value(select) == u"failed" ? JobStatus::SubmissionFailed : JobStatus::Submitted;
    QAbstractItemModel* model = window.jobView()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(JobTableModel::StatusRole).toInt() == int(wanted)) {
            window.jobView()->selectRow(row);
            break;
        }
    }
    const QString tabName = parser.value(tab);
    window.details()->tabs()->setCurrentIndex(tabName == u"errors"    ? JobDetailsPanel::ErrorsPage
                                              : tabName == u"events"  ? JobDetailsPanel::EventsPage
                                              : tabName == u"batches" ? JobDetailsPanel::BatchesPage
                                                                      : JobDetailsPanel::OverviewPage);
    QTest::qWait(500); // events arrive from the feed thread
    if (!window.grab().save(parser.positionalArguments().first()))
        qFatal("cannot write %s", qPrintable(parser.positionalArguments().first()));
    return 0;
}
