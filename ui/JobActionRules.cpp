#include "JobActionRules.h"

namespace batchdeck::jobactions {

bool canRetry(const JobSnapshot& job)
{
    return job.status == JobStatus::SubmissionFailed;
}

bool canCancel(const JobSnapshot& job)
{
    return job.status == JobStatus::PendingSubmission || job.status == JobStatus::Submitted;
}

bool isHarvest(const JobSnapshot& job)
{
    return job.status == JobStatus::SubmissionFailed && !job.outputFileId.isEmpty();
}

bool canProcess(const JobSnapshot& job)
{
    return job.status == JobStatus::PendingProcessing || isHarvest(job);
}

bool canExport(const JobSnapshot& job)
{
    return job.status == JobStatus::Completed || job.resultsSaved > 0;
}

bool canCopyBatchId(const JobSnapshot& job)
{
    return !job.llmBatchId.isEmpty();
}

} // namespace batchdeck::jobactions
