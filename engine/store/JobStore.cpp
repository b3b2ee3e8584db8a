#include "JobStore.h"

#include <QSqlQuery>
#include <QSqlRecord>

#include "core/Json.h"
#include "core/Names.h"
#include "store/Database.h"
#include "store/RunStore.h"
#include "store/SqlSupport.h"
#include "store/Transaction.h"

namespace batchdeck {

namespace {

const QString kJobColumns = QStringLiteral(
    "id, run_id, batch_type, status, attempt, llm_batch_id, input_file_id, output_file_id, error_file_id,"
    " provider_status, request_total, request_completed, request_failed, results_saved, result_errors,"
    " error_details, lease_owner, lease_until, created_at, updated_at, submitted_at, completed_at,"
    " provider_checked_at, provider_expires_at");

JobSnapshot jobFromRow(const QSqlQuery& q)
{
    JobSnapshot job;
    job.id = q.value(0).toLongLong();
    job.runId = q.value(1).toString();
    job.batchType = q.value(2).toString();
    job.status = jobStatusFromString(q.value(3).toString()).value_or(JobStatus::PendingSubmission);
    job.attempt = q.value(4).toInt();
    job.llmBatchId = q.value(5).toString();
    job.inputFileId = q.value(6).toString();
    job.outputFileId = q.value(7).toString();
    job.errorFileId = q.value(8).toString();
    job.providerStatus = q.value(9).toString();
    job.requestTotal = q.value(10).toLongLong();
    job.requestCompleted = q.value(11).toLongLong();
    job.requestFailed = q.value(12).toLongLong();
    job.resultsSaved = q.value(13).toLongLong();
    job.resultErrors = q.value(14).toLongLong();
    job.errorDetails = json::parseObject(q.value(15).toString().toUtf8());
    job.leaseOwner = q.value(16).toString();
    job.leaseUntil = q.value(17).toLongLong();
    job.createdAt = q.value(18).toLongLong();
    job.updatedAt = q.value(19).toLongLong();
    job.submittedAt = q.value(20).toLongLong();
    job.completedAt = q.value(21).toLongLong();
    job.providerCheckedAt = q.value(22).toLongLong();
    job.providerExpiresAt = q.value(23).toLongLong();
    return job;
}

Status insertEvent(const QSqlDatabase& db,
                   qint64 jobId,
                   qint64 at,
                   const QVariant& from,
                   JobStatus to,
                   const QString& actor,
                   const QString& message)
{
    auto inserted = sql::exec(
        db,
        QStringLiteral(
            "INSERT INTO job_events (job_id, at, from_status, to_status, actor, message) VALUES (?, ?, ?, ?, ?, ?)"),
        {jobId,
         at,
         from,
         statusName(to),
         actor.isEmpty() ? QStringLiteral("unknown") : actor,
         message.isNull() ? QStringLiteral("") : message});
    if (!inserted)
        return inserted.error();
    return {};
}

// "SET a = ?, b = ?" for the changed fields, with their values appended to `values`.
QString assignments(const JobUpdate& changes, QVariantList& values)
{
    QString text;
    for (const auto& [field, value] : changes.fields()) {
        text += QStringLiteral(", ") + QLatin1String(columnName(field)) + QStringLiteral(" = ?");
        values.append(value);
    }
    return text;
}

} // namespace

Result<bool> JobStore::updateOne(const QString& statement, const QVariantList& values) const
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    auto updated = sql::exec(*db, statement, values);
    if (!updated)
        return updated.error();
    return updated->numRowsAffected() == 1;
}

JobStore::JobStore(std::shared_ptr<Database> database, const Clock& clock)
    : m_database(std::move(database))
    , m_clock(clock)
{}

