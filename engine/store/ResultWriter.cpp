#include "ResultWriter.h"

#include <QSqlError>

#include "store/SqlSupport.h"

namespace batchdeck {

namespace {

QVariant textOrNull(const QString& text)
{
    return text.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

constexpr int kColumns = 15;

// Values are bound by name: Qt 6.4 formats a placeholder name for every value bound by position
// (QSqlResultPrivate::fieldSerial), which cost more than SQLite's insert itself for 15 values a row.
const QStringList& placeholders()
{
    static const QStringList names = [] {
        QStringList list;
        for (int i = 0; i < kColumns; ++i)
            list.append(QStringLiteral(":v%1").arg(i));
        return list;
    }();
    return names;
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
            " VALUES (:v0, :v1, :v2, :v3, :v4, :v5, :v6, :v7, :v8, :v9, :v10, :v11, :v12, :v13, :v14)"
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
    const QVariant values[kColumns] = {
        m_jobId,
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
        m_now,
    };
    const QStringList& names = placeholders();
    for (int i = 0; i < kColumns; ++i)
        m_query.bindValue(names.at(i), values[i]);
    if (!m_query.exec())
        return sql::errorFrom(m_query.lastError(), QStringLiteral("cannot store the result of '%1'").arg(r.customId));
    return {};
}

} // namespace batchdeck
