#include "ResultWriter.h"

#include <QSqlDatabase>

#include "store/PostgresResultWriter.h"
#include "store/SqliteResultWriter.h"

namespace batchdeck {

Result<std::unique_ptr<ResultWriter>> ResultWriter::prepare(const QSqlDatabase& db, qint64 jobId, qint64 now)
{
    if (db.driverName() == u"QSQLITE")
        return SqliteResultWriter::prepare(db, jobId, now);
    return PostgresResultWriter::prepare(db, jobId, now);
}

} // namespace batchdeck
