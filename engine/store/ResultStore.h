#pragma once

#include <functional>
#include <memory>

#include <QList>

class QSqlDatabase;

#include "core/Result.h"
#include "store/BatchResult.h"
#include "store/Clock.h"

namespace batchdeck {

class Database;

struct ResultFilter
{
    enum class Kind
    {
        All,
        Successes,
        Errors,
    };
    Kind kind = Kind::All;
    int limit = 0; // 0: all
    int offset = 0;
};

struct ResultCounts
{
    qint64 saved = 0;
    qint64 errors = 0;
};

class ResultStore
{
public:
    explicit ResultStore(std::shared_ptr<Database> database);

    Result<QList<BatchResult>> list(qint64 jobId, const ResultFilter& filter = {}) const;
    // Streams every result in custom_id order to `visit` without holding them all in memory.
    Status
    forEach(qint64 jobId, const ResultFilter& filter, const std::function<bool(const BatchResult&)>& visit) const;
    Result<ResultCounts> counts(qint64 jobId) const;
    // The same, on a connection the caller holds (inside its transaction). Two index-only counts: all
    // results through the (job_id, custom_id) key, the errors through the partial index of ok = 0.
    static Result<ResultCounts> countOn(const QSqlDatabase& db, qint64 jobId);

private:
    std::shared_ptr<Database> m_database;
};

} // namespace batchdeck
