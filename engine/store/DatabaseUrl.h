#pragma once

#include <QString>

#include "core/Result.h"

namespace batchdeck {

// Where the job store lives, parsed from a URL:
//   sqlite:///abs/path.db          a SQLite file
//   sqlite::memory:                a private in-memory SQLite database (tests)
//   postgresql://user:pass@host:port/dbname[?schema=name&connect_timeout=5]
struct DatabaseUrl
{
    enum class Driver
    {
        Sqlite,
        Postgres,
    };

    Driver driver = Driver::Sqlite;
    bool inMemory = false;
    QString path; // SQLite file
    QString host; // PostgreSQL
    int port = 5432;
    QString user;
    QString password;
    QString databaseName;
    QString schema; // optional PostgreSQL schema (search_path), created when missing
    int connectTimeoutSeconds = 5;

    static Result<DatabaseUrl> parse(const QString& text);

    // The SQLite file in the user's data folder, used when neither --db nor BATCHDECK_DB is given.
    static QString defaultUrl();

    // The URL with the password replaced, safe for logs and error messages.
    QString redacted() const;
};

} // namespace batchdeck
