#pragma once

#include <memory>

#include "core/Result.h"
#include "store/ResultStore.h"

namespace batchdeck {
class Database;
}

namespace batchdeck::cli {

enum class ExportFormat
{
    Jsonl,
    Csv,
};

// Streams a job's results to `path` (standard output when empty), one row at a time.
// Returns how many were written.
Result<qint64> exportResults(const std::shared_ptr<Database>& database,
                             qint64 jobId,
                             const ResultFilter& filter,
                             ExportFormat format,
                             const QString& path);

} // namespace batchdeck::cli
