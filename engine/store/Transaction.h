#pragma once

#include <QSqlDatabase>

#include "core/Result.h"

namespace batchdeck {

// A write transaction that rolls back unless committed. On SQLite it starts with BEGIN IMMEDIATE:
// a deferred transaction that reads and then writes can fail at once with SQLITE_BUSY in WAL mode
// instead of waiting for the busy timeout, which would turn honest contention into errors.
class Transaction
{
public:
    static Result<Transaction> begin(const QSqlDatabase& db);
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();

    Status commit();
    void rollback();

private:
    explicit Transaction(QSqlDatabase db);
    QSqlDatabase m_db;
    bool m_open = true;
};

} // namespace batchdeck
