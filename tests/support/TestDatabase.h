#pragma once

#include <QString>
#include <QTemporaryDir>

namespace batchdeck::test {

// The backend a test runs against, from BATCHDECK_TEST_BACKEND ("sqlite" by default, or "pg").
bool usingPostgres();

// A fresh, empty database URL for one test: a SQLite file in `dir`, or a new schema in the
// PostgreSQL named by BATCHDECK_TEST_PG_URL (which ./test.sh starts). On "pg" without that
// variable, returns an empty string and the test must fail: PostgreSQL tests are never skipped.
QString freshDatabaseUrl(const QTemporaryDir& dir);

// The PostgreSQL server URL given to the tests, or empty.
QString postgresServerUrl();

} // namespace batchdeck::test
