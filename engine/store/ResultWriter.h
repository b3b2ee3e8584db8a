#pragma once

#include <memory>

#include "core/Result.h"
#include "store/BatchResult.h"

class QSqlDatabase;

namespace batchdeck {

// Writes results inside a transaction someone else owns (the one that also sets COMPLETED), as
// upserts on (job_id, custom_id): running process again after a crash never duplicates rows, and a
// custom_id written twice keeps the last result written.
//
// Each backend has its own fastest way (SqliteResultWriter: one prepared statement through the
// sqlite3 API on the connection's own handle; PostgresResultWriter: multi-row statements); both store
// exactly the same values. Call finish() before reading the results back in the same transaction.
class ResultWriter
{
public:
    static Result<std::unique_ptr<ResultWriter>> prepare(const QSqlDatabase& db, qint64 jobId, qint64 now);
    virtual ~ResultWriter() = default;

    virtual Status write(const BatchResult& result) = 0;
    // Stores what write() may still hold back.
    virtual Status finish() = 0;
};

} // namespace batchdeck
