#pragma once

#include <QByteArrayView>
#include <QStringList>

#include "core/Result.h"

namespace batchdeck::http {

// Splits a request path as sent ("/pipeline/manual__2026-12-03T10%3A15%3A30%2B00%3A00/jobs") at its
// slashes first and percent-decodes each segment after, so an encoded slash ("%2F") stays inside its
// segment, where the run id check refuses it, instead of making a new one. Strict where QUrl is
// tolerant: a "%" without two hex digits, a decoded NUL or bytes that are not UTF-8 are errors
// (InvalidInput, code invalid_path). A path must start with "/"; empty segments ("/a//b", "/a/")
// are kept, and match no route.
Result<QStringList> decodePathSegments(QByteArrayView rawPath);

} // namespace batchdeck::http
