#include "RunStore.h"

#include <sqlite3.h>

#include "core/Json.h"
#include "store/Database.h"
#include "store/SqlSupport.h"
#include "store/SqliteHandle.h"

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
    const QString select =
        QStringLiteral("SELECT item_key, payload FROM run_items WHERE run_id = ? ORDER BY position, item_key");
    if (m_database->isSqlite()) {
        // SQLite's own API hands the stored UTF-8 bytes over as they are; through QSqlQuery each row
        // cost a QVariant per value and a UTF-8 to UTF-16 decoding the caller only undid again.
        auto statement = sqlite::Statement::prepare(sqlite::handleOf(*db), select, QStringLiteral("cannot read items"));
        if (!statement)
            return statement.error();
        sqlite3_stmt* s = statement->get();
        const QByteArray run = runId.toUtf8();
        if (sqlite3_bind_text(s, 1, run.constData(), int(run.size()), SQLITE_STATIC) != SQLITE_OK)
            return statement->error(QStringLiteral("cannot read items"));
        int stepped;
        while ((stepped = sqlite3_step(s)) == SQLITE_ROW) {
            // sqlite3_column_text before sqlite3_column_bytes, as SQLite documents.
            const auto* key = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
            const int keySize = sqlite3_column_bytes(s, 0);
            const auto* payload = reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
            const int payloadSize = sqlite3_column_bytes(s, 1);
            if (!visit(QString::fromUtf8(key, keySize), QByteArray(payload, payloadSize)))
                return {};
        }
        if (stepped != SQLITE_DONE)
            return statement->error(QStringLiteral("cannot read items"));
        return {};
    }
    auto q = sql::exec(*db, select, {runId});
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
