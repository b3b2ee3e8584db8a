#pragma once

#include <memory>

#include <QString>
#include <QTemporaryDir>

#include "core/Result.h"

namespace batchdeck {
class Database;
}

namespace batchdeck::test {

// The backend a test runs against, from BATCHDECK_TEST_BACKEND ("sqlite" by default, or "pg").
bool usingPostgres();

// A fresh, empty database URL for one test: a SQLite file in `dir`, or a new schema in the
// PostgreSQL named by BATCHDECK_TEST_PG_URL (which ./test.sh starts). On "pg" without that
// variable, returns an empty string and the test must fail: PostgreSQL tests are never skipped.
QString freshDatabaseUrl(const QTemporaryDir& dir);

// Opens a fresh database (freshDatabaseUrl) and, when `url` is given, says where it is. The error
// tells why it could not: no BATCHDECK_TEST_PG_URL for a PostgreSQL run, or the open's own error.
Result<std::shared_ptr<Database>> openFreshDatabase(const QTemporaryDir& dir, QString* url = nullptr);

// The message of a failed result, for QVERIFY2; empty for a success.
template <typename T> QString messageOf(const Result<T>& result)
{
    return result.ok() ? QString() : result.error().message;
}

// The PostgreSQL server URL given to the tests, or empty.
QString postgresServerUrl();

} // namespace batchdeck::test
