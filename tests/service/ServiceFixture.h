#pragma once

#include <QBuffer>
#include <QTest>
#include <qcoro/qcorotask.h>

#include "TestDatabase.h"
#include "batchtypes/BatchTypeRegistry.h"
#include "provider/OpenAiProvider.h"
#include "service/BatchService.h"
#include "simulator/SimulatorServer.h"
#include "store/Database.h"
#include "store/ItemImporter.h"
#include "store/JobStore.h"

namespace batchdeck::test {

// The whole engine against a real simulator over loopback, on the backend of BATCHDECK_TEST_BACKEND.
struct ServiceFixture
{
    QTemporaryDir dir;
    std::shared_ptr<Database> db;
    std::unique_ptr<sim::SimulatorServer> simulator;
    std::unique_ptr<OpenAiProvider> provider;
    BatchTypeRegistry types = BatchTypeRegistry::loadStandard();
    std::unique_ptr<BatchService> service;
    ServiceSettings settings = immediateStatus(); // change before start()
    const Clock* clock = &Clock::system();        // change before start()

    static ServiceSettings immediateStatus()
    {
        ServiceSettings settings;
        settings.statusIntervalMs = 0; // every status call asks the simulator
        return settings;
    }

    // Returns an empty string on success, else what went wrong.
    QString start(sim::SimulatorOptions options = fastSimulator())
    {
        const QString url = freshDatabaseUrl(dir);
        if (url.isEmpty())
            return QStringLiteral("BATCHDECK_TEST_PG_URL is not set: run the PostgreSQL tests through ./test.sh");
        auto opened = Database::open(url);
        if (!opened)
            return opened.error().message;
        db = *opened;
        simulator = std::make_unique<sim::SimulatorServer>(options);
        auto port = simulator->listen();
        if (!port)
            return port.error().message;
        OpenAiConfig config;
        config.baseUrl = simulator->baseUrl();
        config.apiKey = QStringLiteral("sk-test-fixture");
        config.retry.maxAttempts = 6;
        config.retry.backoffBaseMs = 5;
        config.retry.backoffCapMs = 50;
        provider = std::make_unique<OpenAiProvider>(config);
        settings.workDir = dir.filePath(QStringLiteral("work"));
        service = std::make_unique<BatchService>(db, types, *provider, settings, *clock);
        return {};
    }

    static sim::SimulatorOptions fastSimulator()
    {
        sim::SimulatorOptions options;
        options.phaseMs = 20;
        return options;
    }

    // Imports `count` items {"id": "item-N", "text": ...} into `run`.
    bool importItems(const QString& run, int count, const QString& extraText = {})
    {
        QByteArray text;
        for (int i = 0; i < count; ++i)
            text +=
                QStringLiteral(
                    "{\"id\":\"item-%1\",\"text\":\"Document %1 says \\\"hello\\\" %2 \\u00e9\\u00e8 \\ud83c\\udf89\"}")
                    .arg(i)
                    .arg(extraText)
                    .toUtf8() +
                '\n';
        QBuffer buffer(&text);
        buffer.open(QIODevice::ReadOnly);
        auto imported =
            ItemImporter(db).importDevice(run, buffer, ItemFormat::Jsonl, QStringLiteral("id"), QStringLiteral("test"));
        if (!imported)
            qWarning() << imported.error().message;
        return imported.ok();
    }

    JobSnapshot job(const QString& run, const QString& type)
    {
        auto found = JobStore(db).find(run, type);
        return found && found->has_value() ? found->value() : JobSnapshot{};
    }

    // Imports `items` items into `run`, submits `type` and waits until the provider finished the batch
    // with success. Returns an empty string on success, else what went wrong.
    QString submitUntilCompleted(const QString& run, const QString& type, int items)
    {
        if (!importItems(run, items))
            return QStringLiteral("the items were not imported");
        auto submitted = QCoro::waitFor(service->submit(run, type, QStringLiteral("test")));
        if (!submitted)
            return QStringLiteral("submit failed: ") + submitted.error().message;
        const QString outcome = waitUntilTerminal(run, type).value(QStringLiteral("outcome")).toString();
        return outcome == QStringLiteral("success") ? QString() : QStringLiteral("the batch ended ") + outcome;
    }

    // Polls status until the provider is done with the job (or ~10 s pass).
    QJsonObject waitUntilTerminal(const QString& run, const QString& type)
    {
        QJsonObject body;
        for (int i = 0; i < 500; ++i) {
            auto status = QCoro::waitFor(service->status(run, type, QStringLiteral("test")));
            if (!status) {
                qWarning() << status.error().message;
                return {};
            }
            body = *status;
            if (body.value(QStringLiteral("terminal")).toBool())
                return body;
            QTest::qWait(20);
        }
        return body;
    }
};

} // namespace batchdeck::test
