#include "SqlSupport.h"

#include <QSqlError>

namespace batchdeck::sql {

Error errorFrom(const QSqlError& error, const QString& what)
{
    QString detail = error.databaseText().trimmed();
    if (detail.isEmpty())
        detail = error.driverText().trimmed();
    return databaseError(what, detail);
}

Error databaseError(const QString& what, QString detail)
{
    if (detail.isEmpty())
        detail = QStringLiteral("unknown database error");
    if (detail.contains(u"database is locked"))
        detail += QStringLiteral(" (another connection held its write lock for more than the %1 s busy timeout;"
                                 " try again when it is done)")
                      .arg(kSqliteBusyTimeoutMs / 1000);
    return makeError(ErrorKind::Database, what + QStringLiteral(": ") + detail);
}

Status execPrepared(QSqlQuery& query, const QVariantList& values, const QString& what)
{
    for (int i = 0; i < values.size(); ++i)
        query.bindValue(i, values.at(i));
    if (!query.exec())
        return errorFrom(query.lastError(), what);
    return {};
}

Result<QSqlQuery> exec(const QSqlDatabase& db, const QString& statement, const QVariantList& values)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (values.isEmpty()) {
        // Statements without values run directly: PostgreSQL cannot PREPARE DDL or LOCK.
        if (!query.exec(statement))
            return errorFrom(query.lastError(), QStringLiteral("query failed"));
        return query;
    }
    if (!query.prepare(statement))
        return errorFrom(query.lastError(), QStringLiteral("cannot prepare statement"));
    if (auto status = execPrepared(query, values, QStringLiteral("query failed")); !status)
        return status.error();
    return query;
}

Result<QSqlQuery> exec(const QSqlDatabase& db, const QString& statement, std::initializer_list<QVariant> values)
{
    return exec(db, statement, QVariantList(values));
}

} // namespace batchdeck::sql
