#pragma once

#include <optional>

#include <QList>
#include <QString>

namespace batchdeck {

// The lifecycle of a pipeline batch job (design.md, "Job lifecycle").
enum class JobStatus
{
    PendingSubmission,
    Submitted,
    SubmissionFailed,
    PendingProcessing,
    Processing,
    Completed,
};

QString statusName(JobStatus status);                              // "PENDING_SUBMISSION", ...
std::optional<JobStatus> jobStatusFromString(const QString& text); // exact upper-case names
QList<JobStatus> allJobStatuses();

// Why a transition exists; the table of allowed transitions is data, in one place (JobStatus.cpp).
struct JobTransition
{
    JobStatus from;
    JobStatus to;
    const char* reason;
};

const QList<JobTransition>& allowedTransitions();
bool isTransitionAllowed(JobStatus from, JobStatus to);

} // namespace batchdeck
