#pragma once

#include <initializer_list>

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

#include "core/Result.h"

namespace batchdeck::sql {

// How long a SQLite writer waits for another connection's write lock before giving up.
inline constexpr int kSqliteBusyTimeoutMs = 10'000;

// An Error from a failed query or connection; `what` says what we were doing. A SQLite lock that
// outlasted the busy timeout says so, so that "database is locked" does not read like a fault here.
Error errorFrom(const QSqlError& error, const QString& what);
// The same from the database's own message (the sqlite3 API's paths: store/SqliteHandle.h).
Error databaseError(const QString& what, QString detail);

// Prepares `statement`, binds `values` positionally and runs it. Values are always bound, never
// spliced into the text; a statement without values (DDL) runs unprepared.
Result<QSqlQuery> exec(const QSqlDatabase& db, const QString& statement, std::initializer_list<QVariant> values = {});
Result<QSqlQuery> exec(const QSqlDatabase& db, const QString& statement, const QVariantList& values);

// Runs an already prepared query with `values` bound positionally (for statements reused in a loop).
Status execPrepared(QSqlQuery& query, const QVariantList& values, const QString& what);

// A NULL of the right type for a nullable text or integer column.
inline QVariant nullableText(const QString& text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

} // namespace batchdeck::sql
