#pragma once

#include <functional>

#include <QJsonObject>
#include <QString>

class QIODevice;

namespace batchdeck {

// One record of an input file: its payload and the line it starts on (1-based), or an error.
struct InputRecord
{
    qint64 line = 0;
    QJsonObject payload;
    QString error; // non-empty: the record is bad, and this says why
};

// Return false from the callback to stop reading.
using RecordCallback = std::function<bool(InputRecord&&)>;

// JSON Lines: one object per line; blank lines are skipped; a UTF-8 BOM on the first line is ignored.
void readJsonlRecords(QIODevice& device, const RecordCallback& callback);

// CSV (RFC 4180): a header row, then records; quoted fields may hold commas, quotes ("") and newlines.
// Each record becomes an object of header -> text.
void readCsvRecords(QIODevice& device, const RecordCallback& callback);

} // namespace batchdeck
