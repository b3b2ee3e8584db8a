// Fuzz target for item files: one input is a whole file, read as JSON Lines and as CSV, then
// imported (JSONL) into an in-memory SQLite store by ItemImporter. Nothing may crash; records come in
// line order, each either a payload or an error; an import succeeds exactly when every non-blank line
// is an object with a usable, unique key; and what was stored reads back as the same JSON objects, in
// file order.
#include <cstdint>
#include <cstdio>

#include <QBuffer>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>

#include "FuzzCheck.h"
#include "store/Database.h"
#include "store/ItemImporter.h"
#include "store/RecordReaders.h"

using namespace batchdeck;
using namespace Qt::StringLiterals;

namespace {

const QString kRun = u"fuzz-run"_s;

std::shared_ptr<Database> database()
{
    static const std::shared_ptr<Database> db = [] {
        auto opened = Database::open(u"sqlite::memory:"_s);
        fuzzCheck(opened.ok(), "the in-memory database opens");
        return *opened;
    }();
    return db;
}

QList<InputRecord> read(const QByteArray& input, bool csv)
{
    QBuffer buffer;
    buffer.setData(input);
    buffer.open(QIODevice::ReadOnly);
    QList<InputRecord> records;
    const RecordCallback collect = [&](InputRecord&& record) {
        fuzzCheck(record.line >= 1, "a record has a line number");
        fuzzCheck(records.isEmpty() || record.line > records.constLast().line, "records come in line order");
        fuzzCheck(record.error.isEmpty() || record.payload.isEmpty(), "a bad record has no payload");
        records.append(std::move(record));
        return true;
    };
    if (csv)
        readCsvRecords(buffer, collect);
    else
        readJsonlRecords(buffer, collect);
    return records;
}

QList<QByteArray> storedPayloads(QSqlDatabase& db)
{
    QSqlQuery query(db);
    query.prepare(u"SELECT payload FROM run_items WHERE run_id = ? ORDER BY position"_s);
    query.addBindValue(kRun);
    fuzzCheck(query.exec(), "the stored items can be read");
    QList<QByteArray> payloads;
    while (query.next())
        payloads.append(query.value(0).toString().toUtf8());
    return payloads;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    read(input, true);
    const QList<InputRecord> records = read(input, false);

    auto db = database()->connection();
    fuzzCheck(db.ok(), "the database connection opens");
    QSqlQuery clear(*db);
    clear.prepare(u"DELETE FROM run_items WHERE run_id = ?"_s);
    clear.addBindValue(kRun);
    fuzzCheck(clear.exec(), "the run's items can be cleared");

    QBuffer buffer;
    buffer.setData(input);
    buffer.open(QIODevice::ReadOnly);
    const Result<ImportReport> report =
        ItemImporter(database()).importDevice(kRun, buffer, ItemFormat::Jsonl, u"id"_s, u"fuzz.jsonl"_s);
    const bool anyBad =
        std::any_of(records.cbegin(), records.cend(), [](const InputRecord& r) { return !r.error.isEmpty(); });
    if (anyBad || records.isEmpty()) {
        fuzzCheck(!report.ok(), "a file with a bad record or no record imports nothing");
        fuzzCheck(!report.error().message.isEmpty(), "a refused import says why");
    }
    const QList<QByteArray> stored = storedPayloads(*db);
    if (!report) {
        fuzzCheck(stored.isEmpty(), "a refused import stores nothing");
        return 0;
    }
    fuzzCheck(report->items == records.size(), "every record is imported");
    fuzzCheck(stored.size() == records.size(), "every record is stored once");
    for (qsizetype i = 0; i < records.size(); ++i) {
        const QJsonObject back = QJsonDocument::fromJson(stored.at(i)).object();
        if (back != records.at(i).payload) {
            std::fprintf(stderr,
                         "line %lld stored as %s\n",
                         static_cast<long long>(records.at(i).line),
                         stored.at(i).constData());
            fuzzCheck(false, "a stored payload reads back as the record's object");
        }
    }
    return 0;
}
