#include "Migrations.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

#include "core/Logging.h"
#include "store/SqlSupport.h"
#include "store/Transaction.h"

namespace batchdeck::migrations {

namespace {

struct Migration
{
    int version;
    const char* description;
    // Statements in a dialect-neutral form: {{ID}} becomes the auto-increment key of the dialect.
    QStringList statements;
};

QString dialect(QString statement, bool postgres)
{
    statement.replace(QStringLiteral("{{ID}}"),
                      postgres ? QStringLiteral("BIGSERIAL PRIMARY KEY") : QStringLiteral("INTEGER PRIMARY KEY"));
    return statement;
}

const QList<Migration>& allMigrations()
{
    static const QList<Migration> list = {
        {1,
         "initial schema: runs, items, jobs, provider batches, events, results",
         {
             QStringLiteral("CREATE TABLE runs ("
                            " run_id TEXT PRIMARY KEY,"
                            " params TEXT NOT NULL DEFAULT '{}',"
                            " created_at BIGINT NOT NULL,"
                            " updated_at BIGINT NOT NULL)"),
             QStringLiteral("CREATE TABLE run_items ("
                            " run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,"
                            " item_key TEXT NOT NULL,"
                            " payload TEXT NOT NULL,"
                            " position BIGINT NOT NULL,"
                            " created_at BIGINT NOT NULL,"
                            " updated_at BIGINT NOT NULL,"
                            " PRIMARY KEY (run_id, item_key))"),
             QStringLiteral("CREATE INDEX run_items_by_position ON run_items(run_id, position)"),
             QStringLiteral("CREATE TABLE pipeline_batch_jobs ("
                            " id {{ID}},"
                            " run_id TEXT NOT NULL REFERENCES runs(run_id),"
                            " batch_type TEXT NOT NULL,"
                            " status TEXT NOT NULL,"
                            " attempt INTEGER NOT NULL DEFAULT 1,"
                            " llm_batch_id TEXT,"
                            " input_file_id TEXT,"
                            " output_file_id TEXT,"
                            " error_file_id TEXT,"
                            " provider_status TEXT,"
                            " provider_checked_at BIGINT,"
                            " provider_expires_at BIGINT,"
                            " request_total INTEGER NOT NULL DEFAULT 0,"
                            " request_completed INTEGER NOT NULL DEFAULT 0,"
                            " request_failed INTEGER NOT NULL DEFAULT 0,"
                            " results_saved INTEGER NOT NULL DEFAULT 0,"
                            " result_errors INTEGER NOT NULL DEFAULT 0,"
                            " error_details TEXT,"
                            " lease_owner TEXT,"
                            " lease_until BIGINT,"
                            " created_at BIGINT NOT NULL,"
                            " updated_at BIGINT NOT NULL,"
                            " submitted_at BIGINT,"
                            " completed_at BIGINT,"
                            " UNIQUE (run_id, batch_type))"),
             QStringLiteral("CREATE INDEX jobs_by_status ON pipeline_batch_jobs(status)"),
             QStringLiteral("CREATE INDEX jobs_by_updated ON pipeline_batch_jobs(updated_at)"),
             QStringLiteral("CREATE TABLE provider_batches ("
                            " id {{ID}},"
                            " job_id BIGINT NOT NULL REFERENCES pipeline_batch_jobs(id) ON DELETE CASCADE,"
                            " attempt INTEGER NOT NULL,"
                            " shard INTEGER NOT NULL DEFAULT 0,"
                            " llm_batch_id TEXT,"
                            " input_file_id TEXT,"
                            " output_file_id TEXT,"
                            " error_file_id TEXT,"
                            " provider_status TEXT,"
                            " request_total INTEGER NOT NULL DEFAULT 0,"
                            " request_completed INTEGER NOT NULL DEFAULT 0,"
                            " request_failed INTEGER NOT NULL DEFAULT 0,"
                            " raw_json TEXT,"
                            " created_at BIGINT NOT NULL,"
                            " updated_at BIGINT NOT NULL,"
                            " UNIQUE (job_id, attempt, shard),"
                            " UNIQUE (llm_batch_id))"),
             QStringLiteral("CREATE TABLE job_events ("
                            " id {{ID}},"
                            " job_id BIGINT NOT NULL REFERENCES pipeline_batch_jobs(id) ON DELETE CASCADE,"
                            " at BIGINT NOT NULL,"
                            " from_status TEXT,"
                            " to_status TEXT NOT NULL,"
                            " actor TEXT NOT NULL,"
                            " message TEXT NOT NULL DEFAULT '')"),
             QStringLiteral("CREATE INDEX job_events_by_job ON job_events(job_id, id)"),
             QStringLiteral("CREATE TABLE batch_results ("
                            " id {{ID}},"
                            " job_id BIGINT NOT NULL REFERENCES pipeline_batch_jobs(id) ON DELETE CASCADE,"
                            " custom_id TEXT NOT NULL,"
                            " ok INTEGER NOT NULL,"
                            " status_code INTEGER,"
                            " content TEXT,"
                            " parsed TEXT,"
                            " error_code TEXT,"
                            " error_message TEXT,"
                            " line_number BIGINT,"
                            " input_tokens BIGINT,"
                            " output_tokens BIGINT,"
                            " total_tokens BIGINT,"
                            " raw TEXT,"
                            " attempt INTEGER NOT NULL DEFAULT 1,"
                            " created_at BIGINT NOT NULL,"
                            " updated_at BIGINT NOT NULL,"
                            " UNIQUE (job_id, custom_id))"),
         }},
        {2,
         "an index of the error results, so that a job's error count reads no result rows",
         {
             // Only error rows are in it (partial index, SQLite and PostgreSQL alike): counting a job's
             // errors used to read every result row of the job (30-50 ms for 50,000 results on SQLite).
             QStringLiteral("CREATE INDEX batch_results_errors ON batch_results(job_id) WHERE ok = 0"),
         }},
    };
    return list;
}

Error schemaTooNew(int version, int latest)
{
    return makeError(ErrorKind::SchemaTooNew,
                     QStringLiteral("the database has schema version %1, newer than the %2 this Batchdeck knows; it "
                                    "was written by a newer Batchdeck: upgrade before using it")
                         .arg(version)
                         .arg(latest));
}

} // namespace

int latestVersion()
{
    return allMigrations().constLast().version;
}

Result<int> currentVersion(const QSqlDatabase& db)
{
    auto query = sql::exec(db, QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    if (!query)
        return query.error();
    return query->next() ? query->value(0).toInt() : 0;
}

Status apply(const QSqlDatabase& db, bool postgres)
{
    if (auto created = sql::exec(db,
                                 QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                                " version INTEGER PRIMARY KEY,"
                                                " description TEXT NOT NULL,"
                                                " applied_at BIGINT NOT NULL)"));
        !created) {
        // Two PostgreSQL sessions creating the table at once can clash on the catalog; the
        // loser sees the table on a second look.
        if (!postgres || !sql::exec(db, QStringLiteral("SELECT 1 FROM schema_migrations LIMIT 1")))
            return makeError(ErrorKind::Database,
                             QStringLiteral("cannot prepare the schema: ") + created.error().message);
    }

    for (const Migration& migration : allMigrations()) {
        auto tx = Transaction::begin(db);
        if (!tx)
            return tx.error();
        if (postgres) {
            // Serialises migrations of processes that open one fresh database at once.
            if (auto locked = sql::exec(db, QStringLiteral("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")); !locked)
                return locked.error();
        }
        auto version = currentVersion(db);
        if (!version)
            return version.error();
        if (*version > latestVersion())
            return schemaTooNew(*version, latestVersion());
        if (*version >= migration.version)
            continue;
        for (const QString& statement : migration.statements) {
            if (auto done = sql::exec(db, dialect(statement, postgres)); !done)
                return makeError(
                    ErrorKind::Database,
                    QStringLiteral("migration %1 failed: %2").arg(migration.version).arg(done.error().message));
        }
        if (auto recorded = sql::exec(
                db,
                QStringLiteral("INSERT INTO schema_migrations (version, description, applied_at) "
                               "VALUES (?, ?, ?)"),
                {migration.version, QString::fromUtf8(migration.description), QDateTime::currentMSecsSinceEpoch()});
            !recorded)
            return recorded.error();
        if (auto committed = tx->commit(); !committed)
            return committed;
        qCDebug(lcStore) << "applied schema migration" << migration.version << migration.description;
    }
    return {};
}

} // namespace batchdeck::migrations
