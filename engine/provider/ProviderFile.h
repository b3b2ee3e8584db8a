#pragma once

#include <optional>

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include "core/Result.h"

namespace batchdeck {

// The provider's File object (reference §2). Times are UTC epoch milliseconds.
struct ProviderFile
{
    QString id;
    QString object; // "file"
    qint64 bytes = 0;
    std::optional<qint64> createdAtMs;
    std::optional<qint64> expiresAtMs;
    QString filename;
    QString purpose;       // batch, batch_output, ...
    QString status;        // uploaded | processed | error (deprecated upstream, still sent)
    QString statusDetails; // deprecated upstream; empty when null
    QJsonObject raw;       // the whole object, so unknown fields are not lost

    // Fails only when the object has no id.
    static Result<ProviderFile> fromJson(const QJsonObject& object);
};

// Where a downloaded file content ended up.
struct DownloadedFile
{
    QString fileId;
    QString path; // the final path, written atomically (temporary file, then rename)
    qint64 bytes = 0;
};

// The first bytes of a file's content, read into memory (readFileContentHead).
struct FileHead
{
    QString fileId;
    QByteArray data;
    bool complete = false; // data is the whole file
};

} // namespace batchdeck
