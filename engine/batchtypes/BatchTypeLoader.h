#pragma once

#include <optional>

#include <QByteArray>
#include <QList>
#include <QString>

#include "batchtypes/BatchType.h"
#include "batchtypes/BatchTypeProblem.h"

namespace batchdeck {

// What reading one definition gave: a valid type, or the problems that kept it out (all of them,
// so a user fixes a file in one go).
struct BatchTypeLoadResult
{
    std::optional<BatchType> type;
    QList<BatchTypeProblem> problems;
    QString declaredName; // the file's "name" when it could be read, even if the file is bad
    QString file;

    bool ok() const { return type.has_value(); }
};

// Reads batch type definitions (the format is in BatchType.h) and checks every field, including
// the template's placeholders, so a type that loads can be rendered.
class BatchTypeLoader
{
public:
    // Definitions are small; anything bigger is a mistake (a JSONL data file dropped in the folder).
    static constexpr qint64 kMaxFileSize = 1024 * 1024;

    // One definition from its bytes; `file` names it in problems and becomes the type's origin.
    // Total over any input: the entry point for fuzzing.
    static BatchTypeLoadResult parse(const QByteArray& json, const QString& file);

    static BatchTypeLoadResult loadFile(const QString& path);

    // Every "*.json" file of a folder (Qt resource paths work too), in file name order.
    static QList<BatchTypeLoadResult> loadFolder(const QString& folder);
};

} // namespace batchdeck
