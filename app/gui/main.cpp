// batchdeck: the console. Wires the engine (a database, the poll controller, the engine thread that
// runs the operator's actions) to the window.
#include <cstdio>

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLabel>
#include <QMessageBox>
#include <QProcessEnvironment>
#include <QSettings>
#include <QStatusBar>

#include "AppEngine.h"
#include "ConsoleNotifications.h"
#include "ConsoleSettings.h"
#include "DemoDatabase.h"
#include "EngineActions.h"
#include "JobNotifier.h"
#include "MainWindow.h"
#include "PollController.h"
#include "ProviderChoice.h"
#include "SecretStore.h"
#include "SettingsDialog.h"
#include "SettingsLauncher.h"
#include "Translations.h"
#include "store/Database.h"

using namespace batchdeck;

namespace {

app::ProviderChoice providerChoice(const ConsoleSettings& settings, const QString& storedKey)
{
    app::ProviderChoice choice;
    switch (settings.providerKind) {
    case ConsoleSettings::ProviderKind::OpenAi:
        choice.kind = app::ProviderChoice::Kind::OpenAi;
        break;
    case ConsoleSettings::ProviderKind::Azure:
        choice.kind = app::ProviderChoice::Kind::Azure;
        break;
    case ConsoleSettings::ProviderKind::Compatible:
        choice.kind = app::ProviderChoice::Kind::Compatible;
        break;
    }
    choice.baseUrl = settings.providerBaseUrl;
    choice.azureEndpoint = settings.azureEndpoint;
    choice.azureApiVersion = settings.azureApiVersion;
    choice.storedKey = storedKey;
    return choice;
}

// The in-process HTTP API as the settings say, with its token from the keychain or, as for
// `batchdeck-cli serve`, from BATCHDECK_API_TOKEN.
void applyServerSettings(EngineActions& actions, const ConsoleSettings& values)
{
    ConsoleServerSettings server;
    server.enabled = values.serverEnabled;
    server.address = values.serverAddress;
    server.port = values.serverPort;
    if (!server.enabled || !values.serverTokenInKeychain) {
        server.token = qgetenv("BATCHDECK_API_TOKEN");
        actions.setServer(server);
        return;
    }
    SecretStore().read(ConsoleSettings::kServerTokenName, &actions, [&actions, server](Result<QString> token) mutable {
        // Without its token the server still refuses what it must (a non-loopback address); the
        // status bar shows why it is off.
        server.token = token ? token->toUtf8() : QByteArray();
        actions.setServer(server);
    });
}

int fail(const QString& message)
{
    // A console started from a desktop menu has no terminal: say it in a window too.
    std::fprintf(stderr, "batchdeck: %s\n", qPrintable(message));
    QMessageBox::critical(nullptr, QApplication::translate("main", "Batchdeck"), message);
    return 1;
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("batchdeck"));
    QApplication::setApplicationVersion(QStringLiteral(BATCHDECK_VERSION));

