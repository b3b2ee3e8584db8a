#include "RequestFileWriter.h"

#include <functional>

#include <QFile>
#include <QFuture>
#include <QtConcurrent/QtConcurrentMap>

#include "core/Json.h"
#include "service/ChainedItem.h"
#include "service/RunRenderer.h"
#include "store/JobStore.h"
#include "store/ResultStore.h"
#include "store/RunStore.h"

namespace batchdeck {

namespace {

constexpr int kRenderBlockItems = 1024;
constexpr qint64 kRenderBlockBytes = 8 * 1024 * 1024;

struct PendingItem
{
    QString key;
    QByteArray payload;
};

// Renders blocks of items on the thread pool while the caller reads the next block, and hands the
// lines back in item order. Memory holds two blocks, never the run.
class ParallelRenderer
{
public:
    using Sink = std::function<bool(const Result<QByteArray>&)>;

    ParallelRenderer(const RequestRenderer& renderer, Sink sink)
        : m_renderer(renderer)
        , m_sink(std::move(sink))
    {}
    ~ParallelRenderer()
    {
        if (m_inFlight.isValid())
            m_inFlight.waitForFinished(); // the workers use m_renderer
    }

    bool add(const QString& key, const QByteArray& payload)
    {
        m_blockBytes += payload.size();
        m_block.append({key, payload});
        if (m_block.size() < kRenderBlockItems && m_blockBytes < kRenderBlockBytes)
            return true;
        return dispatch();
    }

    bool finish() { return dispatch() && collect(); }

private:
    bool dispatch()
    {
        if (!collect())
            return false;
        if (m_block.isEmpty())
            return true;
        const RequestRenderer* renderer = &m_renderer;
        m_inFlight = QtConcurrent::mapped(std::move(m_block), [renderer](const PendingItem& item) {
            return renderer->renderLine(item.key, item.payload);
        });
        m_block = {};
        m_block.reserve(kRenderBlockItems);
        m_blockBytes = 0;
        return true;
    }

    bool collect()
    {
        if (!m_inFlight.isValid())
            return true;
        m_inFlight.waitForFinished();
        const QList<Result<QByteArray>> lines = m_inFlight.results();
        m_inFlight = {};
        for (const Result<QByteArray>& line : lines) {
            if (!m_sink(line))
                return false;
        }
        return true;
    }

    const RequestRenderer& m_renderer;
    Sink m_sink;
    QList<PendingItem> m_block;
    qint64 m_blockBytes = 0;
    QFuture<Result<QByteArray>> m_inFlight;
};

} // namespace

RequestFileWriter::RequestFileWriter(std::shared_ptr<Database> database, const ServiceSettings& settings)
    : m_database(std::move(database))
    , m_settings(settings)
{}

Result<RequestFile> RequestFileWriter::write(const QString& runId, const BatchType& type, const QString& path) const
{
    const RunStore runs(m_database);
    auto renderer = rendererForRun(runs, type, runId);
    if (!renderer)
        return renderer.error();

    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return makeError(ErrorKind::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));

    RequestFile written{path, 0, 0};
    std::optional<Error> failure;
    // One line per request; stops at the first problem, which names the item and the limit.
    auto writeLine = [&](const Result<QByteArray>& line) {
        if (!line) {
            failure = renderFailed(line.error());
            return false;
        }
        if (written.requests + 1 > m_settings.maxRequestsPerBatch) {
            failure = makeError(ErrorKind::InvalidInput,
                                QStringLiteral("over_provider_limit"),
                                QStringLiteral("more than %1 requests: the provider takes at most %1 per batch")
                                    .arg(m_settings.maxRequestsPerBatch));
            return false;
        }
        if (written.bytes + line->size() + 1 > m_settings.maxBytesPerFile) {
            failure = makeError(ErrorKind::InvalidInput,
                                QStringLiteral("over_provider_limit"),
                                QStringLiteral("the request file would pass %1 bytes, the provider's limit per file")
                                    .arg(m_settings.maxBytesPerFile));
            return false;
        }
        if (file.write(*line) != line->size() || !file.putChar('\n')) {
            failure = makeError(ErrorKind::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
            return false;
        }
        ++written.requests;
        written.bytes += line->size() + 1;
        return true;
    };

    Status read;
    if (type.source.isItems()) {
        // Rendering is most of a submit's work: it runs on all cores, in blocks, in item order.
        ParallelRenderer parallel(*renderer, writeLine);
        read = runs.forEachItem(
            runId, [&](const QString& key, const QByteArray& payload) { return parallel.add(key, payload); });
        if (read && !failure)
            parallel.finish();
    } else {
        // A chained stage: the successful results of an earlier batch type of this run.
        auto sourceJob = JobStore(m_database).find(runId, type.source.batchType());
        if (!sourceJob)
            return sourceJob.error();
        if (!sourceJob->has_value() || (*sourceJob)->status != JobStatus::Completed)
            return makeError(
                ErrorKind::InvalidInput,
                QStringLiteral("nothing_to_submit"),
                QStringLiteral("batch type '%1' reads the results of '%2', which are not processed for run %3 yet")
                    .arg(type.name, type.source.batchType(), runId));
        ResultFilter successes;
        successes.kind = ResultFilter::Kind::Successes;
        read = ResultStore(m_database).forEach((*sourceJob)->id, successes, [&](const BatchResult& result) {
            return writeLine(renderer->renderLine(result.customId, chainedItemPayload(result)));
        });
    }
    if (!read)
        return read.error();
    if (failure)
        return *failure;
    if (!file.flush())
        return makeError(ErrorKind::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    if (written.requests == 0)
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("nothing_to_submit"),
                         type.source.isItems()
                             ? QStringLiteral("run %1 has no items: import items before submitting").arg(runId)
                             : QStringLiteral("batch type '%1' has no successful results of '%2' to work on in run %3")
                                   .arg(type.name, type.source.batchType(), runId));
    return written;
}

} // namespace batchdeck
