#include "RequestPreview.h"

#include "core/Json.h"
#include "service/ChainedItem.h"
#include "service/RunRenderer.h"
#include "store/JobStore.h"
#include "store/ResultStore.h"
#include "store/RunStore.h"

namespace batchdeck {

Result<RequestPreview>
previewRequests(const std::shared_ptr<Database>& database, const BatchType& type, const QString& runId, int limit)
{
    const RunStore runs(database);
    auto renderer = rendererForRun(runs, type, runId);
    if (!renderer)
        return renderer.error();

    RequestPreview preview;
    std::optional<Error> failure;
    auto keep = [&](const Result<QByteArray>& line) {
        if (!line) {
            failure = renderFailed(line.error());
            return false;
        }
        preview.lines.append(*line);
        return preview.lines.size() < limit;
    };
    if (type.source.isItems()) {
        auto count = runs.itemCount(runId);
        if (!count)
            return count.error();
        preview.total = *count;
        if (limit > 0 && preview.total > 0) {
            auto read = runs.forEachItem(runId, [&](const QString& key, const QByteArray& payload) {
                return keep(renderer->renderLine(key, payload));
            });
            if (!read)
                return read.error();
        }
    } else {
        auto source = JobStore(database).find(runId, type.source.batchType());
        if (!source)
            return source.error();
        if (!source->has_value() || (*source)->status != JobStatus::Completed)
            return preview; // nothing to work on yet: an empty preview, not an error
        const ResultStore results(database);
        auto counts = results.counts((*source)->id);
        if (!counts)
            return counts.error();
        preview.total = counts->saved - counts->errors;
        ResultFilter successes;
        successes.kind = ResultFilter::Kind::Successes;
        if (limit > 0 && preview.total > 0) {
            auto read = results.forEach((*source)->id, successes, [&](const BatchResult& result) {
                return keep(renderer->renderLine(result.customId, chainedItemPayload(result)));
            });
            if (!read)
                return read.error();
        }
    }
    if (failure)
        return *failure;
    return preview;
}

} // namespace batchdeck
