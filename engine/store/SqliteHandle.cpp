#include "SqliteHandle.h"

#include <mutex>

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QVariant>

#include <sqlite3.h>

#include "core/Logging.h"
#include "store/SqlSupport.h"

namespace batchdeck::sqlite {

sqlite3* handleOf(const QSqlDatabase& db)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3* const*>(handle.constData());
}

void configureLibrary()
{
    static std::once_flag once;
    std::call_once(once, [] {
        // Memory statistics (sqlite3_memory_used(), the soft heap limit: Batchdeck uses neither) take a
        // process-wide mutex around every allocation SQLite makes; storing 50,000 results spent ~10 % of
        // its time there (Debian's SQLite is built without lookaside, so each row allocates).
        if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
            qCDebug(lcStore) << "SQLite was in use before Batchdeck configured it: memory statistics stay on";
    });
}

Statement::Statement(sqlite3* handle, sqlite3_stmt* statement)
    : m_handle(handle)
    , m_statement(statement)
{}

Statement::Statement(Statement&& other) noexcept
    : m_handle(other.m_handle)
    , m_statement(std::exchange(other.m_statement, nullptr))
{}

Statement::~Statement()
{
    sqlite3_finalize(m_statement); // a no-op on nullptr
}

Result<Statement> Statement::prepare(sqlite3* handle, const QString& text, const QString& what)
{
    if (!handle)
        return makeError(ErrorKind::Database, what + QStringLiteral(": the connection has no sqlite3 handle"));
    const QByteArray utf8 = text.toUtf8();
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(handle, utf8.constData(), int(utf8.size()), &statement, nullptr) != SQLITE_OK) {
        sqlite3_finalize(statement);
        return sql::databaseError(what, QString::fromUtf8(sqlite3_errmsg(handle)));
    }
    return Statement(handle, statement);
}

Error Statement::error(const QString& what) const
{
    return sql::databaseError(what, QString::fromUtf8(sqlite3_errmsg(m_handle)));
}

} // namespace batchdeck::sqlite
