#pragma once

#include <atomic>

#include <QDateTime>

namespace batchdeck {

// Wall-clock time in UTC epoch milliseconds. Injected so that tests can move time (lease expiry).
class Clock
{
public:
    virtual ~Clock() = default;
    virtual qint64 nowMs() const { return QDateTime::currentMSecsSinceEpoch(); }

    static const Clock& system()
    {
        static const Clock clock;
        return clock;
    }
};

// A clock that only moves when told to.
class ManualClock : public Clock
{
public:
    explicit ManualClock(qint64 start = 1'700'000'000'000)
        : m_now(start)
    {}
    qint64 nowMs() const override { return m_now.load(); }
    void advance(qint64 ms) { m_now += ms; }
    void set(qint64 ms) { m_now = ms; }

private:
    std::atomic<qint64> m_now; // read by the work pool's threads too
};

} // namespace batchdeck
