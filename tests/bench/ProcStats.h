#pragma once

#include <QByteArray>
#include <QString>

namespace batchdeck::bench {

// What one measured call cost: wall-clock seconds, and the CPU seconds (user + system, all threads)
// of the process that did the work. On a busy machine the CPU time says more about the code.
struct Timing
{
    double wall = 0;
    double cpu = 0;
};

// A line of /proc/<pid>/status in KiB (VmHWM, VmRSS, ...); pid "self" for this process; 0 when unknown.
qint64 procStatusKb(const QString& pid, const QByteArray& field);
// User + system CPU seconds of a process so far (/proc/<pid>/stat), or of this one (getrusage).
double processCpuSeconds(qint64 pid);
double selfCpuSeconds();

// Writes every dirty page to disk (sync(2)) before a clock starts, so that neither side is timed
// while the kernel writes back what the other side (or an earlier run) left in the page cache: its
// flusher threads share the machine's cores with whichever side runs next. Both sides get the same.
void flushDirtyPages();

} // namespace batchdeck::bench
