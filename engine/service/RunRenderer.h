#pragma once

#include <QString>

#include "batchtypes/RequestRenderer.h"
#include "core/Result.h"

namespace batchdeck {

class RunStore;

// The renderer of a batch type for one run, with the run's params: what a submit's request file and
// the console's preview of it both render with. A type that cannot be rendered is render_failed.
Result<RequestRenderer> rendererForRun(const RunStore& runs, const BatchType& type, const QString& runId);

// A request line that could not be rendered (its error names the item), as render_failed.
Error renderFailed(const Error& lineError);

} // namespace batchdeck
