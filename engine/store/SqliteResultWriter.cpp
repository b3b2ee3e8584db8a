#include "SqliteResultWriter.h"

#include <sqlite3.h>

#include "store/ResultUpsert.h"

namespace batchdeck {

namespace {

// Text as QSQLITE binds it (UTF-16; SQLite stores it as UTF-8), without a copy: the string outlives
// the step it is bound for, and every write binds all values again.
int bindText(sqlite3_stmt* statement, int index, const QString& text)
{
    return sqlite3_bind_text16(statement, index, text.utf16(), int(text.size() * sizeof(char16_t)), SQLITE_STATIC);
}

int bindTextOrNull(sqlite3_stmt* statement, int index, const QString& text, bool nullWhenEmpty)
{
    if (text.isNull() || (nullWhenEmpty && text.isEmpty()))
        return sqlite3_bind_null(statement, index);
    return bindText(statement, index, text);
}

// The connection's cache_size setting (negative: KiB, positive: pages); 0 when it cannot be read.
int cacheSize(sqlite3* handle)
{
    auto statement =
        sqlite::Statement::prepare(handle, QStringLiteral("PRAGMA cache_size"), QStringLiteral("cache_size"));
    if (!statement || sqlite3_step(statement->get()) != SQLITE_ROW)
        return 0;
    return sqlite3_column_int(statement->get(), 0);
}

void setCacheSize(sqlite3* handle, int value)
{
    const QByteArray pragma = "PRAGMA cache_size = " + QByteArray::number(value);
    sqlite3_exec(handle, pragma.constData(), nullptr, nullptr, nullptr); // only a hint: failure is harmless
}

} // namespace

SqliteResultWriter::SqliteResultWriter(
    sqlite3* handle, sqlite::Statement statement, int cacheSizeBefore, qint64 jobId, qint64 now)
    : m_handle(handle)
    , m_upsert(std::move(statement))
    , m_cacheSizeBefore(cacheSizeBefore)
    , m_jobId(jobId)
    , m_now(now)
{}

SqliteResultWriter::~SqliteResultWriter()
{
    if (m_cacheSizeBefore != 0)
        setCacheSize(m_handle, m_cacheSizeBefore);
}

Result<std::unique_ptr<ResultWriter>> SqliteResultWriter::prepare(const QSqlDatabase& db, qint64 jobId, qint64 now)
{
    sqlite3* handle = sqlite::handleOf(db);
    QString placeholders = QStringLiteral("?1");
    for (int i = 2; i <= result_upsert::kColumns; ++i)
        placeholders += QStringLiteral(", ?") + QString::number(i);
    auto statement =
        sqlite::Statement::prepare(handle,
                                   QStringLiteral("INSERT INTO batch_results ") + result_upsert::insertColumns() +
                                       QStringLiteral(" VALUES (") + placeholders + u')' + result_upsert::onConflict(),
                                   QStringLiteral("cannot prepare the result upsert"));
    if (!statement)
        return statement.error();
    const int before = cacheSize(handle);
    if (before != 0 && before > -kCacheKiB)
        setCacheSize(handle, -kCacheKiB);
    return std::unique_ptr<ResultWriter>(
        new SqliteResultWriter(handle, std::move(statement).value(), before, jobId, now));
}

Status SqliteResultWriter::write(const BatchResult& r)
{
    sqlite3_stmt* s = m_upsert.get();
    // Same values and NULLs as every writer, in ResultUpsert.h's column order.
    int rc = sqlite3_bind_int64(s, 1, m_jobId);
    rc |= bindText(s, 2, r.customId);
    rc |= sqlite3_bind_int(s, 3, r.ok ? 1 : 0);
    rc |= r.statusCode == 0 ? sqlite3_bind_null(s, 4) : sqlite3_bind_int(s, 4, r.statusCode);
    rc |= bindTextOrNull(s, 5, r.content, false);
    rc |= bindTextOrNull(s, 6, r.parsedJson, true);
    rc |= bindTextOrNull(s, 7, r.errorCode, true);
    rc |= bindTextOrNull(s, 8, r.errorMessage, true);
    rc |= sqlite3_bind_int64(s, 9, r.lineNumber);
    rc |= sqlite3_bind_int64(s, 10, r.inputTokens);
    rc |= sqlite3_bind_int64(s, 11, r.outputTokens);
    rc |= sqlite3_bind_int64(s, 12, r.totalTokens);
    rc |= sqlite3_bind_int(s, 13, r.attempt);
    rc |= sqlite3_bind_int64(s, 14, m_now);
    rc |= sqlite3_bind_int64(s, 15, m_now);
    if (rc != SQLITE_OK)
        return m_upsert.error(QStringLiteral("cannot bind the result of '%1'").arg(r.customId));
    if (sqlite3_step(s) != SQLITE_DONE) {
        const Error error = m_upsert.error(QStringLiteral("cannot store the result of '%1'").arg(r.customId));
        sqlite3_reset(s);
        return error;
    }
    sqlite3_reset(s);
    return {};
}

} // namespace batchdeck
