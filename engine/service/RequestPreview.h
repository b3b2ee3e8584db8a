#pragma once

#include <memory>

#include <QByteArray>
#include <QList>
#include <QString>

#include "batchtypes/BatchType.h"
#include "core/Result.h"

namespace batchdeck {

class Database;

// The first request lines a submit of a batch type for a run sends (or sent), rendered as the
// submit renders them, and how many lines the whole file has.
struct RequestPreview
{
    QList<QByteArray> lines;
    qint64 total = 0; // requests a submit would send now
};

// Renders the first `limit` requests from the run's items, or from the successful results of the
// earlier stage for a chained batch type. Reads only those rows; counts the rest in the database.
Result<RequestPreview>
previewRequests(const std::shared_ptr<Database>& database, const BatchType& type, const QString& runId, int limit);

} // namespace batchdeck
