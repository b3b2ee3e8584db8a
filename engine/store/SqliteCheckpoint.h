#pragma once

#include <QFuture>
#include <QString>

class QSqlDatabase;
struct sqlite3;

namespace batchdeck {

// The WAL checkpoint of one large SQLite write transaction, moved out of its COMMIT.
//
// SQLite checkpoints inside the COMMIT that takes the WAL past 1,000 pages: it syncs the WAL, copies
// the pages into the database file and syncs that (30-60 ms of a 50,000-result process on our
// machines). While a DeferredCheckpoint lives, its connection does not checkpoint on commit; start()
// (after the commit) runs a PASSIVE checkpoint on a thread of its own, over a separate sqlite3
// connection to the same file, and the connection's auto-checkpoint is back as it was.
//
// Nothing about the transaction changes: it is committed (in the WAL, as durable as
// synchronous=NORMAL makes any commit) when COMMIT returns; a checkpoint only copies committed pages,
// never blocks readers or writers (PASSIVE), and if the process dies first the next commit of any
// connection checkpoints as usual. A no-op for a non-SQLite or in-memory database.
class DeferredCheckpoint
{
public:
    DeferredCheckpoint(const QSqlDatabase& db, QString path);
    ~DeferredCheckpoint(); // restores the connection's auto-checkpoint
    DeferredCheckpoint(const DeferredCheckpoint&) = delete;
    DeferredCheckpoint& operator=(const DeferredCheckpoint&) = delete;

    // After the commit: the checkpoint on its own thread. The future ends with the checkpoint.
    QFuture<void> start();

private:
    sqlite3* m_handle = nullptr;
    int m_pagesBefore = 0;
    QString m_path;
};

} // namespace batchdeck
