#include "ItemFilePreview.h"

#include <QFile>
#include <QFileInfo>

#include "store/RecordReaders.h"

namespace batchdeck {

ItemFilePreview previewItemFile(const QString& path, ItemFormat format, const QString& keyField, int maxRows)
{
    ItemFilePreview preview;
    preview.path = path;
    if (format == ItemFormat::Auto) {
        const QString suffix = QFileInfo(path).suffix().toLower();
        if (suffix == u"csv")
            format = ItemFormat::Csv;
        else if (suffix == u"jsonl" || suffix == u"ndjson" || suffix == u"json")
            format = ItemFormat::Jsonl;
        else {
            preview.error = QStringLiteral("cannot tell the format of %1 from its name: choose JSONL or CSV")
                                .arg(QFileInfo(path).fileName());
            return preview;
        }
    }
    preview.format = format;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        preview.error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return preview;
    }
    auto problem = [&preview](qint64 line, const QString& message) {
        ++preview.problemCount;
        if (preview.problems.size() < kMaxItemPreviewProblems)
            preview.problems.append({line, message});
    };
    const RecordCallback visit = [&](InputRecord&& record) {
        if (!record.error.isEmpty()) {
            problem(record.line, record.error);
            return true;
        }
        QString wrong;
        const QString key = ItemImporter::keyOf(record.payload, keyField, wrong);
        if (!wrong.isEmpty()) {
            problem(record.line, wrong);
            return true;
        }
        ++preview.records;
        if (preview.rows.size() < maxRows) {
            for (auto it = record.payload.constBegin(); it != record.payload.constEnd(); ++it) {
                if (!preview.columns.contains(it.key()))
                    preview.columns.append(it.key());
            }
            preview.rows.append(record.payload);
            preview.keys.append(key);
            preview.lines.append(record.line);
        }
        return true;
    };
    if (format == ItemFormat::Csv)
        readCsvRecords(file, visit);
    else
        readJsonlRecords(file, visit);
    if (preview.columns.removeOne(keyField))
        preview.columns.prepend(keyField);
    if (preview.records == 0 && preview.problemCount == 0)
        problem(1, QStringLiteral("the file holds no records"));
    return preview;
}

} // namespace batchdeck
