#pragma once

#include "store/ResultWriter.h"
#include "store/SqliteHandle.h"

namespace batchdeck {

// The SQLite result writer: one upsert prepared once through the sqlite3 API on the handle of the
// caller's Qt connection (so it runs inside the caller's transaction), values bound by position
// straight from the result's strings. Through QSqlQuery the same upsert cost as much again as
// SQLite's own work: a QVariant per value, placeholders looked up by name, the driver's checks.
//
// While it lives, the connection's page cache is larger (kCacheKiB): results arrive in the provider's
// order, not custom_id order, so each upsert lands at a random place of the (job_id, custom_id)
// index; with SQLite's default 2 MB cache, filled by the rows' own pages, nearly every upsert read an
// index page back from the file (a pread per result) and pages were spilled to the WAL mid-transaction.
class SqliteResultWriter final : public ResultWriter
{
public:
    static constexpr int kCacheKiB = 32 * 1024;

    static Result<std::unique_ptr<ResultWriter>> prepare(const QSqlDatabase& db, qint64 jobId, qint64 now);
    ~SqliteResultWriter() override;

    Status write(const BatchResult& result) override;
    Status finish() override { return {}; }

private:
    SqliteResultWriter(sqlite3* handle, sqlite::Statement statement, int cacheSizeBefore, qint64 jobId, qint64 now);

    sqlite3* m_handle;
    sqlite::Statement m_upsert;
    int m_cacheSizeBefore; // the connection's cache_size, given back when the writer goes
    qint64 m_jobId;
    qint64 m_now;
};

} // namespace batchdeck
