#include "SqliteCheckpoint.h"

#include <QtConcurrent/QtConcurrentRun>

#include <sqlite3.h>

#include "core/Logging.h"
#include "store/SqlSupport.h"
#include "store/SqliteHandle.h"

namespace batchdeck {

namespace {

constexpr int kDefaultAutoCheckpointPages = 1000; // SQLite's default

// PRAGMA wal_autocheckpoint of the connection (SQLite has no getter in its C API).
int autoCheckpointPages(sqlite3* handle)
{
    sqlite3_stmt* statement = nullptr;
    int pages = kDefaultAutoCheckpointPages;
    if (sqlite3_prepare_v2(handle, "PRAGMA wal_autocheckpoint", -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW)
        pages = sqlite3_column_int(statement, 0);
    sqlite3_finalize(statement);
    return pages;
}

void checkpoint(const QString& path)
{
    sqlite3* handle = nullptr;
    const QByteArray file = path.toUtf8();
    if (sqlite3_open_v2(file.constData(), &handle, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(handle, sql::kSqliteBusyTimeoutMs);
        const int rc = sqlite3_wal_checkpoint_v2(handle, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            qCWarning(lcStore) << "background WAL checkpoint of" << path << "failed:" << sqlite3_errmsg(handle);
    }
    sqlite3_close(handle); // a harmless no-op on nullptr
}

} // namespace

DeferredCheckpoint::DeferredCheckpoint(const QSqlDatabase& db, QString path)
    : m_handle(path.isEmpty() ? nullptr : sqlite::handleOf(db))
    , m_path(std::move(path))
{
    if (!m_handle)
        return;
    m_pagesBefore = autoCheckpointPages(m_handle);
    sqlite3_wal_autocheckpoint(m_handle, 0);
}

DeferredCheckpoint::~DeferredCheckpoint()
{
    if (m_handle)
        sqlite3_wal_autocheckpoint(m_handle, m_pagesBefore);
}

QFuture<void> DeferredCheckpoint::start()
{
    if (!m_handle)
        return QtFuture::makeReadyFuture();
    sqlite3_wal_autocheckpoint(m_handle, m_pagesBefore);
    m_handle = nullptr;
    return QtConcurrent::run(checkpoint, m_path);
}

} // namespace batchdeck
