#pragma once

#include <QString>

#include "core/Result.h"

class QSqlDatabase;
struct sqlite3;
struct sqlite3_stmt;

namespace batchdeck::sqlite {

// The sqlite3 handle of a QSQLITE connection, for the few hot paths that use SQLite's own API
// (Qt's documented way: QSqlDriver::handle() holds a "sqlite3*"). Statements run on it belong to the
// connection's transaction like any QSqlQuery. nullptr for other drivers or a closed connection.
sqlite3* handleOf(const QSqlDatabase& db);

// Sets the library-wide options Batchdeck wants before the process's first SQLite connection opens
// (SQLite takes them only before it initialises; later calls change nothing). Once per process.
void configureLibrary();

// A prepared statement, finalized when it goes.
class Statement
{
public:
    static Result<Statement> prepare(sqlite3* handle, const QString& text, const QString& what);
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    ~Statement();

    sqlite3_stmt* get() const { return m_statement; }
    // An error naming `what` and SQLite's message.
    Error error(const QString& what) const;

private:
    Statement(sqlite3* handle, sqlite3_stmt* statement);
    sqlite3* m_handle;
    sqlite3_stmt* m_statement;
};

} // namespace batchdeck::sqlite
