#include "ItemImporter.h"

#include <cmath>

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonValue>
#include <QSqlError>
#include <QSqlQuery>

#include "core/Json.h"
#include "core/Names.h"
#include "store/Database.h"
#include "store/RecordReaders.h"
#include "store/RunStore.h"
#include "store/SqlSupport.h"
#include "store/Transaction.h"

namespace batchdeck {

QString ItemImporter::keyOf(const QJsonObject& payload, const QString& keyField, QString& error)
{
    const QJsonValue value = payload.value(keyField);
    QString key;
    if (value.isString()) {
        key = value.toString();
    } else if (value.isDouble()) {
        // Only integers a double holds exactly (up to 2^53); the range is checked before the cast,
        // which is undefined for a double outside qint64's.
        constexpr double kMaxExactInteger = 9007199254740992.0;
        const double number = value.toDouble();
        if (!(std::abs(number) <= kMaxExactInteger) || std::trunc(number) != number) {
            error = QStringLiteral("field '%1' must be a string or an integer").arg(keyField);
            return {};
        }
        key = QString::number(qint64(number));
    } else {
        error = value.isUndefined() ? QStringLiteral("field '%1' is missing").arg(keyField)
                                    : QStringLiteral("field '%1' must be a string or an integer").arg(keyField);
        return {};
    }
    if (key.isEmpty())
        error = QStringLiteral("field '%1' is empty").arg(keyField);
    else if (key.size() > ItemImporter::kMaxKeyLength)
        error = QStringLiteral("key is longer than %1 characters").arg(ItemImporter::kMaxKeyLength);
    else if (std::any_of(key.cbegin(), key.cend(), [](QChar c) { return c.category() == QChar::Other_Control; }))
        error = QStringLiteral("key holds a control character");
    return key;
}

ItemImporter::ItemImporter(std::shared_ptr<Database> database, const Clock& clock)
    : m_database(std::move(database))
    , m_clock(clock)
{}

Result<ImportReport> ItemImporter::importFile(const QString& runId, const QString& path, const ImportOptions& options)
{
    ItemFormat format = options.format;
    if (format == ItemFormat::Auto) {
        const QString suffix = QFileInfo(path).suffix().toLower();
        if (suffix == u"csv")
            format = ItemFormat::Csv;
        else if (suffix == u"jsonl" || suffix == u"ndjson" || suffix == u"json")
            format = ItemFormat::Jsonl;
        else
            return makeError(
                ErrorKind::InvalidInput,
                QStringLiteral("cannot tell the format of %1 from its name: use .jsonl or .csv, or say --format")
                    .arg(path));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Io, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    return importDevice(runId, file, format, options.keyField, path);
}

Result<ImportReport> ItemImporter::importDevice(
    const QString& runId, QIODevice& device, ItemFormat format, const QString& keyField, const QString& sourceName)
{
    if (auto valid = validateRunId(runId); !valid)
        return valid.error();
    if (keyField.isEmpty())
        return makeError(ErrorKind::InvalidInput, QStringLiteral("the key field name is empty"));

    auto db = m_database->connection();
    if (!db)
        return db.error();
    auto tx = Transaction::begin(*db);
    if (!tx)
        return tx.error();
    const qint64 now = m_clock.nowMs();
    if (auto run = RunStore::ensureRun(*db, runId, now); !run)
        return run.error();

    QSqlQuery upsert(*db);
    if (!upsert.prepare(
            QStringLiteral("INSERT INTO run_items (run_id, item_key, payload, position, created_at, updated_at)"
                           " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, item_key) DO UPDATE SET"
                           " payload = excluded.payload, position = excluded.position,"
                           " updated_at = excluded.updated_at")))
        return sql::errorFrom(upsert.lastError(), QStringLiteral("cannot prepare the item import"));

    QHash<QString, qint64> firstLineOfKey;
    QStringList errors;
    qint64 errorCount = 0;
    qint64 imported = 0;
    std::optional<Error> databaseError;

    auto onRecord = [&](InputRecord&& record) {
        QString error = record.error;
        QString key;
        if (error.isEmpty())
            key = keyOf(record.payload, keyField, error);
        if (error.isEmpty()) {
            const auto seen = firstLineOfKey.constFind(key);
            if (seen != firstLineOfKey.cend())
                error = QStringLiteral("key '%1' was already given on line %2").arg(key).arg(seen.value());
            else
                firstLineOfKey.insert(key, record.line);
        }
        if (!error.isEmpty()) {
            if (++errorCount <= kMaxReportedErrors)
                errors.append(QStringLiteral("line %1: %2").arg(record.line).arg(error));
            return true; // keep reading so the operator sees every bad line at once
        }
        if (errorCount > 0)
            return true; // nothing will be kept; only look for more errors
        const auto stored =
            sql::execPrepared(upsert,
                              {runId, key, QString::fromUtf8(json::compact(record.payload)), imported, now, now},
                              QStringLiteral("cannot store item '%1'").arg(key));
        if (!stored) {
            databaseError = stored.error();
            return false;
        }
        ++imported;
        return true;
    };
    if (format == ItemFormat::Csv)
        readCsvRecords(device, onRecord);
    else
        readJsonlRecords(device, onRecord);

    if (databaseError)
        return *databaseError;
    if (errorCount > 0) {
        QString message = QStringLiteral("%1 has %2 bad record%3; nothing was imported:\n")
                              .arg(sourceName)
                              .arg(errorCount)
                              .arg(errorCount == 1 ? QString() : QStringLiteral("s"));
        message += errors.join(u'\n');
        if (errorCount > kMaxReportedErrors)
            message += QStringLiteral("\n... and %1 more").arg(errorCount - kMaxReportedErrors);
        return makeError(ErrorKind::InvalidInput, message);
    }
    if (imported == 0)
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("%1 holds no items; nothing was imported").arg(sourceName));
    upsert.finish();
    if (auto committed = tx->commit(); !committed)
        return committed.error();
    return ImportReport{imported};
}

} // namespace batchdeck
