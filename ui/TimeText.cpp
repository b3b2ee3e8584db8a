#include "TimeText.h"

#include <algorithm>

#include <QDateTime>

namespace batchdeck {

QString TimeText::duration(qint64 ms)
{
    const qint64 seconds = std::max<qint64>(0, ms / 1000);
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    const qint64 minutes = seconds / 60;
    if (minutes < 60)
        return tr("%1 min").arg(minutes);
    const qint64 hours = minutes / 60;
    if (hours < 24)
        return minutes % 60 == 0 ? tr("%1 h").arg(hours) : tr("%1 h %2 m").arg(hours).arg(minutes % 60);
    const qint64 days = hours / 24;
    return hours % 24 == 0 ? tr("%1 d").arg(days) : tr("%1 d %2 h").arg(days).arg(hours % 24);
}

QString TimeText::ago(qint64 then, qint64 now)
{
    if (then <= 0)
        return {};
    // Clocks of other hosts may run a little ahead: a time slightly in the future is "just now".
    if (now - then < 5000)
        return tr("just now");
    return tr("%1 ago").arg(duration(now - then));
}

QString TimeText::until(qint64 then, qint64 now)
{
    if (then <= 0)
        return {};
    if (then <= now)
        return tr("expired %1 ago").arg(duration(now - then));
    return tr("in %1").arg(duration(then - now));
}

QString TimeText::dateTime(qint64 ms)
{
    if (ms <= 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace batchdeck
