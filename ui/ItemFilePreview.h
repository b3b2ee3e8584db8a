#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include "service/RequestFileCheck.h"
#include "store/ItemImporter.h"

namespace batchdeck {

// The first records of an items file and every bad line, read before anything is imported (the
// submit dialog shows it; ItemImporter does the import on confirm and refuses the same lines).
struct ItemFilePreview
{
    QString path;
    ItemFormat format = ItemFormat::Auto; // as found from the name when Auto was asked
    QStringList columns;                  // fields of the first rows, the key field first
    QList<QJsonObject> rows;              // the first records that are good
    QList<QString> keys;                  // their item keys
    QList<qint64> lines;                  // the lines they start on
    QList<RequestLineProblem> problems;   // at most kMaxProblems
    qint64 problemCount = 0;
    qint64 records = 0; // good records in the file
    QString error;      // the file cannot be read at all
};

constexpr int kMaxItemPreviewProblems = 100;

// Streams the whole file (never all of it in memory): records are checked like ItemImporter checks
// them (a record the reader refuses, a missing or empty key field); the first `maxRows` are kept.
ItemFilePreview previewItemFile(const QString& path, ItemFormat format, const QString& keyField, int maxRows);

} // namespace batchdeck
