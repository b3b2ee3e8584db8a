#pragma once

#include "store/JobFeed.h"
#include "store/RunStore.h"

namespace batchdeck {

// One row of the runs table: the run and how many of its jobs have each status.
struct RunOverview
{
    RunSummary summary;
    StatusCounts counts;
};

inline bool sameRun(const RunOverview& a, const RunOverview& b)
{
    return a.summary.runId == b.summary.runId && a.summary.items == b.summary.items &&
           a.summary.jobs == b.summary.jobs && a.summary.createdAt == b.summary.createdAt && a.counts == b.counts;
}

} // namespace batchdeck
