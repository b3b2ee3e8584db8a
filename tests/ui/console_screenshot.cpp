// Renders the console over a seeded store to a PNG, for the README and for looking at the window
// without a desktop. Not a test.
//   xvfb-run -a -s "-screen 0 1400x900x24" console_screenshot OUT.png
//     [--tab overview|errors|events|batches|requests] [--select submitted|failed|errors] [--demo] [--db URL]
//     [--notify] [--language pt_BR] [--settings provider|database|server|general]
// With --demo the window has the demo's engine over the store (its thread, the in-process
// simulator, no poller), so the actions are offered as in the console; the seeded jobs' request
// files are in the simulator, so their Request preview reads them back. --select errors picks a
// completed job with failed requests.
// scripts/screenshots.sh makes the README's set.
#include <numeric>

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "AppEngine.h"
#include "ConsoleFixtures.h"
#include "ConsoleNotifications.h"
#include "EngineActions.h"
#include "JobDetailsPanel.h"
#include "JobNotifier.h"
#include "JobTableModel.h"
#include "MainWindow.h"
#include "PollController.h"
#include "SettingsDialog.h"
#include "Translations.h"
#include "batchtypes/BatchTypeRegistry.h"
#include "service/RequestFileWriter.h"
#include "simulator/FileStore.h"
#include "store/Database.h"
#include "store/JobStore.h"

using namespace batchdeck;

namespace {

bool needsRoom(const QString& tab)
{
    return tab == u"errors" || tab == u"requests";
}

// Renders a seeded job's requests as its submit would and puts the file in the demo simulator's
// store (the simulator reads it back when the engine starts), so the job's input file exists there.
class SimulatorInputFiles
{
public:
    SimulatorInputFiles(std::shared_ptr<Database> database, const Clock& clock, const QString& stateDir)
        : m_database(std::move(database))
        , m_clock(clock)
        , m_types(BatchTypeRegistry::loadStandard())
        , m_files(stateDir + QStringLiteral("/files"))
        , m_staging(stateDir + QStringLiteral("/seed"))
    {
        if (Status opened = m_files.open(); !opened)
            qFatal("simulator files: %s", qPrintable(opened.error().message));
        QDir().mkpath(m_staging);
    }

    QString upload(qint64 jobId, const QString& runId, const QString& batchType)
    {
        auto type = m_types.find(batchType);
        if (!type)
            qFatal("%s", qPrintable(type.error().message));
        const QString name = QStringLiteral("%1-%2-attempt1.jsonl").arg(batchType).arg(jobId);
        auto written = RequestFileWriter(m_database, m_settings).write(runId, *type, m_staging + u'/' + name);
        if (!written)
            qFatal("request file of job %lld: %s", jobId, qPrintable(written.error().message));
        QFile file(written->path);
        if (!file.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(written->path));
        auto stored = m_files.addBytes(name, QStringLiteral("batch"), file.readAll(), m_clock.nowMs(), std::nullopt);
        if (!stored)
            qFatal("simulator file: %s", qPrintable(stored.error().message));
        file.remove();
        return stored->id;
    }

private:
    std::shared_ptr<Database> m_database;
    const Clock& m_clock;
    ServiceSettings m_settings;
    BatchTypeRegistry m_types;
    sim::FileStore m_files;
    QString m_staging;
};

} // namespace

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
    const QString simulatorDir = dir.filePath(QStringLiteral("simulator"));
    if (!parser.isSet(db)) {
        ManualClock clock(QDateTime::currentMSecsSinceEpoch() - 30'000);
        if (parser.isSet(demo)) {
            SimulatorInputFiles files(*database, clock, simulatorDir);
            test::seedRealisticStore(*database, clock, [&files](qint64 id, const QString& run, const QString& type) {
                return files.upload(id, run, type);
            });
        } else {
            test::seedRealisticStore(*database, clock);
        }
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
    // The demo's engine, as app/gui wires it: the actions the selected job allows are offered. No
    // poller: the seeded batches are not the simulator's, and the picture shows the store as seeded.
    std::unique_ptr<EngineActions> actions;
    if (context.demo) {
        app::AppEngineOptions engine;
        engine.database = *database;
        engine.demo = true;
        engine.demoStateDir = simulatorDir;
        EngineActionsOptions options;
        options.actor = QStringLiteral("operator");
        options.poller = false;
        actions = std::make_unique<EngineActions>([engine] { return app::AppEngine::open(engine); }, options);
        context.actions = actions.get();
    }
    MainWindow window(context, poll, settings);
    ConsoleNotifications notifications(window, poll, ConsoleNotifications::Presenter::Banner);
    window.resize(1400, 900);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        qFatal("the window was not shown");
    if (actions) {
        QSignalSpy started(actions.get(), &ConsoleActions::started);
        actions->start();
        if (!started.wait(10'000))
            qFatal("the engine did not start");
    }
    QSignalSpy polled(&poll, &PollController::polled);
    poll.start();
    if (!polled.wait(10'000))
        qFatal("no poll result");

    // The first job of the wanted status; for "errors", the completed job with the most failed requests.
    const QString selectName = parser.value(select);
    const JobStatus wanted = selectName == u"failed"   ? JobStatus::SubmissionFailed
                             : selectName == u"errors" ? JobStatus::Completed
                                                       : JobStatus::Submitted;
    QAbstractItemModel* model = window.jobView()->model();
    int chosen = -1;
    qint64 mostFailed = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(JobTableModel::StatusRole).toInt() != int(wanted))
            continue;
        const qint64 failed = index.data(JobTableModel::RequestFailedRole).toLongLong();
        if (selectName != u"errors") {
            chosen = row;
            break;
        }
        if (failed > mostFailed) {
            chosen = row;
            mostFailed = failed;
        }
    }
    if (chosen < 0)
        qFatal("no job to select");
    window.jobView()->selectRow(chosen);
    if (needsRoom(parser.value(tab))) {
        // The failed requests, or the request lines, get the room the jobs table can spare.
        if (auto* splitter = qobject_cast<QSplitter*>(window.details()->parentWidget())) {
            const QList<int> sizes = splitter->sizes();
            const int total = std::accumulate(sizes.begin(), sizes.end(), 0);
            splitter->setSizes({total * 15 / 100, total * 40 / 100, total * 45 / 100});
        }
    }
    window.jobView()->scrollTo(model->index(chosen, 0));
    const QString tabName = parser.value(tab);
    window.details()->tabs()->setCurrentIndex(tabName == u"errors"     ? JobDetailsPanel::ErrorsPage
                                              : tabName == u"events"   ? JobDetailsPanel::EventsPage
                                              : tabName == u"batches"  ? JobDetailsPanel::BatchesPage
                                              : tabName == u"requests" ? JobDetailsPanel::RequestPreviewPage
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
    QTest::qWait(800); // events arrive from the feed thread, pages from the engine thread
    if (!window.grab().save(output))
        qFatal("cannot write %s", qPrintable(output));
    return 0;
}
