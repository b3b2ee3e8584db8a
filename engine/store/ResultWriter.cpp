#include "ResultWriter.h"

#include <QSqlError>

#include "store/SqlSupport.h"

namespace batchdeck {

namespace {

QVariant textOrNull(const QString& text)
{
    return text.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

} // namespace

ResultWriter::ResultWriter(QSqlQuery query, qint64 jobId, qint64 now)
    : m_query(std::move(query))
    , m_jobId(jobId)
    , m_now(now)
{}

Result<ResultWriter> ResultWriter::prepare(const QSqlDatabase& db, qint64 jobId, qint64 now)
{
    QSqlQuery query(db);
    if (!query.prepare(QStringLiteral(
            "INSERT INTO batch_results (job_id, custom_id, ok, status_code, content, parsed, error_code, error_message,"
            " line_number, input_tokens, output_tokens, total_tokens, attempt, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (job_id, custom_id) DO UPDATE SET ok = excluded.ok, status_code = excluded.status_code,"
            " content = excluded.content, parsed = excluded.parsed, error_code = excluded.error_code,"
            " error_message = excluded.error_message, line_number = excluded.line_number,"
            " input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,"
            " total_tokens = excluded.total_tokens, attempt = excluded.attempt, updated_at = excluded.updated_at")))
        return sql::errorFrom(query.lastError(), QStringLiteral("cannot prepare the result upsert"));
    return ResultWriter(std::move(query), jobId, now);
}

Status ResultWriter::write(const BatchResult& r)
{
    return sql::execPrepared(m_query,
                             {m_jobId,
                              r.customId,
                              r.ok ? 1 : 0,
                              r.statusCode == 0 ? QVariant(QMetaType::fromType<int>()) : QVariant(r.statusCode),
                              textOrNull(r.content),
                              sql::nullableText(r.parsedJson),
                              sql::nullableText(r.errorCode),
                              sql::nullableText(r.errorMessage),
                              r.lineNumber,
                              r.inputTokens,
                              r.outputTokens,
                              r.totalTokens,
                              r.attempt,
                              m_now,
                              m_now},
                             QStringLiteral("cannot store the result of '%1'").arg(r.customId));
}

} // namespace batchdeck
