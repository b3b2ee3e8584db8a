#pragma once

#include <memory>

#include "core/Result.h"
#include "store/DatabaseUrl.h"

class QSqlDatabase;

namespace batchdeck {

// One job store database. Hands every thread its own named connection (QSqlDatabase objects
// must not cross threads) and applies the schema migrations when opened. Front-ends hold it as an
// opaque handle: this header does not include QtSql, which only the engine links.
class Database
{
public:
    static Result<std::shared_ptr<Database>> open(const DatabaseUrl& url);
    static Result<std::shared_ptr<Database>> open(const QString& url);
    ~Database();

    // Connects once without creating or migrating anything (a settings screen's "Test connection"):
    // the schema version found there, 0 for a database Batchdeck has not used yet or a SQLite file
    // that does not exist (it is not created).
    static Result<int> probe(const QString& url);

    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // The calling thread's connection, opened on first use. An error when it cannot be opened.
    Result<QSqlDatabase> connection() const;
    // Whether this thread's connection was lost since it was opened (PostgreSQL closed it: a restart,
    // an administrator). The next connection() opens a new one.
    bool lostConnection() const;

    const DatabaseUrl& url() const { return m_url; }
    bool isSqlite() const { return m_url.driver == DatabaseUrl::Driver::Sqlite; }
    bool isPostgres() const { return m_url.driver == DatabaseUrl::Driver::Postgres; }

    // The schema version this build writes, and the one found in the database.
    static int latestSchemaVersion();
    Result<int> schemaVersion() const;

private:
    explicit Database(DatabaseUrl url);
    Result<QSqlDatabase> openConnection(const QString& name) const;
    Status configure(QSqlDatabase& db) const;
    QString threadConnectionName() const; // of this thread's connection to this database

    DatabaseUrl m_url;
    QString m_namePrefix;
    QString m_memoryUri;
    std::unique_ptr<QSqlDatabase> m_anchor; // keeps a shared in-memory database alive
};

} // namespace batchdeck
