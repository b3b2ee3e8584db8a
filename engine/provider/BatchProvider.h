#pragma once

#include <functional>
#include <optional>

#include <QList>
#include <QMap>
#include <QObject>
#include <QString>
#include <qcoro/qcorotask.h>

#include "provider/ProviderBatch.h"
#include "provider/ProviderError.h"
#include "provider/ProviderFile.h"

namespace batchdeck {

struct UploadFileRequest
{
    QString path; // local file, streamed from disk
    QString purpose = QStringLiteral("batch");
    QString filename;                          // the provider-side name; empty: the file's own name
    std::optional<qint64> expiresAfterSeconds; // expires_after {anchor: created_at, seconds}
};

struct CreateBatchRequest
{
    QString inputFileId;
    QString endpoint; // "/v1/chat/completions"
    QString completionWindow = QStringLiteral("24h");
    QMap<QString, QString> metadata;                 // ≤16 pairs, keys ≤64 chars, values ≤512 chars
    std::optional<qint64> outputExpiresAfterSeconds; // output_expires_after {anchor: created_at, seconds}
};

struct ListBatchesRequest
{
    QString after;  // id of the last batch of the previous page; empty for the first page
    int limit = 20; // 1..100
};

struct ProviderBatchPage
{
    QList<ProviderBatch> data;
    QString firstId;
    QString lastId;
    bool hasMore = false;
};

// One finished provider call, for metrics and logs (one per call, not per attempt).
struct ProviderCallRecord
{
    QString operation;  // "upload file", "create batch", "get batch", "list batches", "cancel batch", ...
    QString outcome;    // "ok", "transient_error", "permanent_error", "local_error"
    int httpStatus = 0; // of the last attempt; 0 when none came
    int attempts = 0;
    qint64 durationMs = 0;
};

// A batch provider as the engine sees it. Every call is a coroutine: co_await it from a coroutine, or
// bind a callback to a context object with QCoro::connect(task, context, callback). A call never blocks
// the calling thread; it runs on the thread the provider lives in. Errors are ProviderResult values,
// never exceptions: kind ProviderTransient (try again later) or ProviderPermanent (do not), or
// InvalidInput/Io for problems found before anything was sent.
//
// Parameters are taken by value on purpose: a coroutine outlives the caller's full expression, so a
// reference to a temporary would dangle at the first suspension.
class BatchProvider : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~BatchProvider() override = default;

    virtual QCoro::Task<ProviderResult<ProviderFile>> uploadFile(UploadFileRequest request) = 0;
    virtual QCoro::Task<ProviderResult<ProviderFile>> getFile(QString fileId) = 0;
    // Streams the content to `targetPath` (written to a temporary file beside it, renamed when complete).
    virtual QCoro::Task<ProviderResult<DownloadedFile>> downloadFileContent(QString fileId, QString targetPath) = 0;
    // The first `maxBytes` bytes of the content (all of it when shorter), in memory; the rest is not
    // downloaded. For previews of a file that may be hundreds of megabytes.
    virtual QCoro::Task<ProviderResult<FileHead>> readFileContentHead(QString fileId, qint64 maxBytes) = 0;
    virtual QCoro::Task<ProviderResult<bool>> deleteFile(QString fileId) = 0;

    virtual QCoro::Task<ProviderResult<ProviderBatch>> createBatch(CreateBatchRequest request) = 0;
    virtual QCoro::Task<ProviderResult<ProviderBatch>> getBatch(QString batchId) = 0;
    virtual QCoro::Task<ProviderResult<ProviderBatchPage>> listBatches(ListBatchesRequest request) = 0;
    virtual QCoro::Task<ProviderResult<ProviderBatch>> cancelBatch(QString batchId) = 0;

    // Follows the cursor the way the SDKs do: `after` = id of the last element of `data`, stop when
    // has_more is false or a page is empty. `visit` sees each batch in order (newest first on OpenAI) and
    // returns false to stop early, e.g. once batches are older than what the caller looks for. At most
    // `maxPages` pages are read, which also stops a server that never sets has_more to false.
    QCoro::Task<ProviderResult<QList<ProviderBatch>>>
    listAllBatches(int pageSize = 100, std::function<bool(const ProviderBatch&)> visit = {}, int maxPages = 1000);

Q_SIGNALS:
    // After every call, successful or not. Direct connections run on the provider's thread.
    void callFinished(const batchdeck::ProviderCallRecord& record);
};

} // namespace batchdeck
