#pragma once

#include <functional>
#include <memory>

#include <QJsonObject>
#include <QList>
#include <QString>

#include "core/Result.h"

class QSqlDatabase;

namespace batchdeck {

class Database;

struct RunSummary
{
    QString runId;
    qint64 items = 0;
    qint64 jobs = 0;
    qint64 createdAt = 0;

    QJsonObject toJson() const;
};

// The runs table and the items of each run, read side.
class RunStore
{
public:
    explicit RunStore(std::shared_ptr<Database> database);

    Result<QList<RunSummary>> list() const;
    Result<qint64> itemCount(const QString& runId) const;
    // The run's parameters ({{run.params.x}} in templates); an empty object for an unknown run.
    Result<QJsonObject> params(const QString& runId) const;
    // Streams the run's items in import order: (item key, payload as compact JSON). Return false to stop.
    // Inside a caller's transaction: the run's row exists afterwards (made, or its updated_at touched).
    static Status ensureRun(const QSqlDatabase& db, const QString& runId, qint64 now);

    Status forEachItem(const QString& runId, const std::function<bool(const QString&, const QByteArray&)>& visit) const;

private:
    std::shared_ptr<Database> m_database;
};

} // namespace batchdeck
