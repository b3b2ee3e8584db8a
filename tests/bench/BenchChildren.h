#pragma once

#include <QStringList>

namespace batchdeck::bench {

// The benchmark's helper processes, started by the driver as `bench_engine <command> ...`:
//
//   simulate --phase-ms N --state-dir DIR
//       The simulator alone, on a free loopback port. Prints "port N" once it listens; quits when its
//       standard input closes (the driver closes it, or dies).
//   process --db URL --base-url URL --run RUN --type TYPE --work-dir DIR
//       One BatchService::process call in a fresh process, so that its peak resident memory is that
//       of processing alone. Prints one JSON line: seconds, cpu_seconds, peak_rss_kb (VmHWM),
//       rss_before_kb, results.
//   submit --db URL --base-url URL --run RUN --type TYPE --work-dir DIR [--generate N] [--wait]
//       Imports N generated items into RUN first (not timed), then one BatchService::submit; with
//       --wait, asks status until the simulator completed the batch. Prints seconds, cpu_seconds.
// `submit` and `process` also serve to profile one operation alone, e.g. under
// valgrind --tool=callgrind (README.md shows how).
int runSimulatorChild(const QStringList& arguments);
int runProcessChild(const QStringList& arguments);
int runSubmitChild(const QStringList& arguments);

} // namespace batchdeck::bench
