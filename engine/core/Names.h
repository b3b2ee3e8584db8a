#pragma once

#include <QString>

#include "core/Result.h"

namespace batchdeck {

// run_id: 1-200 characters of [A-Za-z0-9._:+@-] (Airflow run ids such as
// "scheduled__2026-12-03T00:00:00+00:00" fit). Refuses "/", "..", spaces and control characters.
Status validateRunId(const QString& runId);

// batch type names: 1-64 characters of [a-z0-9_-], starting with a letter.
Status validateBatchTypeName(const QString& name);

} // namespace batchdeck
