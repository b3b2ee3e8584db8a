#pragma once

#include <QJsonObject>
#include <QString>

#include "store/JobStatus.h"

namespace batchdeck {

// A value copy of one pipeline_batch_jobs row: what front-ends see of a job.
struct JobSnapshot
{
    qint64 id = 0;
    QString runId;
    QString batchType;
    JobStatus status = JobStatus::PendingSubmission;
    int attempt = 1;
    QString llmBatchId;
    QString inputFileId;
    QString outputFileId;
    QString errorFileId;
    QString providerStatus;
    qint64 providerCheckedAt = 0; // when the provider was last asked about the batch
    qint64 providerExpiresAt = 0; // the provider batch's expires_at
    qint64 requestTotal = 0;
    qint64 requestCompleted = 0;
    qint64 requestFailed = 0;
    qint64 resultsSaved = 0;
    qint64 resultErrors = 0;
    QJsonObject errorDetails; // empty when there is no error
    QString leaseOwner;
    qint64 leaseUntil = 0;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    qint64 submittedAt = 0;
    qint64 completedAt = 0;

    QJsonObject toJson() const;
};

// One row of job_events: a transition, who made it and why.
struct JobEvent
{
    qint64 id = 0;
    qint64 jobId = 0;
    qint64 at = 0;
    QString fromStatus; // empty for the creation event
    QString toStatus;
    QString actor;
    QString message;

    QJsonObject toJson() const;
};

} // namespace batchdeck
