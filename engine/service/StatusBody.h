#pragma once

#include <QJsonObject>

#include "store/JobSnapshot.h"

namespace batchdeck {

// The body of the status answer (design.md, "status"), built from a job alone, so the CLI's
// `status --json`, the HTTP endpoint and the console all say the same thing:
// run_id, batch_type, job_status, llm_status, terminal, outcome, provider, request_counts, attempt,
// error, updated_at.
QJsonObject statusBody(const JobSnapshot& job);

QString llmStatusOf(const JobSnapshot& job); // not_submitted | in_progress | completed | failed
QString outcomeOf(const JobSnapshot& job);   // pending | success | partial | failed | cancelled | expired

} // namespace batchdeck
