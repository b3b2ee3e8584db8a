#pragma once

#include <QCoreApplication>
#include <QString>

namespace batchdeck {

// Times as the console shows them: UTC epoch milliseconds become local date-times or short
// durations ("3 min ago", "in 2 h 5 m"). A zero time means "never" and gives an empty text.
class TimeText
{
    Q_DECLARE_TR_FUNCTIONS(TimeText)

public:
    static QString duration(qint64 ms);            // "45 s", "3 min", "2 h 5 m", "3 d 4 h"
    static QString ago(qint64 then, qint64 now);   // "just now", "3 min ago"
    static QString until(qint64 then, qint64 now); // "in 2 h 5 m", or "expired 3 min ago"
    static QString dateTime(qint64 ms);            // "2026-12-03 14:03:22" in local time
};

} // namespace batchdeck
