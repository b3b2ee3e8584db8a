#include "PostgresResultWriter.h"

#include <QSqlError>

#include "store/ResultUpsert.h"
#include "store/SqlSupport.h"

namespace batchdeck {

namespace {

QString upsertFor(qsizetype rows)
{
    QString row = QStringLiteral("(?");
    for (int i = 1; i < result_upsert::kColumns; ++i)
        row += QStringLiteral(", ?");
    row += u')';
    QString text =
        QStringLiteral("INSERT INTO batch_results ") + result_upsert::insertColumns() + QStringLiteral(" VALUES ");
    text.reserve(text.size() + rows * (row.size() + 2) + 600);
    for (qsizetype i = 0; i < rows; ++i) {
        if (i > 0)
            text += QStringLiteral(", ");
        text += row;
    }
    return text + result_upsert::onConflict();
}

QVariant textOrNull(const QString& text)
{
    return text.isNull() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

} // namespace

PostgresResultWriter::PostgresResultWriter(const QSqlDatabase& db, qint64 jobId, qint64 now)
    : m_db(db)
    , m_full(db)
    , m_jobId(jobId)
    , m_now(now)
{
    m_pending.reserve(kRowsPerStatement);
}

Result<std::unique_ptr<ResultWriter>> PostgresResultWriter::prepare(const QSqlDatabase& db, qint64 jobId, qint64 now)
{
    return std::unique_ptr<ResultWriter>(new PostgresResultWriter(db, jobId, now));
}

Status PostgresResultWriter::write(const BatchResult& result)
{
    const auto known = m_pendingIndex.constFind(result.customId);
    if (known != m_pendingIndex.constEnd()) {
        m_pending[*known] = result;
        return {};
    }
    m_pendingIndex.insert(result.customId, m_pending.size());
    m_pending.append(result);
    if (m_pending.size() >= kRowsPerStatement)
        return flush();
    return {};
}

Status PostgresResultWriter::finish()
{
    return flush();
}

Status PostgresResultWriter::flush()
{
    if (m_pending.isEmpty())
        return {};
    const bool full = m_pending.size() == kRowsPerStatement;
    QSqlQuery partial(m_db);
    QSqlQuery& query = full ? m_full : partial;
    if (!full || !m_fullPrepared) {
        if (!query.prepare(upsertFor(m_pending.size())))
            return sql::errorFrom(query.lastError(), QStringLiteral("cannot prepare the result upsert"));
        m_fullPrepared = m_fullPrepared || full;
    }
    int index = 0;
    for (const BatchResult& r : std::as_const(m_pending)) {
        // Same values and NULLs as every writer (ResultUpsert.h's column order).
        query.bindValue(index++, m_jobId);
        query.bindValue(index++, r.customId);
        query.bindValue(index++, r.ok ? 1 : 0);
        query.bindValue(index++, r.statusCode == 0 ? QVariant(QMetaType::fromType<int>()) : QVariant(r.statusCode));
        query.bindValue(index++, textOrNull(r.content));
        query.bindValue(index++, sql::nullableText(r.parsedJson));
        query.bindValue(index++, sql::nullableText(r.errorCode));
        query.bindValue(index++, sql::nullableText(r.errorMessage));
        query.bindValue(index++, r.lineNumber);
        query.bindValue(index++, r.inputTokens);
        query.bindValue(index++, r.outputTokens);
        query.bindValue(index++, r.totalTokens);
        query.bindValue(index++, r.attempt);
        query.bindValue(index++, m_now);
        query.bindValue(index++, m_now);
    }
    const qsizetype rows = m_pending.size();
    m_pending.clear();
    m_pendingIndex.clear();
    if (!query.exec())
        return sql::errorFrom(query.lastError(), QStringLiteral("cannot store %1 results").arg(rows));
    return {};
}

} // namespace batchdeck
