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
    // SQLite hands a TEXT column over as a QString (UTF-8 decoded to UTF-16), which the caller would
    // only encode back to UTF-8; selected as a BLOB it comes as the stored UTF-8 bytes untouched.
    // PostgreSQL's driver has no such shortcut (bytea comes escaped), so it keeps the text path.
    const bool asBlob = m_database->isSqlite();
    const QString select =
        asBlob ? QStringLiteral("SELECT item_key, CAST(payload AS BLOB) FROM run_items WHERE run_id = ?"
                                " ORDER BY position, item_key")
               : QStringLiteral("SELECT item_key, payload FROM run_items WHERE run_id = ? ORDER BY position, item_key");
    auto q = sql::exec(*db, select, {runId});
    if (!q)
        return q.error();
    while (q->next()) {
        const QVariant payload = q->value(1);
        const QByteArray bytes =
            payload.typeId() == QMetaType::QByteArray ? payload.toByteArray() : payload.toString().toUtf8();
        if (!visit(q->value(0).toString(), bytes))
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
