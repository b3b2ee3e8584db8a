#pragma once

#include <memory>
#include <optional>

#include <QString>
#include <QStringList>

namespace batchdeck {
class Database;
}

namespace batchdeck::faults {

// A job as the database holds it, read with plain SQL so that the audit does not trust the engine's
// own readers.
struct JobRow
{
    qint64 id = 0;
    QString status;
    int attempt = 0;
    QString llmBatchId;
    QString leaseOwner;
    qint64 resultsSaved = 0;
};

struct ResultCounts
{
    qint64 rows = 0;
    qint64 distinctCustomIds = 0;
    qint64 errors = 0;
};

// Reads what the campaign checks after every fault: the job's row and events, its result rows.
class JobAudit
{
public:
    explicit JobAudit(std::shared_ptr<Database> database);

    std::optional<JobRow> job(const QString& runId, const QString& batchType) const;
    ResultCounts results(qint64 jobId) const;
    // Events whose from -> to is not an edge of design.md's state machine, events that do not follow
    // on from the one before, and a job status other than the last event's; as text, empty when fine.
    QStringList illegalTransitions(qint64 jobId) const;
    // Whether the job ever went to SUBMISSION_FAILED.
    bool everFailed(qint64 jobId) const;

    // The design's state machine (design.md, "Job lifecycle"), kept here on its own so that the
    // campaign checks the engine against the design, not against the engine's table.
    static bool isLegal(const QString& from, const QString& to);
    static bool isKnownStatus(const QString& status);

private:
    std::shared_ptr<Database> m_database;
};

} // namespace batchdeck::faults