    // The console's own settings file (~/.config/batchdeck/console.ini), beside nothing else. The
    // language is chosen first, so even --help speaks it.
    QSettings settings(
        QSettings::IniFormat, QSettings::UserScope, QStringLiteral("batchdeck"), QStringLiteral("console"));
    const ConsoleSettings saved = ConsoleSettings::load(settings);
    installTranslations(app, saved.language);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Batchdeck: the console for LLM batch jobs."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption db(
        QStringLiteral("db"),
        QApplication::translate("main",
                                "Database URL: sqlite:///abs/path.db or postgresql://user:pass@host:port/dbname "
                                "(default: $BATCHDECK_DB, else a SQLite file in the user's data folder)."),
        QStringLiteral("url"));
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QApplication::translate("main", "Open the demo database (a sample run; no provider key needed)."));
    parser.addOption(db);
    parser.addOption(demo);
    parser.process(app);

    if (parser.isSet(db) && parser.isSet(demo))
        return fail(QApplication::translate("main", "--demo uses its own database: leave out --db."));

    // The database is opened here, for the poll controller (which reads it on a thread of its own);
    // the engine (BatchService, provider, the demo's simulator, the poller) is built on the engine
    // thread over the same database, with a connection of that thread.
    const bool demoMode = parser.isSet(demo);
    QString url = parser.value(db);
    if (demoMode)
        url = app::AppEngine::demoDatabaseUrl();
    if (url.isEmpty())
        url = QProcessEnvironment::systemEnvironment().value(QStringLiteral("BATCHDECK_DB"));
    if (url.isEmpty())
        url = saved.databaseUrl;
    if (url.isEmpty())
        url = DatabaseUrl::defaultUrl();
    if (demoMode)
        QDir().mkpath(app::AppEngine::demoFolder());
    auto opened = Database::open(url);
    if (!opened)
        return fail(opened.error().message);
    std::shared_ptr<Database> database = *opened;
    if (demoMode) {
        if (auto seeded = DemoDatabase::seedIfEmpty(database); !seeded)
            return fail(seeded.error().message);
    }

    app::AppEngineOptions engineOptions;
    engineOptions.demo = demoMode;
    engineOptions.database = database;
    EngineActionsOptions actionOptions;
    actionOptions.actor = EngineActions::operatorName();
    // In the demo the simulator's phases take seconds: look often, so the jobs move by themselves.
    actionOptions.pollerIntervalMs = demoMode ? 1000 : 15'000;
    // The provider from the settings, under the real environment (which wins, as for the CLI). The
    // key stored in the keychain is read before the engine starts; the engine thread reads this
    // environment only once start() has run.
    auto providerEnvironment = std::make_shared<QProcessEnvironment>(QProcessEnvironment::systemEnvironment());
    EngineActions actions(
        [engineOptions, providerEnvironment]() mutable {
            engineOptions.environment = *providerEnvironment;
            return app::AppEngine::open(engineOptions);
        },
        actionOptions);

    ConsoleContext context;
    context.database = database;
    context.databaseLabel = database->url().redacted();
    context.demo = demoMode;
    context.actions = &actions;

    PollController poll(context.database, settings);
    MainWindow window(context, poll, settings);
    ConsoleNotifications notifications(window, poll);
    SettingsLauncher::applyAtStart(saved, *notifications.notifier());
    SettingsLauncher settingsLauncher(window, poll, *notifications.notifier(), settings);
    settingsLauncher.setServerNote(
        QApplication::translate("main",
                                "While the console runs, it serves the same HTTP API as batchdeck-cli serve, over "
                                "this database and provider: point Airflow's connection at it."));
    auto* serverState = new QLabel(&window);
    window.statusBar()->addPermanentWidget(serverState);
    QObject::connect(&actions,
                     &EngineActions::serverChanged,
                     serverState,
                     [serverState](bool listening, const QString& url, const QString& error) {
                         if (listening)
                             serverState->setText(QApplication::translate("main", "HTTP API: %1").arg(url));
                         else if (!error.isEmpty())
                             serverState->setText(QApplication::translate("main", "HTTP API off: %1").arg(error));
                         else
                             serverState->clear();
                     });
    QObject::connect(&settingsLauncher, &SettingsLauncher::dialogOpened, &actions, [&actions](SettingsDialog* dialog) {
        QObject::connect(dialog, &SettingsDialog::settingsSaved, &actions, [&actions](const ConsoleSettings& values) {
            applyServerSettings(actions, values);
        });
    });
    window.show();
    poll.start();
    const auto startEngine = [&actions, providerEnvironment, saved](const QString& storedKey) {
        *providerEnvironment = providerChoice(saved, storedKey).applyTo(*providerEnvironment);
        actions.start();
        applyServerSettings(actions, saved);
    };
    if (demoMode || saved.keySource != ConsoleSettings::KeySource::Keychain) {
        startEngine({});
    } else {
        SecretStore().read(ConsoleSettings::kProviderKeyName, &actions, [startEngine](Result<QString> key) {
            // Without the key the console still shows jobs; the engine says what the provider refuses.
            startEngine(key ? *key : QString());
        });
    }
    return QApplication::exec();
}
