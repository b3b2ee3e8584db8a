#pragma once

#include <memory>

#include <QString>
#include <QUrl>

#include "ProcStats.h"
#include "batchtypes/BatchTypeRegistry.h"
#include "core/Result.h"
#include "store/JobSnapshot.h"

namespace batchdeck {
class BatchService;
class Database;
class OpenAiProvider;
} // namespace batchdeck

namespace batchdeck::bench {

// The batch type of the peer's fixed shape: every item's "title" becomes one chat-completions request
// with the same system and user messages as app.py sends, so both sides render, upload and get back
// the same requests. Registered next to the built-ins (the 200 MB figure uses the built-in "embed").
inline const QString kPeerShapedType = QStringLiteral("units");

BatchTypeRegistry benchBatchTypes();

// Batchdeck's engine as the front-ends use it: BatchService on a SQLite store, OpenAiProvider against
// the simulator's base URL. Every call blocks (QCoro::waitFor) and returns what it measured.
class EngineSide
{
public:
    EngineSide();
    ~EngineSide();

    Status open(const QString& databaseUrl, const QUrl& simulatorBaseUrl, const QString& workDir);

    Status importItems(const QString& runId, const QString& itemsPath);
    // render + write + upload + create.
    Result<Timing> submit(const QString& runId, const QString& batchType);
    // Asks status until the provider finished the batch (the job is PENDING_PROCESSING then).
    Status waitCompleted(const QString& runId, const QString& batchType, int timeoutMs);
    // download + parse + store.
    Result<Timing> process(const QString& runId, const QString& batchType, qint64* results = nullptr);

    Result<JobSnapshot> job(const QString& runId, const QString& batchType) const;
    Result<qint64> fileBytes(const QString& fileId);

private:
    BatchTypeRegistry m_types;
    std::shared_ptr<Database> m_database;
    std::unique_ptr<OpenAiProvider> m_provider;
    std::unique_ptr<BatchService> m_service;
};

} // namespace batchdeck::bench
