#include "RunStore.h"

#include "core/Json.h"
#include "store/Database.h"
#include "store/SqlSupport.h"

namespace batchdeck {

QJsonObject RunSummary::toJson() const
{
    return QJsonObject{{QStringLiteral("run_id"), runId},
                       {QStringLiteral("items"), items},
                       {QStringLiteral("jobs"), jobs},
                       {QStringLiteral("created_at"), createdAt}};
}

RunStore::RunStore(std::shared_ptr<Database> database)
    : m_database(std::move(database))
{}

Result<QList<RunSummary>> RunStore::list() const
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    auto q = sql::exec(*db,
                       QStringLiteral("SELECT r.run_id, r.created_at,"
                                      " (SELECT COUNT(*) FROM run_items i WHERE i.run_id = r.run_id),"
                                      " (SELECT COUNT(*) FROM pipeline_batch_jobs j WHERE j.run_id = r.run_id)"
                                      " FROM runs r ORDER BY r.created_at DESC, r.run_id"));
    if (!q)
        return q.error();
    QList<RunSummary> runs;
    while (q->next())
        runs.append(RunSummary{
            q->value(0).toString(), q->value(2).toLongLong(), q->value(3).toLongLong(), q->value(1).toLongLong()});
    return runs;
}

Status RunStore::ensureRun(const QSqlDatabase& db, const QString& runId, qint64 now)
{
    auto done =
        sql::exec(db,
                  QStringLiteral("INSERT INTO runs (run_id, params, created_at, updated_at) VALUES (?, '{}', ?, ?)"
                                 " ON CONFLICT (run_id) DO UPDATE SET updated_at = excluded.updated_at"),
                  {runId, now, now});
    if (!done)
        return done.error();
    return {};
}

Result<QJsonObject> RunStore::params(const QString& runId) const
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    auto q = sql::exec(*db, QStringLiteral("SELECT params FROM runs WHERE run_id = ?"), {runId});
    if (!q)
        return q.error();
    return q->next() ? json::parseObject(q->value(0).toString().toUtf8()) : QJsonObject();
}

Status RunStore::forEachItem(const QString& runId,
                             const std::function<bool(const QString&, const QByteArray&)>& visit) const
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    auto q = sql::exec(
        *db,
        QStringLiteral("SELECT item_key, payload FROM run_items WHERE run_id = ? ORDER BY position, item_key"),
        {runId});
    if (!q)
        return q.error();
    while (q->next()) {
        if (!visit(q->value(0).toString(), q->value(1).toString().toUtf8()))
            break;
    }
    return {};
}

Result<qint64> RunStore::itemCount(const QString& runId) const
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    auto q = sql::exec(*db, QStringLiteral("SELECT COUNT(*) FROM run_items WHERE run_id = ?"), {runId});
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toLongLong() : 0;
}

} // namespace batchdeck
