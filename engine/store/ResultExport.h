#pragma once

#include <memory>

#include "core/Result.h"
#include "store/ResultStore.h"

namespace batchdeck {

class Database;

enum class ExportFormat
{
    Jsonl,
    Csv,
};

// Streams a job's results to `path` (standard output when empty), one row at a time, never all of
// them in memory; a file appears whole or not at all. Returns how many were written. Shared by the
// CLI's `results` and the console's export.
Result<qint64> exportResults(const std::shared_ptr<Database>& database,
                             qint64 jobId,
                             const ResultFilter& filter,
                             ExportFormat format,
                             const QString& path);

} // namespace batchdeck
