#pragma once

#include <memory>

#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include "SimulatorProcess.h"

namespace batchdeck {
class Database;
}

namespace batchdeck::faults {

// What one finished batchdeck-cli run left.
struct CliRun
{
    int exitCode = -1; // -1: it did not finish in time, or crashed
    QByteArray out;
    QByteArray err;
};

// How a run that the campaign meant to kill ended.
struct KilledRun
{
    bool killed = false;     // still running when the SIGKILL came (false: it had finished by then)
    QString lastStep;        // the last "step:" line it printed (upload, create, store-batch, download, ...)
    qint64 msAfterStep = -1; // from the aimed step (or the start) to the kill or the end
    int exitCode = -1;       // when it finished on its own
    QByteArray err;
};

// One scenario's world: a temporary folder, a fresh database (SQLite or a schema of the shared
// PostgreSQL, per BATCHDECK_TEST_BACKEND, or a given URL), a simulator process, and batchdeck-cli
// runs against both with short leases so that a killed worker blocks a job for a second only.
class CampaignEnvironment
{
public:
    // `databaseUrl` empty: a fresh test database. `phaseMs`: the simulator's phase length.
    bool start(QString* error, int phaseMs = 30, const QString& databaseUrl = {});

    QString databaseUrl() const { return m_databaseUrl; }
    test::SimulatorProcess& simulator() { return *m_simulator; }
    std::shared_ptr<Database> database();
    QString path(const QString& name) const { return m_dir.filePath(name); }

    // The environment every batchdeck-cli child gets; service "step:" lines are switched on.
    QProcessEnvironment cliEnvironment() const;
    std::unique_ptr<QProcess> startCli(const QStringList& arguments) const;
    CliRun runCli(const QStringList& arguments, int timeoutMs = 180'000) const;
    // Runs a command until it exits 0, waiting while another worker holds the job (exit 4) and
    // repeating it after provider trouble (exit 6), as a scheduler's retry would; the final run.
    CliRun runUntilDone(const QStringList& arguments, int* busy = nullptr, int* retried = nullptr) const;

    // Imports `count` items ("k0".."kN") into a run through `batchdeck-cli import`.
    bool importItems(const QString& runId, int count, const QString& textPrefix = QStringLiteral("text"));

    // Reads the run's "step:" lines until `step` (empty: none), waits `delayMs`, then SIGKILLs it.
    KilledRun killAfterStep(std::unique_ptr<QProcess> process, const QString& step, int delayMs) const;

    // `batchdeck-cli serve --listen 127.0.0.1:0 extra...` on this environment (or `databaseUrl`), once ready.
    // `unset`: variables of cliEnvironment() the server should not get.
    std::unique_ptr<test::CliProcess>
    startServe(const QStringList& extra = {}, const QString& databaseUrl = {}, const QStringList& unset = {}) const;

    static constexpr int kLeaseMs = 800;

private:
    QTemporaryDir m_dir;
    QString m_databaseUrl;
    std::unique_ptr<test::SimulatorProcess> m_simulator;
    std::shared_ptr<Database> m_database;
};

} // namespace batchdeck::faults
