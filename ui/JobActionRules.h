#pragma once

#include "store/JobSnapshot.h"

namespace batchdeck {

// Which operator actions a job's status allows (design.md's state machine), so that the console
// offers only what the engine would accept. The engine still decides: a job may change between a
// click and the action.
namespace jobactions {

bool canRetry(const JobSnapshot& job);   // SUBMISSION_FAILED -> PENDING_SUBMISSION
bool canCancel(const JobSnapshot& job);  // PENDING_SUBMISSION, or SUBMITTED at the provider
bool canProcess(const JobSnapshot& job); // PENDING_PROCESSING, or a failed batch with output (harvest)
bool isHarvest(const JobSnapshot& job);  // processing it means keeping the partial output of a failed batch
bool canExport(const JobSnapshot& job);  // has stored results
bool canCopyBatchId(const JobSnapshot& job);

} // namespace jobactions

} // namespace batchdeck
