#include "AppEngine.h"

#include <QDir>
#include <QProcessEnvironment>
#include <QStandardPaths>

#include "core/Logging.h"
#include "provider/OpenAiProvider.h"
#include "simulator/SimulatorServer.h"
#include "store/Database.h"
#include "store/DatabaseUrl.h"

namespace batchdeck::app {

QString AppEngine::demoFolder()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share/batchdeck");
    return dir + QStringLiteral("/demo");
}

QString AppEngine::demoDatabaseUrl()
{
    return QStringLiteral("sqlite://") + demoFolder() + QStringLiteral("/batchdeck-demo.db");
}

BatchProvider& AppEngine::provider()
{
    return *m_provider;
}

AppEngine::~AppEngine()
{
    // The service and the provider talk to the simulator: they go first.
    m_service.reset();
    m_provider.reset();
    m_simulator.reset();
}

Result<std::unique_ptr<AppEngine>> AppEngine::open(const AppEngineOptions& options)
{
    std::unique_ptr<AppEngine> engine(new AppEngine);
    const QProcessEnvironment& env = options.environment;

    if (options.database) {
        engine->m_database = options.database;
    } else {
        QString url = options.databaseUrl;
        if (url.isEmpty())
            url = options.demo ? demoDatabaseUrl() : env.value(QStringLiteral("BATCHDECK_DB"));
        if (url.isEmpty())
            url = DatabaseUrl::defaultUrl();
        auto database = Database::open(url);
        if (!database)
            return database.error();
        engine->m_database = *database;
    }

    engine->m_batchTypes = BatchTypeRegistry::loadStandard(options.batchTypesDir);
    for (const BatchTypeProblem& problem : engine->m_batchTypes.problems())
        qCWarning(lcService).noquote() << problem.toString();

    OpenAiConfig provider = OpenAiConfig::fromEnvironment(env);
    ServiceSettings settings;
    // Operators' knobs, and how tests shorten the wait for a dead worker's lease.
    const auto fromEnv = [&env](const char* name, qint64& value) {
        bool ok = false;
        const qint64 given = env.value(QString::fromLatin1(name)).toLongLong(&ok);
        if (ok && given >= 0)
            value = given;
    };
    fromEnv("BATCHDECK_SUBMIT_LEASE_MS", settings.submitLeaseMs);
    fromEnv("BATCHDECK_PROCESS_LEASE_MS", settings.processLeaseMs);
    fromEnv("BATCHDECK_STATUS_INTERVAL_MS", settings.statusIntervalMs);
    if (options.demo) {
        sim::SimulatorOptions simulatorOptions;
        simulatorOptions.phaseMs = options.demoPhaseMs;
        simulatorOptions.stateDir =
            options.demoStateDir.isEmpty() ? demoFolder() + QStringLiteral("/simulator") : options.demoStateDir;
        engine->m_simulator = std::make_unique<sim::SimulatorServer>(simulatorOptions);
        auto port = engine->m_simulator->listen();
        if (!port)
            return makeError(port.error().kind,
                             QStringLiteral("cannot start the demo simulator: ") + port.error().message);
        provider = OpenAiConfig();
        provider.baseUrl = engine->m_simulator->baseUrl();
        provider.apiKey = QStringLiteral("sk-demo");
        settings.statusIntervalMs = std::min<qint64>(settings.statusIntervalMs, 1000);
    }
    if (auto valid = provider.validate(); !valid)
        return valid.error();
    engine->m_provider = std::make_unique<OpenAiProvider>(provider);
    engine->m_service =
        std::make_unique<BatchService>(engine->m_database, engine->m_batchTypes, *engine->m_provider, settings);
    return engine;
}

} // namespace batchdeck::app