Result<JobSnapshot> JobStore::createOrGet(const QString& runId, const QString& batchType, const QString& actor)
{
    if (auto valid = validateRunId(runId); !valid)
        return valid.error();
    if (auto valid = validateBatchTypeName(batchType); !valid)
        return valid.error();
    auto existing = find(runId, batchType);
    if (!existing)
        return existing.error();
    if (existing->has_value())
        return existing->value();

    auto db = m_database->connection();
    if (!db)
        return db.error();
    auto tx = Transaction::begin(*db);
    if (!tx)
        return tx.error();
    const qint64 now = m_clock.nowMs();
    if (auto run = RunStore::ensureRun(*db, runId, now); !run)
        return run.error();
    auto inserted = sql::exec(*db,
                              QStringLiteral("INSERT INTO pipeline_batch_jobs (run_id, batch_type, status, attempt,"
                                             " created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)"
                                             " ON CONFLICT (run_id, batch_type) DO NOTHING RETURNING id"),
                              {runId, batchType, statusName(JobStatus::PendingSubmission), now, now});
    if (!inserted)
        return inserted.error();
    if (inserted->next()) {
        const qint64 id = inserted->value(0).toLongLong();
        inserted->finish();
        if (auto event = insertEvent(
                *db, id, now, QVariant(), JobStatus::PendingSubmission, actor, QStringLiteral("job created"));
            !event)
            return event.error();
    } else {
        inserted->finish();
    }
    if (auto committed = tx->commit(); !committed)
        return committed.error();

    auto created = find(runId, batchType);
    if (!created)
        return created.error();
    if (!created->has_value())
        return makeError(ErrorKind::Internal, QStringLiteral("job vanished right after it was created"));
    return created->value();
}

Result<JobSnapshot> JobStore::job(qint64 jobId) const
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    auto q =
        sql::exec(*db,
                  QStringLiteral("SELECT ") + kJobColumns + QStringLiteral(" FROM pipeline_batch_jobs WHERE id = ?"),
                  {jobId});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ErrorKind::NotFound, QStringLiteral("no job with id %1").arg(jobId));
    return jobFromRow(*q);
}

Result<std::optional<JobSnapshot>> JobStore::find(const QString& runId, const QString& batchType) const
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    auto q = sql::exec(*db,
                       QStringLiteral("SELECT ") + kJobColumns +
                           QStringLiteral(" FROM pipeline_batch_jobs WHERE run_id = ? AND batch_type = ?"),
                       {runId, batchType});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<JobSnapshot>();
    return std::optional<JobSnapshot>(jobFromRow(*q));
}

Result<QList<JobSnapshot>> JobStore::list(const JobFilter& filter) const
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    QString statement =
        QStringLiteral("SELECT ") + kJobColumns + QStringLiteral(" FROM pipeline_batch_jobs WHERE 1 = 1");
    QVariantList values;
    if (!filter.runId.isEmpty()) {
        statement += QStringLiteral(" AND run_id = ?");
        values.append(filter.runId);
    }
    if (!filter.batchType.isEmpty()) {
        statement += QStringLiteral(" AND batch_type = ?");
        values.append(filter.batchType);
    }
    if (filter.status) {
        statement += QStringLiteral(" AND status = ?");
        values.append(statusName(*filter.status));
    }
    statement += QStringLiteral(" ORDER BY id");
    if (filter.limit > 0) {
        statement += QStringLiteral(" LIMIT ? OFFSET ?");
        values << filter.limit << filter.offset;
    }
    auto q = sql::exec(*db, statement, values);
    if (!q)
        return q.error();
    QList<JobSnapshot> jobs;
    while (q->next())
        jobs.append(jobFromRow(*q));
    return jobs;
}

Result<QList<JobEvent>> JobStore::events(qint64 jobId) const
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    auto q = sql::exec(*db,
                       QStringLiteral("SELECT id, job_id, at, from_status, to_status, actor, message FROM job_events"
                                      " WHERE job_id = ? ORDER BY id"),
                       {jobId});
    if (!q)
        return q.error();
    QList<JobEvent> events;
    while (q->next()) {
        events.append(JobEvent{q->value(0).toLongLong(),
                               q->value(1).toLongLong(),
                               q->value(2).toLongLong(),
                               q->value(3).toString(),
                               q->value(4).toString(),
                               q->value(5).toString(),
                               q->value(6).toString()});
    }
    return events;
}

