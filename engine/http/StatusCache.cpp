#include "StatusCache.h"

namespace batchdeck::http {

StatusCache::StatusCache(qint64 ttlMs)
    : m_ttlMs(ttlMs)
{
    m_clock.start();
}

QString StatusCache::keyOf(const QString& runId, const QString& batchType)
{
    // A run id never holds '/', so the key is unambiguous.
    return runId + u'/' + batchType;
}

QByteArray StatusCache::find(const QString& runId, const QString& batchType) const
{
    if (!enabled())
        return {};
    const auto it = m_entries.constFind(keyOf(runId, batchType));
    if (it == m_entries.cend() || it->expiresAtMs <= nowMs())
        return {};
    return it->body;
}

void StatusCache::store(const QString& runId, const QString& batchType, qint64 jobId, const QByteArray& body)
{
    if (!enabled())
        return;
    if (m_entries.size() >= kMaxEntries) {
        // Rare (that many jobs polled within one ttl): start over rather than track ages.
        clear();
    }
    const QString key = keyOf(runId, batchType);
    m_entries.insert(key, Entry{jobId, body, nowMs() + m_ttlMs});
    m_keyOfJob.insert(jobId, key);
}

void StatusCache::invalidate(qint64 jobId)
{
    ++m_generation;
    const auto it = m_keyOfJob.constFind(jobId);
    if (it == m_keyOfJob.cend())
        return;
    m_entries.remove(*it);
    m_keyOfJob.erase(it);
}

void StatusCache::clear()
{
    ++m_generation;
    m_entries.clear();
    m_keyOfJob.clear();
}

} // namespace batchdeck::http
