#include "Transaction.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

#include "store/SqlSupport.h"

namespace batchdeck {

namespace {

bool isSqlite(const QSqlDatabase& db)
{
    return db.driverName() == u"QSQLITE";
}

Status run(const QSqlDatabase& db, const QString& statement)
{
    QSqlQuery query(db);
    if (!query.exec(statement))
        return sql::errorFrom(query.lastError(), statement);
    return {};
}

} // namespace

Transaction::Transaction(QSqlDatabase db)
    : m_db(std::move(db))
{}

Transaction::Transaction(Transaction&& other) noexcept
    : m_db(other.m_db)
    , m_open(other.m_open)
{
    other.m_open = false;
}

Result<Transaction> Transaction::begin(const QSqlDatabase& db)
{
    const auto status = run(db, isSqlite(db) ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
    if (!status)
        return status.error();
    return Transaction(db);
}

Transaction::~Transaction()
{
    rollback();
}

Status Transaction::commit()
{
    if (!m_open)
        return makeError(ErrorKind::Internal, QStringLiteral("commit of a finished transaction"));
    const auto status = run(m_db, QStringLiteral("COMMIT"));
    if (!status) {
        rollback();
        return status;
    }
    m_open = false;
    return {};
}

void Transaction::rollback()
{
    if (!m_open)
        return;
    m_open = false;
    (void)run(m_db, QStringLiteral("ROLLBACK"));
}

} // namespace batchdeck
