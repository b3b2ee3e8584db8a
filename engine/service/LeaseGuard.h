#pragma once

#include "store/JobStore.h"

namespace batchdeck {

// Releases a job's lease when the work that took it ends on any path, unless a transition already
// cleared it. Keeps early returns in the operations from leaving a job leased for minutes.
class LeaseGuard
{
public:
    LeaseGuard(JobStore& jobs, qint64 jobId, QString owner)
        : m_jobs(jobs)
        , m_jobId(jobId)
        , m_owner(std::move(owner))
    {}
    ~LeaseGuard()
    {
        if (m_active)
            (void)m_jobs.releaseLease(m_jobId, m_owner);
    }
    LeaseGuard(const LeaseGuard&) = delete;
    LeaseGuard& operator=(const LeaseGuard&) = delete;

    void dismiss() { m_active = false; }

private:
    JobStore& m_jobs;
    qint64 m_jobId;
    QString m_owner;
    bool m_active = true;
};

} // namespace batchdeck
