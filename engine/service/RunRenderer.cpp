#include "RunRenderer.h"

#include "store/RunStore.h"

namespace batchdeck {

Error renderFailed(const Error& lineError)
{
    return makeError(ErrorKind::InvalidInput, QStringLiteral("render_failed"), lineError.message);
}

Result<RequestRenderer> rendererForRun(const RunStore& runs, const BatchType& type, const QString& runId)
{
    auto params = runs.params(runId);
    if (!params)
        return params.error();
    auto renderer = RequestRenderer::create(type, RunContext{runId, *params});
    if (!renderer)
        return renderFailed(renderer.error());
    return renderer;
}

} // namespace batchdeck
