#include "JobAudit.h"

#include <QSqlDatabase>
#include <QSqlQuery>

#include "store/Database.h"
#include "store/SqlSupport.h"

namespace batchdeck::faults {

namespace {

struct Edge
{
    const char16_t* from;
    const char16_t* to;
};

// design.md, "Job lifecycle", edge by edge.
constexpr Edge kEdges[] = {
    {u"", u"PENDING_SUBMISSION"},                  // created
    {u"PENDING_SUBMISSION", u"SUBMITTED"},         // submit ok
    {u"PENDING_SUBMISSION", u"SUBMISSION_FAILED"}, // permanent error
    {u"SUBMITTED", u"PENDING_PROCESSING"},         // provider completed
    {u"SUBMITTED", u"SUBMISSION_FAILED"},          // provider failed, cancelled, expired
    {u"SUBMISSION_FAILED", u"PENDING_SUBMISSION"}, // retry (operator)
    {u"SUBMISSION_FAILED", u"PENDING_PROCESSING"}, // harvest (operator)
    {u"PENDING_PROCESSING", u"PROCESSING"},        // claim
    {u"PROCESSING", u"COMPLETED"},                 // results stored
    {u"PROCESSING", u"PENDING_PROCESSING"},        // error or lease expired
};

constexpr const char16_t* kStatuses[] = {
    u"PENDING_SUBMISSION", u"SUBMITTED", u"SUBMISSION_FAILED", u"PENDING_PROCESSING", u"PROCESSING", u"COMPLETED"};

} // namespace

JobAudit::JobAudit(std::shared_ptr<Database> database)
    : m_database(std::move(database))
{}

bool JobAudit::isKnownStatus(const QString& status)
{
    for (const char16_t* known : kStatuses) {
        if (status == QStringView(known))
            return true;
    }
    return false;
}

bool JobAudit::isLegal(const QString& from, const QString& to)
{
    if (from == to && isKnownStatus(to))
        return true; // an event that records something without a transition (a lease taken over)
    for (const Edge& edge : kEdges) {
        if (from == QStringView(edge.from) && to == QStringView(edge.to))
            return true;
    }
    return false;
}

std::optional<JobRow> JobAudit::job(const QString& runId, const QString& batchType) const
{
    auto db = m_database->connection();
    if (!db)
        return std::nullopt;
    auto query = sql::exec(*db,
                           QStringLiteral("SELECT id, status, attempt, llm_batch_id, lease_owner, results_saved"
                                          " FROM pipeline_batch_jobs WHERE run_id = ? AND batch_type = ?"),
                           {runId, batchType});
    if (!query || !query->next())
        return std::nullopt;
    JobRow row;
    row.id = query->value(0).toLongLong();
    row.status = query->value(1).toString();
    row.attempt = query->value(2).toInt();
    row.llmBatchId = query->value(3).toString();
    row.leaseOwner = query->value(4).toString();
    row.resultsSaved = query->value(5).toLongLong();
    return row;
}

ResultCounts JobAudit::results(qint64 jobId) const
{
    ResultCounts counts;
    auto db = m_database->connection();
    if (!db)
        return counts;
    auto query = sql::exec(*db,
                           QStringLiteral("SELECT COUNT(*), COUNT(DISTINCT custom_id),"
                                          " COALESCE(SUM(CASE WHEN ok = 0 THEN 1 ELSE 0 END), 0)"
                                          " FROM batch_results WHERE job_id = ?"),
                           {jobId});
    if (query && query->next()) {
        counts.rows = query->value(0).toLongLong();
        counts.distinctCustomIds = query->value(1).toLongLong();
        counts.errors = query->value(2).toLongLong();
    }
    return counts;
}

QStringList JobAudit::illegalTransitions(qint64 jobId) const
{
    QStringList illegal;
    auto db = m_database->connection();
    if (!db)
        return {QStringLiteral("cannot read the events: ") + db.error().message};
    auto query = sql::exec(
        *db,
        QStringLiteral(
            "SELECT COALESCE(from_status, ''), to_status, message FROM job_events WHERE job_id = ? ORDER BY id"),
        {jobId});
    if (!query)
        return {QStringLiteral("cannot read the events: ") + query.error().message};
    QString previous;
    while (query->next()) {
        const QString from = query->value(0).toString();
        const QString to = query->value(1).toString();
        if (!isLegal(from, to))
            illegal << QStringLiteral("%1 -> %2 (%3)").arg(from, to, query->value(2).toString());
        // Each event starts where the last one ended: no transition happened without its event.
        if (!previous.isEmpty() && from != previous)
            illegal << QStringLiteral("event from %1 after the job was %2").arg(from, previous);
        previous = to;
    }
    auto current = sql::exec(*db, QStringLiteral("SELECT status FROM pipeline_batch_jobs WHERE id = ?"), {jobId});
    if (current && current->next() && current->value(0).toString() != previous)
        illegal
            << QStringLiteral("the job is %1 but its last event says %2").arg(current->value(0).toString(), previous);
    return illegal;
}

bool JobAudit::everFailed(qint64 jobId) const
{
    auto db = m_database->connection();
    if (!db)
        return false;
    auto query = sql::exec(
        *db,
        QStringLiteral("SELECT COUNT(*) FROM job_events WHERE job_id = ? AND to_status = 'SUBMISSION_FAILED'"),
        {jobId});
    return query && query->next() && query->value(0).toLongLong() > 0;
}

} // namespace batchdeck::faults
