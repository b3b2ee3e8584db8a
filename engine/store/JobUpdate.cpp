#include "JobUpdate.h"

namespace batchdeck {

const char* columnName(JobField field)
{
    switch (field) {
    case JobField::Attempt:
        return "attempt";
    case JobField::LlmBatchId:
        return "llm_batch_id";
    case JobField::InputFileId:
        return "input_file_id";
    case JobField::OutputFileId:
        return "output_file_id";
    case JobField::ErrorFileId:
        return "error_file_id";
    case JobField::ProviderCheckedAt:
        return "provider_checked_at";
    case JobField::ProviderExpiresAt:
        return "provider_expires_at";
    case JobField::ProviderStatus:
        return "provider_status";
    case JobField::RequestTotal:
        return "request_total";
    case JobField::RequestCompleted:
        return "request_completed";
    case JobField::RequestFailed:
        return "request_failed";
    case JobField::ResultsSaved:
        return "results_saved";
    case JobField::ResultErrors:
        return "result_errors";
    case JobField::ErrorDetails:
        return "error_details";
    case JobField::LeaseOwner:
        return "lease_owner";
    case JobField::LeaseUntil:
        return "lease_until";
    case JobField::SubmittedAt:
        return "submitted_at";
    case JobField::CompletedAt:
        return "completed_at";
    }
    return "";
}

} // namespace batchdeck
