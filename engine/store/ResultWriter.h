#pragma once

#include <QSqlQuery>

#include "core/Result.h"
#include "store/BatchResult.h"

namespace batchdeck {

// Writes results inside a transaction someone else owns (the one that also sets COMPLETED), with one
// prepared upsert on (job_id, custom_id): running process again after a crash never duplicates rows.
class ResultWriter
{
public:
    static Result<ResultWriter> prepare(const QSqlDatabase& db, qint64 jobId, qint64 now);
    Status write(const BatchResult& result);

private:
    ResultWriter(QSqlQuery query, qint64 jobId, qint64 now);
    QSqlQuery m_query;
    qint64 m_jobId;
    qint64 m_now;
};

} // namespace batchdeck
