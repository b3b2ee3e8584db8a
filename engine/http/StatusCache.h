#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QString>

namespace batchdeck::http {

// Recent answers of the status route, as the bytes sent. Many Airflow sensors poll the same jobs;
// within `ttlMs` they are answered from here without touching the database. Changes this process
// makes to a job (BatchService::jobChanged: submit, provider refresh, process, retry, cancel, the
// poller) drop its entry at once, so this server never contradicts itself; changes made by another
// server sharing the database show after at most `ttlMs` (design.md, "Scale": a server keeps
// nothing of its own but caches). A ttl of 0 turns it off.
class StatusCache
{
public:
    explicit StatusCache(qint64 ttlMs);

    bool enabled() const { return m_ttlMs > 0; }
    // The cached body, or a null QByteArray.
    QByteArray find(const QString& runId, const QString& batchType) const;
    void store(const QString& runId, const QString& batchType, qint64 jobId, const QByteArray& body);
    void invalidate(qint64 jobId);
    void clear();
    // Changes with every invalidation: an answer computed across one (the job changed meanwhile) is
    // not stored.
    quint64 generation() const { return m_generation; }

    static constexpr qsizetype kMaxEntries = 20'000;

private:
    struct Entry
    {
        qint64 jobId = 0;
        QByteArray body;
        qint64 expiresAtMs = 0;
    };

    static QString keyOf(const QString& runId, const QString& batchType);
    qint64 nowMs() const { return m_clock.elapsed(); }

    qint64 m_ttlMs;
    QElapsedTimer m_clock;
    QHash<QString, Entry> m_entries;
    QHash<qint64, QString> m_keyOfJob;
    quint64 m_generation = 0;
};

} // namespace batchdeck::http
