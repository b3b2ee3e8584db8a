#pragma once

#include <QtGlobal>

namespace batchdeck::sim {

// Wall-clock time plus an offset that only moves forward. Tests and demos jump ahead with
// advance() (e.g. past a file's expiry); the offset is persisted with the state so stored
// timestamps never lie in the future after a restart.
class SimClock
{
public:
    qint64 nowMs() const;
    qint64 offsetMs() const { return m_offsetMs; }
    void setOffsetMs(qint64 offsetMs) { m_offsetMs = qMax<qint64>(0, offsetMs); }
    void advance(qint64 ms) { m_offsetMs += qMax<qint64>(0, ms); }

private:
    qint64 m_offsetMs = 0;
};

inline qint64 toSeconds(qint64 ms)
{
    return ms / 1000;
}

} // namespace batchdeck::sim
