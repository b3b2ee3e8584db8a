#include "SimClock.h"

#include <QDateTime>

namespace batchdeck::sim {

qint64 SimClock::nowMs() const
{
    return QDateTime::currentMSecsSinceEpoch() + m_offsetMs;
}

} // namespace batchdeck::sim
