#include "SimulatorProcess.h"

#include <QJsonDocument>

#include "ApiClient.h"

namespace batchdeck::test {

bool SimulatorProcess::start(int phaseMs, const QProcessEnvironment& environment, const QStringList& extra)
{
    QStringList arguments{QStringLiteral("simulate"),
                          QStringLiteral("--listen"),
                          QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--phase-ms"),
                          QString::number(phaseMs)};
    arguments += extra;
    return m_process.start(arguments, environment, QStringLiteral("listening on (http://\\S+/v1)"));
}

bool SimulatorProcess::setFaults(const QJsonObject& faults)
{
    return ApiClient(port()).post("/_sim/faults", QJsonDocument(faults).toJson(QJsonDocument::Compact)).status == 200;
}

QJsonArray SimulatorProcess::batches()
{
    return ApiClient(port()).get("/_sim/batches").json().value(u"data").toArray();
}

int SimulatorProcess::batchesCreated()
{
    return ApiClient(port()).get("/_sim/batches").json().value(u"batches_created").toInt();
}

QJsonArray SimulatorProcess::batchesOfJob(qint64 jobId, int attempt)
{
    QJsonArray matching;
    const QJsonArray all = batches();
    for (const QJsonValue& batch : all) {
        const QJsonObject metadata = batch[u"metadata"].toObject();
        if (metadata.value(u"batchdeck_job_id").toString() != QString::number(jobId))
            continue;
        if (attempt > 0 && metadata.value(u"batchdeck_attempt").toString() != QString::number(attempt))
            continue;
        matching.append(batch);
    }
    return matching;
}

} // namespace batchdeck::test
