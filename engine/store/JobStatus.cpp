#include "JobStatus.h"

namespace batchdeck {

namespace {

struct Name
{
    JobStatus status;
    const char16_t* text;
};

constexpr Name kNames[] = {
    {JobStatus::PendingSubmission, u"PENDING_SUBMISSION"},
    {JobStatus::Submitted, u"SUBMITTED"},
    {JobStatus::SubmissionFailed, u"SUBMISSION_FAILED"},
    {JobStatus::PendingProcessing, u"PENDING_PROCESSING"},
    {JobStatus::Processing, u"PROCESSING"},
    {JobStatus::Completed, u"COMPLETED"},
};

} // namespace

QString statusName(JobStatus status)
{
    for (const Name& name : kNames) {
        if (name.status == status)
            return QString::fromUtf16(name.text);
    }
    return QStringLiteral("UNKNOWN");
}

std::optional<JobStatus> jobStatusFromString(const QString& text)
{
    for (const Name& name : kNames) {
        if (text == QStringView(name.text))
            return name.status;
    }
    return std::nullopt;
}

QList<JobStatus> allJobStatuses()
{
    QList<JobStatus> list;
    for (const Name& name : kNames)
        list.append(name.status);
    return list;
}

const QList<JobTransition>& allowedTransitions()
{
    using S = JobStatus;
    static const QList<JobTransition> table = {
        {S::PendingSubmission, S::Submitted, "the provider accepted the batch"},
        {S::PendingSubmission, S::SubmissionFailed, "the provider refused the batch for good"},
        {S::Submitted, S::PendingProcessing, "the provider completed the batch"},
        {S::Submitted, S::SubmissionFailed, "the provider batch failed, expired or was cancelled"},
        {S::SubmissionFailed, S::PendingSubmission, "an operator retries the job as a new attempt"},
        {S::SubmissionFailed, S::PendingProcessing, "an operator harvests the output of an expired or cancelled batch"},
        {S::PendingProcessing, S::Processing, "a worker claimed the results"},
        {S::Processing, S::Completed, "the results are stored"},
        {S::Processing, S::PendingProcessing, "processing failed or its lease expired"},
    };
    return table;
}

bool isTransitionAllowed(JobStatus from, JobStatus to)
{
    for (const JobTransition& transition : allowedTransitions()) {
        if (transition.from == from && transition.to == to)
            return true;
    }
    return false;
}

} // namespace batchdeck
