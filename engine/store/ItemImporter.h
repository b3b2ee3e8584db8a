#pragma once

#include <memory>

#include <QString>

#include "core/Result.h"
#include "store/Clock.h"

class QIODevice;
class QJsonObject;

namespace batchdeck {

class Database;

enum class ItemFormat
{
    Auto, // by file extension: .csv, or .jsonl/.ndjson/.json
    Jsonl,
    Csv,
};

struct ImportOptions
{
    QString keyField = QStringLiteral("id");
    ItemFormat format = ItemFormat::Auto;
};

struct ImportReport
{
    qint64 items = 0; // records imported (new or updated)
};

// Imports a run's items. The whole file is one transaction: a file with any bad record writes
// nothing, and the error lists the bad lines by number. Records are streamed, never the whole
// file in memory. Importing a key again updates its payload.
class ItemImporter
{
public:
    explicit ItemImporter(std::shared_ptr<Database> database, const Clock& clock = Clock::system());

    Result<ImportReport> importFile(const QString& runId, const QString& path, const ImportOptions& options = {});
    Result<ImportReport> importDevice(
        const QString& runId, QIODevice& device, ItemFormat format, const QString& keyField, const QString& sourceName);

    static constexpr int kMaxKeyLength = 512;
    static constexpr int kMaxReportedErrors = 50;

    // The item key of a record: a non-empty string, or an integer a double holds exactly, of the key
    // field, without control characters; otherwise `error` says why. Previews use the same rule.
    static QString keyOf(const QJsonObject& payload, const QString& keyField, QString& error);

private:
    std::shared_ptr<Database> m_database;
    const Clock& m_clock;
};

} // namespace batchdeck
