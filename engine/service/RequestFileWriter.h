#pragma once

#include <memory>

#include <QString>

#include "batchtypes/BatchType.h"
#include "core/Result.h"
#include "service/ServiceSettings.h"

namespace batchdeck {

class Database;

struct RequestFile
{
    QString path;
    qint64 requests = 0;
    qint64 bytes = 0;
};

// Renders a job's requests into a .jsonl file, one line at a time (never the whole file in memory),
// from the run's items or from the results of an earlier batch type of the run, and checks the
// provider's limits. Errors: InvalidInput with code "nothing_to_submit", "render_failed" or
// "over_provider_limit", naming the item or the limit.
class RequestFileWriter
{
public:
    RequestFileWriter(std::shared_ptr<Database> database, const ServiceSettings& settings);

    Result<RequestFile> write(const QString& runId, const BatchType& type, const QString& path) const;

private:
    std::shared_ptr<Database> m_database;
    const ServiceSettings& m_settings;
};

} // namespace batchdeck
