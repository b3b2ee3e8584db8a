#pragma once

#include <QByteArray>

#include "batchtypes/Endpoint.h"
#include "batchtypes/KeepMode.h"
#include "store/BatchResult.h"

namespace batchdeck {

// Turns one line of a provider's output or error file into a result. Never fails: a line that cannot
// be read becomes an error result carrying its line number (reference §6), so one bad line never
// aborts a job. Pure and thread-safe: process() runs it on QtConcurrent workers.
struct OutputLineContext
{
    Endpoint endpoint = Endpoint::ChatCompletions;
    KeepMode keep = KeepMode::Text;
    int attempt = 1;
    QString fileLabel; // "output" or "error", used to key results of lines without a custom_id
};

BatchResult parseOutputLine(QByteArrayView line, qint64 lineNumber, const OutputLineContext& context);

// The general path through Qt's JSON DOM, which parseOutputLine takes when its byte-level fast path
// (OutputLineFastPath.h) does not fully understand a line. Public for the differential test.
BatchResult parseOutputLineWithQt(QByteArrayView line, qint64 lineNumber, const OutputLineContext& context);

} // namespace batchdeck
