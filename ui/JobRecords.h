#pragma once

#include <QList>

#include "store/JobSnapshot.h"
#include "store/ProviderBatchStore.h"

namespace batchdeck {

// What the details panel reads for one job besides the job itself: its event history and its
// provider batches (one per attempt, more when split). Read together on the feed thread.
struct JobRecords
{
    qint64 jobId = 0;
    QList<JobEvent> events;
    QList<ProviderBatchRecord> batches;
};

} // namespace batchdeck
