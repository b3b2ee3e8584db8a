#include "ResultExport.h"

#include <QFile>
#include <QSaveFile>

#include "core/Json.h"

namespace batchdeck {

namespace {

// RFC 4180: quote a field when it holds a comma, a quote or a line break; double the quotes.
QByteArray csvField(const QString& text)
{
    QByteArray bytes = text.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n') || bytes.contains('\r')) {
        bytes.replace("\"", "\"\"");
        return '"' + bytes + '"';
    }
    return bytes;
}

QByteArray csvRow(const BatchResult& r)
{
    const QStringList fields{r.customId,
                             r.ok ? QStringLiteral("true") : QStringLiteral("false"),
                             r.statusCode == 0 ? QString() : QString::number(r.statusCode),
                             r.content,
                             r.parsedJson,
                             r.errorCode,
                             r.errorMessage,
                             QString::number(r.inputTokens),
                             QString::number(r.outputTokens),
                             QString::number(r.totalTokens)};
    QByteArray row;
    for (const QString& field : fields) {
        if (!row.isEmpty())
            row += ',';
        row += csvField(field);
    }
    return row + "\r\n";
}

} // namespace

Result<qint64> exportResults(const std::shared_ptr<Database>& database,
                             qint64 jobId,
                             const ResultFilter& filter,
                             ExportFormat format,
                             const QString& path)
{
    // A file appears whole or not at all; standard output streams.
    QSaveFile file(path);
    QFile standardOutput;
    QIODevice* device = nullptr;
    if (path.isEmpty()) {
        if (!standardOutput.open(stdout, QIODevice::WriteOnly))
            return makeError(ErrorKind::Io, QStringLiteral("cannot write to standard output"));
        device = &standardOutput;
    } else {
        if (!file.open(QIODevice::WriteOnly))
            return makeError(ErrorKind::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        device = &file;
    }
    if (format == ExportFormat::Csv)
        device->write("custom_id,ok,status_code,content,parsed,error_code,error_message,input_tokens,output_tokens,"
                      "total_tokens\r\n");
    qint64 count = 0;
    bool writeFailed = false;
    auto done = ResultStore(database).forEach(jobId, filter, [&](const BatchResult& result) {
        QJsonObject line = result.toJson();
        line.remove(QStringLiteral("line"));
        line.remove(QStringLiteral("attempt"));
        const QByteArray bytes = format == ExportFormat::Csv ? csvRow(result) : json::compact(line) + '\n';
        if (device->write(bytes) != bytes.size()) {
            writeFailed = true;
            return false;
        }
        ++count;
        return true;
    });
    if (!done)
        return done.error();
    if (writeFailed)
        return makeError(ErrorKind::Io, QStringLiteral("cannot write the results: %1").arg(device->errorString()));
    if (!path.isEmpty() && !file.commit())
        return makeError(ErrorKind::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return count;
}

} // namespace batchdeck