Result<TransitionOutcome> JobStore::transition(const TransitionRequest& request,
                                               const TransactionWork& inSameTransaction)
{
    if (!isTransitionAllowed(request.from, request.to))
        return makeError(
            ErrorKind::Conflict,
            QStringLiteral("illegal transition from %1 to %2").arg(statusName(request.from), statusName(request.to)));
    auto db = m_database->connection();
    if (!db)
        return db.error();
    auto tx = Transaction::begin(*db);
    if (!tx)
        return tx.error();

    JobUpdate extra;
    if (inSameTransaction) {
        auto done = inSameTransaction(*db);
        if (!done)
            return done.error();
        extra = *done;
    }
    const qint64 now = m_clock.nowMs();
    QVariantList values{statusName(request.to), now};
    // assignments() appends to `values`: call them in order, not inside one expression.
    QString statement = QStringLiteral("UPDATE pipeline_batch_jobs SET status = ?, updated_at = ?");
    statement += assignments(request.changes, values);
    statement += assignments(extra, values);
    statement += QStringLiteral(" WHERE id = ? AND status = ?");
    values << request.jobId << statusName(request.from);
    if (!request.leaseOwner.isEmpty()) {
        statement += QStringLiteral(" AND lease_owner = ?");
        values << request.leaseOwner;
    }
    auto updated = sql::exec(*db, statement, values);
    if (!updated)
        return updated.error();
    if (updated->numRowsAffected() == 1) {
        if (auto event = insertEvent(
                *db, request.jobId, now, statusName(request.from), request.to, request.actor, request.message);
            !event)
            return event.error();
        if (auto committed = tx->commit(); !committed)
            return committed.error();
        return TransitionOutcome{true, request.to};
    }
    tx->rollback();
    auto current = job(request.jobId);
    if (!current)
        return current.error();
    return TransitionOutcome{false, current->status};
}

Result<bool> JobStore::update(qint64 jobId, JobStatus expected, const JobUpdate& changes)
{
    QVariantList values{m_clock.nowMs()};
    QString statement = QStringLiteral("UPDATE pipeline_batch_jobs SET updated_at = ?");
    statement += assignments(changes, values);
    statement += QStringLiteral(" WHERE id = ? AND status = ?");
    values << jobId << statusName(expected);
    return updateOne(statement, values);
}

Result<bool> JobStore::takeLease(qint64 jobId, const QString& owner, qint64 durationMs)
{
    const qint64 now = m_clock.nowMs();
    return updateOne(QStringLiteral("UPDATE pipeline_batch_jobs SET lease_owner = ?, lease_until = ?"
                                    " WHERE id = ? AND (lease_owner IS NULL OR lease_until < ? OR lease_owner = ?)"),
                     {owner, now + durationMs, jobId, now, owner});
}

Result<bool> JobStore::renewLease(qint64 jobId, const QString& owner, qint64 durationMs)
{
    const qint64 now = m_clock.nowMs();
    return updateOne(QStringLiteral("UPDATE pipeline_batch_jobs SET lease_until = ?"
                                    " WHERE id = ? AND lease_owner = ? AND lease_until >= ?"),
                     {now + durationMs, jobId, owner, now});
}

Result<bool> JobStore::claimProviderCheck(qint64 jobId, qint64 intervalMs)
{
    const qint64 now = m_clock.nowMs();
    return updateOne(QStringLiteral("UPDATE pipeline_batch_jobs SET provider_checked_at = ?"
                                    " WHERE id = ? AND (provider_checked_at IS NULL OR provider_checked_at <= ?)"),
                     {now, jobId, now - intervalMs});
}

Status JobStore::recordEvent(qint64 jobId, JobStatus status, const QString& actor, const QString& message)
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    return insertEvent(*db, jobId, m_clock.nowMs(), statusName(status), status, actor, message);
}

Result<bool> JobStore::releaseLease(qint64 jobId, const QString& owner)
{
    return updateOne(QStringLiteral("UPDATE pipeline_batch_jobs SET lease_owner = NULL, lease_until = NULL"
                                    " WHERE id = ? AND lease_owner = ?"),
                     {jobId, owner});
}

} // namespace batchdeck
