#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QStringList>

#include "CliProcess.h"

namespace batchdeck::test {

// `batchdeck-cli simulate` on a free loopback port, and its admin endpoints (/_sim): the faults to
// inject, and the batches that really exist, which is how tests count duplicates.
class SimulatorProcess
{
public:
    bool start(int phaseMs, const QProcessEnvironment& environment, const QStringList& extra = {});

    QString baseUrl() const { return m_process.url(); } // http://127.0.0.1:PORT/v1
    quint16 port() const { return m_process.port(); }
    QProcess& process() { return m_process.process(); }

    // POST /_sim/faults with these keys (fail_429_ratio, stall_ms, create_delay_ms, ...).
    bool setFaults(const QJsonObject& faults);
    // Every batch (full objects, newest first), from GET /_sim/batches.
    QJsonArray batches();
    int batchesCreated();
    // The batches whose metadata names this job (and this attempt, when attempt > 0).
    QJsonArray batchesOfJob(qint64 jobId, int attempt = 0);

private:
    CliProcess m_process;
};

} // namespace batchdeck::test
