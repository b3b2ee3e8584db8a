#pragma once

#include <QHash>
#include <QList>
#include <QSqlQuery>

#include "store/ResultWriter.h"

namespace batchdeck {

// The PostgreSQL result writer: results go in multi-row upserts of up to kRowsPerStatement rows (one
// round trip each instead of one per result). A statement must not touch a row twice, so a custom_id
// repeated within one pending batch replaces its earlier result there, as a second upsert would.
class PostgresResultWriter final : public ResultWriter
{
public:
    static constexpr int kRowsPerStatement = 500;

    static Result<std::unique_ptr<ResultWriter>> prepare(const QSqlDatabase& db, qint64 jobId, qint64 now);

    Status write(const BatchResult& result) override;
    Status finish() override;

private:
    PostgresResultWriter(const QSqlDatabase& db, qint64 jobId, qint64 now);
    Status flush();

    QSqlDatabase m_db;
    QSqlQuery m_full; // prepared once for kRowsPerStatement rows
    bool m_fullPrepared = false;
    qint64 m_jobId;
    qint64 m_now;
    QList<BatchResult> m_pending;
    QHash<QString, qsizetype> m_pendingIndex; // custom_id -> its place in m_pending
};

} // namespace batchdeck
