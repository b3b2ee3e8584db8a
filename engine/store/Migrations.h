#pragma once

#include <QSqlDatabase>

#include "core/Result.h"

namespace batchdeck::migrations {

// The newest schema version this build knows.
int latestVersion();

// The version recorded in schema_migrations (0 for an empty database).
Result<int> currentVersion(const QSqlDatabase& db);

// Applies every missing migration, each in its own transaction, recorded in schema_migrations.
// Refuses a database whose version is newer than latestVersion(). Safe when two processes open
// a fresh database at once: the migration runs under a lock and re-reads the version.
Status apply(const QSqlDatabase& db, bool postgres);

} // namespace batchdeck::migrations
