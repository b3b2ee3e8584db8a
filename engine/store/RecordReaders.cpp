#include "RecordReaders.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QStringDecoder>
#include <QStringList>

namespace batchdeck {

namespace {

// Decodes one line as strict UTF-8; `ok` is false for bytes that are not UTF-8.
QString decodeUtf8(const QByteArray& bytes, bool& ok)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder(bytes);
    ok = !decoder.hasError();
    return text;
}

QByteArray chompLine(QByteArray line, bool first)
{
    if (first && line.startsWith("\xEF\xBB\xBF"))
        line.remove(0, 3);
    while (line.endsWith('\n') || line.endsWith('\r'))
        line.chop(1);
    return line;
}

// Splits CSV text that holds one complete record. Returns false while a quoted field is open.
bool splitCsvRecord(const QString& text, QStringList& fields, QString& error)
{
    fields.clear();
    QString field;
    bool inQuotes = false;
    bool fieldWasQuoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (inQuotes) {
            if (c == u'"') {
                if (i + 1 < text.size() && text.at(i + 1) == u'"') {
                    field += u'"';
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                field += c;
            }
        } else if (c == u',') {
            fields.append(field);
            field.clear();
            fieldWasQuoted = false;
        } else if (c == u'"') {
            if (!field.isEmpty() || fieldWasQuoted) {
                error = QStringLiteral("a quote in the middle of an unquoted field");
                return true;
            }
            inQuotes = true;
            fieldWasQuoted = true;
        } else {
            if (fieldWasQuoted) {
                error = QStringLiteral("text after the closing quote of a field");
                return true;
            }
            field += c;
        }
    }
    if (inQuotes)
        return false;
    fields.append(field);
    return true;
}

} // namespace

void readJsonlRecords(QIODevice& device, const RecordCallback& callback)
{
    qint64 lineNumber = 0;
    while (!device.atEnd()) {
        const QByteArray line = chompLine(device.readLine(), lineNumber == 0);
        ++lineNumber;
        if (line.trimmed().isEmpty())
            continue;
        InputRecord record;
        record.line = lineNumber;
        bool utf8 = true;
        decodeUtf8(line, utf8);
        if (!utf8) {
            record.error = QStringLiteral("not valid UTF-8");
        } else {
            QJsonParseError parseError;
            const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
            if (parseError.error != QJsonParseError::NoError)
                record.error = QStringLiteral("invalid JSON at column %1: %2")
                                   .arg(parseError.offset + 1)
                                   .arg(parseError.errorString());
            else if (!document.isObject())
                record.error = QStringLiteral("not a JSON object");
            else
                record.payload = document.object();
        }
        if (!callback(std::move(record)))
            return;
    }
}

void readCsvRecords(QIODevice& device, const RecordCallback& callback)
{
    QStringList header;
    qint64 lineNumber = 0;
    while (!device.atEnd()) {
        QString text;
        QStringList fields;
        QString error;
        const qint64 startLine = lineNumber + 1;
        bool complete = false;
        bool utf8 = true;
        // A quoted field may span lines: keep reading until the record closes.
        while (!complete && !device.atEnd()) {
            const QByteArray raw = device.readLine();
            const bool hadNewline = raw.endsWith('\n');
            QByteArray line = chompLine(raw, lineNumber == 0);
            ++lineNumber;
            bool lineOk = true;
            const QString decoded = decodeUtf8(line, lineOk);
            utf8 = utf8 && lineOk;
            if (!text.isEmpty() || complete)
                text += u'\n';
            text += decoded;
            complete = splitCsvRecord(text, fields, error);
            if (!complete && !hadNewline)
                break;
        }
        if (text.trimmed().isEmpty() && complete)
            continue;
        InputRecord record;
        record.line = startLine;
        if (!utf8)
            record.error = QStringLiteral("not valid UTF-8");
        else if (!complete)
            record.error = QStringLiteral("a quoted field is never closed");
        else if (!error.isEmpty())
            record.error = error;

        if (header.isEmpty() && record.error.isEmpty()) {
            for (const QString& name : std::as_const(fields)) {
                if (name.trimmed().isEmpty()) {
                    record.error = QStringLiteral("the header row has an empty column name");
                    break;
                }
                if (header.contains(name.trimmed())) {
                    record.error = QStringLiteral("the header row names '%1' twice").arg(name.trimmed());
                    break;
                }
                header.append(name.trimmed());
            }
            if (record.error.isEmpty())
                continue;
            header.clear();
            callback(std::move(record));
            return; // nothing after a bad header can be read
        }
        if (record.error.isEmpty() && fields.size() != header.size())
            record.error = QStringLiteral("%1 fields, but the header has %2").arg(fields.size()).arg(header.size());
        if (record.error.isEmpty()) {
            for (qsizetype i = 0; i < header.size(); ++i)
                record.payload.insert(header.at(i), fields.at(i));
        }
        if (!callback(std::move(record)))
            return;
    }
}

} // namespace batchdeck
