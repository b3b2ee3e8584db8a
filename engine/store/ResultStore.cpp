#include "ResultStore.h"

#include <QSqlError>

#include "store/Database.h"
#include "store/SqlSupport.h"

namespace batchdeck {

namespace {

BatchResult resultFromRow(const QSqlQuery& q)
{
    BatchResult r;
    r.customId = q.value(0).toString();
    r.ok = q.value(1).toInt() != 0;
    r.statusCode = q.value(2).toInt();
    r.content = q.value(3).isNull() ? QString() : q.value(3).toString();
    r.parsedJson = q.value(4).toString();
    r.errorCode = q.value(5).toString();
    r.errorMessage = q.value(6).toString();
    r.lineNumber = q.value(7).toLongLong();
    r.inputTokens = q.value(8).toLongLong();
    r.outputTokens = q.value(9).toLongLong();
    r.totalTokens = q.value(10).toLongLong();
    r.attempt = q.value(11).toInt();
    return r;
}

} // namespace

ResultStore::ResultStore(std::shared_ptr<Database> database)
    : m_database(std::move(database))
{}

Status ResultStore::forEach(qint64 jobId,
                            const ResultFilter& filter,
                            const std::function<bool(const BatchResult&)>& visit) const
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    QString statement = QStringLiteral(
        "SELECT custom_id, ok, status_code, content, parsed, error_code, error_message, line_number, input_tokens,"
        " output_tokens, total_tokens, attempt FROM batch_results WHERE job_id = ?");
    QVariantList values{jobId};
    if (filter.kind == ResultFilter::Kind::Successes)
        statement += QStringLiteral(" AND ok = 1");
    else if (filter.kind == ResultFilter::Kind::Errors)
        statement += QStringLiteral(" AND ok = 0");
    statement += QStringLiteral(" ORDER BY custom_id");
    if (filter.limit > 0) {
        statement += QStringLiteral(" LIMIT ? OFFSET ?");
        values << filter.limit << filter.offset;
    }
    auto q = sql::exec(*db, statement, values);
    if (!q)
        return q.error();
    while (q->next()) {
        if (!visit(resultFromRow(*q)))
            break;
    }
    return {};
}

Result<QList<BatchResult>> ResultStore::list(qint64 jobId, const ResultFilter& filter) const
{
    QList<BatchResult> results;
    if (auto done = forEach(jobId,
                            filter,
                            [&](const BatchResult& r) {
                                results.append(r);
                                return true;
                            });
        !done)
        return done.error();
    return results;
}

Result<ResultCounts> ResultStore::counts(qint64 jobId) const
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    return countOn(*db, jobId);
}

Result<ResultCounts> ResultStore::countOn(const QSqlDatabase& db, qint64 jobId)
{
    ResultCounts counts;
    auto all = sql::exec(db, QStringLiteral("SELECT COUNT(*) FROM batch_results WHERE job_id = ?"), {jobId});
    if (!all)
        return all.error();
    if (all->next())
        counts.saved = all->value(0).toLongLong();
    // `ok = 0` written as the partial index's condition, so that both databases use the index.
    auto errors =
        sql::exec(db, QStringLiteral("SELECT COUNT(*) FROM batch_results WHERE job_id = ? AND ok = 0"), {jobId});
    if (!errors)
        return errors.error();
    if (errors->next())
        counts.errors = errors->value(0).toLongLong();
    return counts;
}

} // namespace batchdeck
