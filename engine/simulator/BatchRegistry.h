#pragma once

#include <map>
#include <memory>
#include <optional>

#include <QHash>
#include <QList>
#include <QString>

#include "core/Result.h"
#include "simulator/BatchPlan.h"
#include "simulator/BatchRecord.h"

namespace batchdeck::sim {

class FileStore;
struct SimulatorFaults;

struct CreateBatchParams
{
    QString inputFileId;
    QString endpoint;
    QString completionWindow;
    QJsonValue metadata;
    std::optional<qint64> outputExpiresAfterSeconds;
};

// The batches and their lifecycle. State is a function of time: each batch has a schedule fixed at
// creation (validating for one phase, in_progress for one, finalizing for one; expiry at
// created + expiryMs; cancelling for one phase after a cancel), and advance(now) applies every
// transition that is due, in time order across batches, with the scheduled time as its timestamp.
// So results do not depend on when clients poll, and a restart picks up where the clock is.
//
// Expiry only cuts a batch short while in_progress (a batch past expires_at still validating
// expires right when validation ends); finalizing always completes.
class BatchRegistry
{
public:
    BatchRegistry(QString directory, FileStore& files, quint64 seed);
    ~BatchRegistry();

    Status open(); // loads batches of an earlier run

    BatchRecord create(const CreateBatchParams& params, qint64 nowMs, qint64 phaseMs, qint64 expiryMs);
    void advance(qint64 nowMs, const SimulatorFaults& faults);
    // NotFound, or Conflict for a batch that is already completed, failed or expired.
    Result<BatchRecord> cancel(const QString& id, qint64 nowMs);

    const BatchRecord* find(const QString& id) const;
    QList<const BatchRecord*> newestFirst() const;
    int count() const { return int(m_records.size()); }

    BatchProgress progress(const BatchRecord& record, qint64 nowMs) const;
    QJsonObject toApiJson(const BatchRecord& record, qint64 nowMs, bool emptyStringFileIds) const;

private:
    enum class EventKind
    {
        Validate,
        Finalize,
        Complete,
        Expire,
        Cancelled,
    };
    struct Event
    {
        qint64 atMs = 0;
        EventKind kind = EventKind::Validate;
    };

    std::optional<Event> nextEvent(const BatchRecord& record) const;
    void apply(BatchRecord& record, const Event& event, const SimulatorFaults& faults);
    void validate(BatchRecord& record, qint64 atMs, const SimulatorFaults& faults);
    void fail(BatchRecord& record, qint64 atMs, const QJsonArray& errors);
    void finish(BatchRecord& record, qint64 atMs, int executed, const QString& stopCode, const QString& stopMessage);
    int executedAt(const BatchRecord& record, qint64 nowMs) const;
    qint64 enqueuedTokens(const QString& model) const;
    void persist(const BatchRecord& record) const;
    QString recordPath(const QString& id) const;
    QString planPath(const QString& id) const;

    QString m_dir;
    FileStore& m_files;
    quint64 m_seed;
    qint64 m_nextSeq = 1;
    QHash<QString, BatchRecord> m_records;
    std::map<QString, std::unique_ptr<BatchPlan>> m_plans; // batches that passed validation and are not terminal
};

} // namespace batchdeck::sim
