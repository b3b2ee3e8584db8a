#include "EngineSide.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QThread>
#include <qcoro/qcorotask.h>

#include "provider/OpenAiProvider.h"
#include "service/BatchService.h"
#include "store/Database.h"
#include "store/ItemImporter.h"
#include "store/JobStore.h"

namespace batchdeck::bench {

BatchTypeRegistry benchBatchTypes()
{
    // The built-ins only (not the user's config folder), so every machine measures the same types.
    const BatchTypeRegistry builtIns = BatchTypeRegistry::load({{BatchTypeRegistry::builtInFolder(), true}});
    BatchType units;
    units.name = kPeerShapedType;
    units.description = QStringLiteral("The Python peer's fixed batch type: a curricular unit per item title");
    units.endpoint = Endpoint::ChatCompletions;
    units.model = QStringLiteral("gpt-4o-mini");
    units.keep = KeepMode::Text;
    units.requestTemplate =
        QJsonObject{{QStringLiteral("messages"),
                     QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                            {QStringLiteral("content"), QStringLiteral("You write curricular units.")}},
                                QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                            {QStringLiteral("content"), QStringLiteral("Topic: {{item.title}}")}}}}};
    QList<BatchType> types = builtIns.types();
    types.append(units);
    return BatchTypeRegistry::fromTypes(types);
}

EngineSide::EngineSide()
    : m_types(benchBatchTypes())
{}

EngineSide::~EngineSide() = default;

Status EngineSide::open(const QString& databaseUrl, const QUrl& simulatorBaseUrl, const QString& workDir)
{
    auto opened = Database::open(databaseUrl);
    if (!opened)
        return opened.error();
    m_database = *opened;
    OpenAiConfig config;
    config.baseUrl = simulatorBaseUrl;
    config.apiKey = QStringLiteral("sk-bench-batchdeck");
    config.transferTimeoutMs = 600'000;
    m_provider = std::make_unique<OpenAiProvider>(config);
    ServiceSettings settings;
    settings.statusIntervalMs = 0; // every status call asks the simulator
    settings.workDir = workDir;
    m_service = std::make_unique<BatchService>(m_database, m_types, *m_provider, settings);
    return {};
}

Status EngineSide::importItems(const QString& runId, const QString& itemsPath)
{
    auto imported = ItemImporter(m_database).importFile(runId, itemsPath);
    if (!imported)
        return imported.error();
    return {};
}

Result<Timing> EngineSide::submit(const QString& runId, const QString& batchType)
{
    const QString actor = QStringLiteral("bench");
    flushDirtyPages();
    const double cpuBefore = selfCpuSeconds();
    QElapsedTimer timer;
    timer.start();
    auto outcome = QCoro::waitFor(m_service->submit(runId, batchType, actor));
    const Timing timing{timer.nsecsElapsed() / 1e9, selfCpuSeconds() - cpuBefore};
    if (!outcome)
        return outcome.error();
    if (outcome->skipped)
        return makeError(ErrorKind::Conflict, QStringLiteral("submit of %1 was skipped").arg(runId));
    return timing;
}

Status EngineSide::waitCompleted(const QString& runId, const QString& batchType, int timeoutMs)
{
    const QString actor = QStringLiteral("bench");
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < timeoutMs) {
        auto status = QCoro::waitFor(m_service->status(runId, batchType, actor));
        if (!status)
            return status.error();
        const QString llmStatus = status->value(QStringLiteral("llm_status")).toString();
        if (llmStatus == QStringLiteral("completed"))
            return {};
        if (llmStatus == QStringLiteral("failed"))
            return makeError(
                ErrorKind::ProviderPermanent,
                QStringLiteral("the batch of %1 failed: %2")
                    .arg(
                        runId,
                        status->value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString()));
        QThread::msleep(100);
    }
    return makeError(ErrorKind::ProviderTransient,
                     QStringLiteral("the batch of %1 did not complete in %2 ms").arg(runId).arg(timeoutMs));
}

Result<Timing> EngineSide::process(const QString& runId, const QString& batchType, qint64* results)
{
    const QString actor = QStringLiteral("bench");
    flushDirtyPages();
    const double cpuBefore = selfCpuSeconds();
    QElapsedTimer timer;
    timer.start();
    auto outcome = QCoro::waitFor(m_service->process(runId, batchType, actor));
    const Timing timing{timer.nsecsElapsed() / 1e9, selfCpuSeconds() - cpuBefore};
    // The WAL checkpoint runs after the answer (DeferredCheckpoint): not part of the figure, but
    // finished before the next step so that it never shares the machine with the peer's clock.
    m_service->waitForBackgroundWork();
    if (!outcome)
        return outcome.error();
    if (outcome->skipped)
        return makeError(ErrorKind::Conflict, QStringLiteral("process of %1 was skipped").arg(runId));
    if (results)
        *results = outcome->resultsSaved;
    return timing;
}

Result<JobSnapshot> EngineSide::job(const QString& runId, const QString& batchType) const
{
    auto found = JobStore(m_database).find(runId, batchType);
    if (!found)
        return found.error();
    if (!found->has_value())
        return makeError(ErrorKind::NotFound, QStringLiteral("no job %1/%2").arg(runId, batchType));
    return found->value();
}

Result<qint64> EngineSide::fileBytes(const QString& fileId)
{
    auto file = QCoro::waitFor(m_provider->getFile(fileId));
    if (!file)
        return Error(file.error());
    return file->bytes;
}

} // namespace batchdeck::bench
