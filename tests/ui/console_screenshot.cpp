// Renders the console over a seeded store to a PNG, for the README and for looking at the window
// without a desktop. Not a test.
//   xvfb-run -a -s "-screen 0 1400x900x24" console_screenshot OUT.png [--tab overview|errors|events|batches]
//     [--select submitted|failed] [--demo] [--db URL] [--notify] [--language pt_BR]
//     [--settings provider|database|server|general]
// scripts/screenshots.sh makes the README's set.
#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "ConsoleFixtures.h"
#include "ConsoleNotifications.h"
#include "JobDetailsPanel.h"
#include "JobNotifier.h"
#include "JobTableModel.h"
#include "MainWindow.h"
#include "PollController.h"
#include "SettingsDialog.h"
#include "Translations.h"
#include "store/Database.h"
#include "store/JobStore.h"

using namespace batchdeck;

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("batchdeck")); // the default database path says so
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
    const QCommandLineOption language(
        QStringLiteral("language"), QStringLiteral("Translate the window (pt_BR)."), QStringLiteral("name"));
    const QCommandLineOption settingsPage(QStringLiteral("settings"),
                                          QStringLiteral("Show the settings dialog at this page instead."),
                                          QStringLiteral("page"));
    const QCommandLineOption notify(QStringLiteral("notify"),
                                    QStringLiteral("Complete a job from another connection: the banner announces it."));
    parser.addOption(db);
    parser.addOption(notify);
    parser.addOption(language);
    parser.addOption(settingsPage);
    parser.process(app);
    if (parser.positionalArguments().size() != 1)
        parser.showHelp(2);
    const QString output = parser.positionalArguments().first();
    installTranslations(app, parser.isSet(language) ? parser.value(language) : QStringLiteral("en"));

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
    if (parser.isSet(settingsPage)) {
        // As a first-time operator sees it: nothing set in the environment, nothing stored yet.
        SettingsDialog dialog(settings, SecretStore(), QProcessEnvironment());
        const QStringList pages = {QStringLiteral("provider"),
                                   QStringLiteral("database"),
                                   QStringLiteral("server"),
                                   QStringLiteral("general")};
        dialog.tabs()->setCurrentIndex(std::max<qsizetype>(0, pages.indexOf(parser.value(settingsPage))));
        dialog.show();
        if (!QTest::qWaitForWindowExposed(&dialog))
            qFatal("the dialog was not shown");
        if (!dialog.grab().save(output))
            qFatal("cannot write %s", qPrintable(output));
        return 0;
    }
    PollController poll(*database, settings);
    ConsoleContext context{*database, (*database)->url().redacted(), parser.isSet(demo)};
    if (context.demo && !parser.isSet(db))
        context.databaseLabel = QStringLiteral("sqlite:///home/operator/.local/share/batchdeck/demo/batchdeck-demo.db");
    MainWindow window(context, poll, settings);
    ConsoleNotifications notifications(window, poll, ConsoleNotifications::Presenter::Banner);
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
    if (parser.isSet(notify)) {
        // What a headless server does beside the console: it finishes storing a job's results. The
        // next tick finds it and the banner says so.
        auto other = Database::open((*database)->url());
        JobStore store(*other);
        JobFilter processing;
        processing.status = JobStatus::Processing;
        auto jobs = store.list(processing);
        if (!jobs || jobs->isEmpty())
            qFatal("no processing job to complete");
        const JobSnapshot job = jobs->first();
        JobUpdate changes;
        changes.set(JobField::ResultsSaved, job.requestTotal)
            .set(JobField::CompletedAt, QDateTime::currentMSecsSinceEpoch());
        auto done = store.transition({job.id,
                                      JobStatus::Processing,
                                      JobStatus::Completed,
                                      QStringLiteral("api"),
                                      QStringLiteral("results stored"),
                                      changes,
                                      {}});
        if (!done || !done->applied)
            qFatal("cannot complete job %lld", job.id);
        QSignalSpy raised(notifications.notifier(), &JobNotifier::noticesRaised);
        poll.tick();
        if (!raised.wait(10'000))
            qFatal("no notification");
    }
    QTest::qWait(500); // events arrive from the feed thread
    if (!window.grab().save(output))
        qFatal("cannot write %s", qPrintable(output));
    return 0;
}
