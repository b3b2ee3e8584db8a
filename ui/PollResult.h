#pragma once

#include <optional>

#include <QList>
#include <QStringList>

#include "RunOverview.h"
#include "store/JobSnapshot.h"

namespace batchdeck {

// What one poll found, sent from the feed thread to the GUI thread by value. Only real changes
// since the previous result: the GUI thread does no comparing of its own for unchanged jobs or runs.
struct PollResult
{
    QList<JobSnapshot> jobs;            // new or changed jobs
    QList<qint64> removedIds;           // jobs that no longer exist (found by a full read)
    QList<RunOverview> runs;            // new or changed runs
    QStringList removedRunIds;          // runs that no longer exist
    bool full = false;                  // this result came from a full read
    bool partial = false;               // a first look at a large store (its newest jobs); the rest follows
    std::optional<StatusCounts> counts; // jobs per status, when they changed
    qint64 polledAt = 0;                // epoch ms when the read started
    qint64 readMs = 0;                  // how long the database read took
    int jobCount = 0;                   // jobs known after this result
};

} // namespace batchdeck
