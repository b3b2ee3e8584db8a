#pragma once

#include <memory>

#include <QString>

#include "core/Result.h"

namespace batchdeck {

class Database;

// The sample data of demo mode: one run of product reviews in the demo database (AppEngine's, shared
// with batchdeck-cli --demo), so that a first start has something to submit.
class DemoDatabase
{
public:
    static QString sampleRunId();
    static constexpr int kSampleItems = 36;

    // Imports the sample run when the database has no runs yet; true when it did.
    static Result<bool> seedIfEmpty(const std::shared_ptr<Database>& database);
};

} // namespace batchdeck
