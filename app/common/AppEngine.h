#pragma once

#include <memory>

#include <QProcessEnvironment>
#include <QString>

#include "batchtypes/BatchTypeRegistry.h"
#include "core/Result.h"
#include "service/BatchService.h"

namespace batchdeck {
class BatchProvider;
class Database;
class OpenAiProvider;
namespace sim {
class SimulatorServer;
}
} // namespace batchdeck

namespace batchdeck::app {

struct AppEngineOptions
{
    QString databaseUrl; // empty: $BATCHDECK_DB, else the default file (or the demo database in demo mode)
    std::shared_ptr<Database> database; // an open database to use instead of databaseUrl (the console's)
    QString batchTypesDir;     // --batch-types: more batch type definitions, overriding built-ins and user ones
    bool demo = false;         // the in-process simulator and the demo database: no key, no network
    qint64 demoPhaseMs = 3000; // each simulated phase in demo mode (validating, in progress, finalizing)
    // Where the provider, the database URL and the operators' knobs are read from; the console puts
    // its provider settings in (ProviderChoice::applyTo).
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QString demoStateDir; // where the demo simulator keeps its files; empty: demoFolder() + "/simulator"
};

// Everything a front-end needs, wired once: the database, the batch types, the provider (OpenAI from
// the environment, or the demo's in-process simulator) and the BatchService over them. The console,
// the CLI and the server build their engine here, so they configure it the same way.
class AppEngine
{
public:
    static Result<std::unique_ptr<AppEngine>> open(const AppEngineOptions& options);
    ~AppEngine();

    BatchService& service() { return *m_service; }
    BatchProvider& provider(); // for metrics of its calls (callFinished)
    std::shared_ptr<Database> database() const { return m_database; }
    const BatchTypeRegistry& batchTypes() const { return m_batchTypes; }
    bool isDemo() const { return m_simulator != nullptr; }

    // The demo's folder in the user's data folder: its database and the simulator's state, so a demo
    // spans several CLI calls and console sessions.
    static QString demoFolder();
    static QString demoDatabaseUrl();

private:
    AppEngine() = default;

    std::unique_ptr<sim::SimulatorServer> m_simulator;
    std::shared_ptr<Database> m_database;
    BatchTypeRegistry m_batchTypes;
    std::unique_ptr<OpenAiProvider> m_provider;
    std::unique_ptr<BatchService> m_service;
};

} // namespace batchdeck::app
