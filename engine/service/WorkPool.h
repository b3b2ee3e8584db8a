#pragma once

#include <memory>
#include <type_traits>

#include <QFuture>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include "store/Database.h"

namespace batchdeck {

// Where the long, database-heavy steps of an operation run (a submit's rendering, a process's
// storing): threads of their own, each with its own database connection, so that the thread that
// called the operation (serve's, the console's engine thread) goes on answering meanwhile. The
// operation co_awaits the future and carries on where it was.
//
// With an in-memory SQLite database, whose connections share one cache that fails a reader at once
// (instead of waiting) while another connection writes, work runs right away on the calling thread
// and the future is ready.
class WorkPool
{
public:
    explicit WorkPool(std::shared_ptr<Database> database)
        : m_database(std::move(database))
        , m_onCallingThread(m_database->isSqlite() && m_database->url().inMemory)
    {
        // PostgreSQL work of different jobs runs side by side. SQLite has one writer at a time, and a
        // store waiting for another at its busy timeout would fail after 10 s: its work queues here.
        m_pool.setMaxThreadCount(m_database->isSqlite() ? 1 : 2);
    }
    // QThreadPool's destructor waits for work still running: its transaction ends before the service.

    // Whether work is running or queued (a shutdown waits for it: a store ends by itself).
    bool busy() const { return m_pool.activeThreadCount() > 0; }

    // `work` returns a Result.
    template <typename Work> QFuture<std::invoke_result_t<Work>> run(Work work)
    {
        if (m_onCallingThread)
            return QtFuture::makeReadyFuture(work());
        return QtConcurrent::run(&m_pool, [database = m_database, work = std::move(work)]() mutable {
            auto result = work();
            // A pool thread keeps its connection between operations, and one that PostgreSQL dropped
            // meanwhile (a restart) fails its first statement. The work runs once more, on a new
            // connection: it is one transaction, or only reads, so the failed run left nothing behind.
            if (!result && result.error().kind == ErrorKind::Database && database->lostConnection())
                result = work();
            return result;
        });
    }

private:
    std::shared_ptr<Database> m_database;
    bool m_onCallingThread;
    QThreadPool m_pool;
};

} // namespace batchdeck
