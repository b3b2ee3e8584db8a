#include "ProviderBatchStore.h"

#include <QSqlQuery>

#include "core/Json.h"
#include "store/Database.h"
#include "store/SqlSupport.h"

namespace batchdeck {

namespace {

const QString kColumns = QStringLiteral(
    "id, job_id, attempt, shard, llm_batch_id, input_file_id, output_file_id, error_file_id, provider_status,"
    " request_total, request_completed, request_failed, raw_json, created_at, updated_at");

ProviderBatchRecord recordFromRow(const QSqlQuery& q)
{
    ProviderBatchRecord r;
    r.id = q.value(0).toLongLong();
    r.jobId = q.value(1).toLongLong();
    r.attempt = q.value(2).toInt();
    r.shard = q.value(3).toInt();
    r.llmBatchId = q.value(4).toString();
    r.inputFileId = q.value(5).toString();
    r.outputFileId = q.value(6).toString();
    r.errorFileId = q.value(7).toString();
    r.providerStatus = q.value(8).toString();
    r.requestTotal = q.value(9).toLongLong();
    r.requestCompleted = q.value(10).toLongLong();
    r.requestFailed = q.value(11).toLongLong();
    r.raw = json::parseObject(q.value(12).toString().toUtf8());
    r.createdAt = q.value(13).toLongLong();
    r.updatedAt = q.value(14).toLongLong();
    return r;
}

QJsonValue textOrNull(const QString& text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

} // namespace

QJsonObject ProviderBatchRecord::toJson() const
{
    return QJsonObject{
        {QStringLiteral("attempt"), attempt},
        {QStringLiteral("shard"), shard},
        {QStringLiteral("batch_id"), textOrNull(llmBatchId)},
        {QStringLiteral("status"), textOrNull(providerStatus)},
        {QStringLiteral("input_file_id"), textOrNull(inputFileId)},
        {QStringLiteral("output_file_id"), textOrNull(outputFileId)},
        {QStringLiteral("error_file_id"), textOrNull(errorFileId)},
        {QStringLiteral("request_counts"),
         QJsonObject{{QStringLiteral("total"), requestTotal},
                     {QStringLiteral("completed"), requestCompleted},
                     {QStringLiteral("failed"), requestFailed}}},
        {QStringLiteral("created_at"), createdAt},
        {QStringLiteral("updated_at"), updatedAt},
    };
}

ProviderBatchStore::ProviderBatchStore(std::shared_ptr<Database> database, const Clock& clock)
    : m_database(std::move(database))
    , m_clock(clock)
{}

Result<ProviderBatchRecord> ProviderBatchStore::save(const ProviderBatchRecord& record)
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    const qint64 now = m_clock.nowMs();
    auto saved = sql::exec(
        *db,
        QStringLiteral(
            "INSERT INTO provider_batches (job_id, attempt, shard, llm_batch_id, input_file_id, output_file_id,"
            " error_file_id, provider_status, request_total, request_completed, request_failed, raw_json,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (job_id, attempt, shard) DO UPDATE SET llm_batch_id = excluded.llm_batch_id,"
            " input_file_id = excluded.input_file_id, output_file_id = excluded.output_file_id,"
            " error_file_id = excluded.error_file_id, provider_status = excluded.provider_status,"
            " request_total = excluded.request_total, request_completed = excluded.request_completed,"
            " request_failed = excluded.request_failed, raw_json = excluded.raw_json,"
            " updated_at = excluded.updated_at"),
        {record.jobId,
         record.attempt,
         record.shard,
         sql::nullableText(record.llmBatchId),
         sql::nullableText(record.inputFileId),
         sql::nullableText(record.outputFileId),
         sql::nullableText(record.errorFileId),
         sql::nullableText(record.providerStatus),
         record.requestTotal,
         record.requestCompleted,
         record.requestFailed,
         record.raw.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                              : QVariant(QString::fromUtf8(json::compact(record.raw))),
         now,
         now});
    if (!saved)
        return saved.error();
    auto found = find(record.jobId, record.attempt, record.shard);
    if (!found)
        return found.error();
    if (!found->has_value())
        return makeError(ErrorKind::Internal, QStringLiteral("provider batch row vanished after it was saved"));
    return found->value();
}

Result<std::optional<ProviderBatchRecord>> ProviderBatchStore::find(qint64 jobId, int attempt, int shard) const
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    auto q = sql::exec(*db,
                       QStringLiteral("SELECT ") + kColumns +
                           QStringLiteral(" FROM provider_batches WHERE job_id = ? AND attempt = ? AND shard = ?"),
                       {jobId, attempt, shard});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<ProviderBatchRecord>();
    return std::optional<ProviderBatchRecord>(recordFromRow(*q));
}

Result<QList<ProviderBatchRecord>> ProviderBatchStore::forJob(qint64 jobId) const
{
    auto db = m_database->connection();
    if (!db)
        return db.error();
    auto q = sql::exec(*db,
                       QStringLiteral("SELECT ") + kColumns +
                           QStringLiteral(" FROM provider_batches WHERE job_id = ? ORDER BY attempt, shard"),
                       {jobId});
    if (!q)
        return q.error();
    QList<ProviderBatchRecord> records;
    while (q->next())
        records.append(recordFromRow(*q));
    return records;
}

} // namespace batchdeck
