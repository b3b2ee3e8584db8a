#include "BatchProvider.h"

#include <QSet>

#include "core/Logging.h"

namespace batchdeck {

QCoro::Task<ProviderResult<QList<ProviderBatch>>>
BatchProvider::listAllBatches(int pageSize, std::function<bool(const ProviderBatch&)> visit, int maxPages)
{
    QList<ProviderBatch> all;
    QSet<QString> seenCursors;
    ListBatchesRequest request;
    request.limit = pageSize;
    for (int page = 0; page < maxPages; ++page) {
        ProviderResult<ProviderBatchPage> result = co_await listBatches(request);
        if (!result.ok())
            co_return forwardFailure<QList<ProviderBatch>>(result);
        const ProviderBatchPage& current = result.value();
        for (const ProviderBatch& batch : current.data) {
            all.append(batch);
            if (visit && !visit(batch))
                co_return all;
        }
        if (!current.hasMore || current.data.isEmpty())
            co_return all;
        const QString next = current.data.constLast().id;
        // A cursor seen before means the server ignores `after`: stop instead of looping forever.
        if (seenCursors.contains(next)) {
            qCWarning(lcProvider) << "list batches: the provider repeated cursor" << next << "- stopping";
            co_return all;
        }
        seenCursors.insert(next);
        request.after = next;
    }
    qCWarning(lcProvider) << "list batches: stopped after" << maxPages << "pages";
    co_return all;
}

} // namespace batchdeck
