#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include "core/Result.h"

namespace batchdeck::sim {

struct MultipartPart
{
    QString name;
    QString filename; // basename only; empty for plain fields
    bool hasFilename = false;
    QByteArray contentType;
    QByteArrayView data; // points into the body given to parseMultipart()
};

// Extracts the boundary from a Content-Type like `multipart/form-data; boundary="x"`.
Result<QByteArray> multipartBoundary(const QByteArray& contentType);

// Splits a multipart/form-data body into parts, in the order sent (SDK 6 sends `purpose` first,
// SDK 7 `file` first). Part data are views into `body`, so a large file is never copied here.
Result<QList<MultipartPart>> parseMultipart(QByteArrayView body, const QByteArray& boundary);

} // namespace batchdeck::sim
