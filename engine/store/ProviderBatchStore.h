#pragma once

#include <memory>

#include <QJsonObject>
#include <QList>
#include <QString>

#include "core/Result.h"
#include "store/Clock.h"

namespace batchdeck {

class Database;

// One provider batch of a job (provider_batches): a job has one per attempt, more when split.
// A row is written before the provider is asked to create the batch ("creating"), so a process that
// dies between "create batch" and the database update leaves a trace that tells the next submit to
// look for the batch on the provider's side and adopt it instead of creating a duplicate.
struct ProviderBatchRecord
{
    qint64 id = 0;
    qint64 jobId = 0;
    int attempt = 1;
    int shard = 0;
    QString llmBatchId;
    QString inputFileId;
    QString outputFileId;
    QString errorFileId;
    QString providerStatus; // "creating" until the provider answered, then the provider's status
    qint64 requestTotal = 0;
    qint64 requestCompleted = 0;
    qint64 requestFailed = 0;
    QJsonObject raw; // the provider's whole Batch object
    qint64 createdAt = 0;
    qint64 updatedAt = 0;

    QJsonObject toJson() const;
};

class ProviderBatchStore
{
public:
    explicit ProviderBatchStore(std::shared_ptr<Database> database, const Clock& clock = Clock::system());

    // Inserts or updates the row of (job, attempt, shard) with every field of `record`.
    Result<ProviderBatchRecord> save(const ProviderBatchRecord& record);
    Result<std::optional<ProviderBatchRecord>> find(qint64 jobId, int attempt, int shard = 0) const;
    Result<QList<ProviderBatchRecord>> forJob(qint64 jobId) const;

private:
    std::shared_ptr<Database> m_database;
    const Clock& m_clock;
};

} // namespace batchdeck
