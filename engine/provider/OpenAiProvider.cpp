#include "OpenAiProvider.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include "core/Json.h"
#include "core/Logging.h"
#include "provider/OpenAiTransport.h"

namespace batchdeck {

using namespace Qt::StringLiterals;

namespace {

// OpenAI's documented limits on batch metadata (reference §3).
constexpr qsizetype kMaxMetadataPairs = 16;
constexpr qsizetype kMaxMetadataKey = 64;
constexpr qsizetype kMaxMetadataValue = 512;
// Clock skew allowed between us and the provider when matching a batch a lost create made.
constexpr qint64 kCreateSkewMs = 5 * 60 * 1000;
constexpr int kAdoptionPageSize = 100;

QString segment(const QString& id)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(id));
}

// Parses a JSON object answer; a 2xx that is not a JSON object is a broken server or a wrong base URL.
template <typename T> ProviderResult<T> parseObjectAnswer(const QString& operation, const HttpResponse& response)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(response.body, &parseError);
    if (!document.isObject()) {
        ProviderError error;
        error.operation = operation;
        error.httpStatus = response.httpStatus;
        error.requestId = response.requestId;
        error.attempts = response.attempts;
        error.message = u"the answer is not a JSON object (%1); is the base URL right?"_s.arg(parseError.errorString());
        return error;
    }
    Result<T> parsed = T::fromJson(document.object());
    if (!parsed.ok()) {
        ProviderError error;
        error.operation = operation;
        error.httpStatus = response.httpStatus;
        error.requestId = response.requestId;
        error.attempts = response.attempts;
        error.message = parsed.error().message;
        return error;
    }
    return std::move(parsed).value();
}

template <typename T> std::function<ProviderResult<T>(const HttpResponse&)> objectParser(const QString& operation)
{
    return [operation](const HttpResponse& response) { return parseObjectAnswer<T>(operation, response); };
}

ProviderResult<ProviderBatchPage> parsePage(const QString& operation, const HttpResponse& response)
{
    const QJsonDocument document = QJsonDocument::fromJson(response.body);
    const QJsonObject root = document.object();
    if (!document.isObject() || !root.value("data"_L1).isArray()) {
        ProviderError error;
        error.operation = operation;
        error.httpStatus = response.httpStatus;
        error.requestId = response.requestId;
        error.attempts = response.attempts;
        error.message = u"the answer is not a list object with a data array"_s;
        return error;
    }
    ProviderBatchPage page;
    const QJsonArray data = root.value("data"_L1).toArray();
    page.data.reserve(data.size());
    for (const QJsonValue& entry : data) {
        Result<ProviderBatch> batch = ProviderBatch::fromJson(entry.toObject());
        // One malformed entry must not hide the others from a list.
        if (batch.ok())
            page.data.append(std::move(batch).value());
        else
            qCWarning(lcProvider) << "list batches: skipped an entry:" << batch.error().message;
    }
    page.firstId = root.value("first_id"_L1).toString();
    page.lastId = root.value("last_id"_L1).toString();
    page.hasMore = root.value("has_more"_L1).toBool(false);
    return page;
}

QString outcomeName(const Error& error)
{
    switch (error.kind) {
    case ErrorKind::ProviderTransient:
        return u"transient_error"_s;
    case ErrorKind::ProviderPermanent:
        return u"permanent_error"_s;
    default:
        return u"local_error"_s;
    }
}

ProviderError shutDown(const QString& operation)
{
    ProviderError error;
    error.operation = operation;
    error.message = u"the provider client was shut down"_s;
    error.retryable = true;
    return error;
}

} // namespace

OpenAiProvider::OpenAiProvider(OpenAiConfig config, QObject* parent)
    : BatchProvider(parent)
    , m_config(std::move(config))
    , m_transport(new OpenAiTransport(m_config, this))
{
    qCDebug(lcProvider).noquote() << "OpenAI-compatible provider:" << m_config.summary();
}

OpenAiProvider::~OpenAiProvider()
{
    *m_alive = false;
    // Deleting the transport now, while this object is whole, ends the calls in flight; they see
    // m_alive false and return without touching members.
    delete m_transport;
}

void OpenAiProvider::setRandomSeed(quint32 seed)
{
    m_transport->setRandomSeed(seed);
}

template <typename T>
ProviderResult<T> OpenAiProvider::finish(const QString& operation,
                                         const QElapsedTimer& clock,
                                         const ProviderResult<HttpResponse>& response,
                                         ProviderResult<T> result)
{
    ProviderCallRecord record;
    record.operation = operation;
    record.durationMs = clock.elapsed();
    if (response.ok()) {
        record.httpStatus = response->httpStatus;
        record.attempts = response->attempts;
    } else if (response.providerError()) {
        record.httpStatus = response.providerError()->httpStatus;
        record.attempts = response.providerError()->attempts;
    }
    record.outcome = result.ok() ? u"ok"_s : outcomeName(result.error());
    Q_EMIT callFinished(record);
    return result;
}

template <typename T> QCoro::Task<ProviderResult<T>> OpenAiProvider::exchange(HttpCall call, AnswerParser<T> parse)
{
    const QString operation = call.operation;
    QElapsedTimer clock;
    clock.start();
    const std::shared_ptr<bool> alive = m_alive;
    const ProviderResult<HttpResponse> response = co_await m_transport->send(std::move(call));
    if (!*alive)
        co_return shutDown(operation);
    if (!response.ok())
        co_return finish(operation, clock, response, forwardFailure<T>(response));
    co_return finish(operation, clock, response, parse(response.value()));
}

Result<QByteArray> OpenAiProvider::createBatchBody(const CreateBatchRequest& request)
{
    if (request.inputFileId.isEmpty())
        return makeError(ErrorKind::InvalidInput, u"A batch needs an input file id"_s);
    if (request.endpoint.isEmpty())
        return makeError(ErrorKind::InvalidInput, u"A batch needs an endpoint such as /v1/chat/completions"_s);
    if (request.completionWindow.isEmpty())
        return makeError(ErrorKind::InvalidInput, u"A batch needs a completion window such as 24h"_s);
    if (request.metadata.size() > kMaxMetadataPairs)
        return makeError(ErrorKind::InvalidInput,
                         u"Batch metadata has %1 pairs; the provider takes at most %2"_s.arg(request.metadata.size())
                             .arg(kMaxMetadataPairs));

    QJsonObject body{
        {u"input_file_id"_s, request.inputFileId},
        {u"endpoint"_s, request.endpoint},
        {u"completion_window"_s, request.completionWindow},
    };
    if (!request.metadata.isEmpty()) {
        QJsonObject metadata;
        for (auto it = request.metadata.cbegin(); it != request.metadata.cend(); ++it) {
            if (it.key().size() > kMaxMetadataKey || it.value().size() > kMaxMetadataValue) {
                return makeError(ErrorKind::InvalidInput,
                                 u"Batch metadata key \"%1\" or its value is too long (keys up to %2, values up to %3 "
                                 u"characters)"_s.arg(it.key().left(kMaxMetadataKey))
                                     .arg(kMaxMetadataKey)
                                     .arg(kMaxMetadataValue));
            }
            metadata.insert(it.key(), it.value());
        }
        body.insert(u"metadata"_s, metadata);
    }
    if (request.outputExpiresAfterSeconds) {
        body.insert(u"output_expires_after"_s,
                    QJsonObject{{u"anchor"_s, u"created_at"_s},
                                {u"seconds"_s, static_cast<double>(*request.outputExpiresAfterSeconds)}});
    }
    return json::compact(body);
}

QCoro::Task<ProviderResult<ProviderFile>> OpenAiProvider::uploadFile(UploadFileRequest request)
{
    MultipartUpload upload;
    upload.filePath = request.path;
    upload.filename = request.filename;
    upload.fields.append({u"purpose"_s, request.purpose});
    if (request.expiresAfterSeconds) {
        // The SDKs' bracket form (reference §2); the simulator and OpenAI accept it.
        upload.fields.append({u"expires_after[anchor]"_s, u"created_at"_s});
        upload.fields.append({u"expires_after[seconds]"_s, QString::number(*request.expiresAfterSeconds)});
    }
    const QString operation = u"upload file"_s;
    HttpCall call;
    call.operation = operation;
    call.method = "POST";
    call.path = u"/files"_s;
    call.upload = std::move(upload);
    return exchange<ProviderFile>(std::move(call), objectParser<ProviderFile>(operation));
}

QCoro::Task<ProviderResult<ProviderFile>> OpenAiProvider::getFile(QString fileId)
{
    const QString operation = u"get file"_s;
    HttpCall call;
    call.operation = operation;
    call.method = "GET";
    call.path = u"/files/"_s + segment(fileId);
    return exchange<ProviderFile>(std::move(call), objectParser<ProviderFile>(operation));
}

namespace {

// GET /files/{id}/content, with the Accept both SDKs send for content: some servers answer JSON-typed
// errors only when asked for JSON, which the error path does not need.
HttpCall fileContentCall(QString operation, const QString& fileId)
{
    HttpCall call;
    call.operation = std::move(operation);
    call.method = "GET";
    call.path = u"/files/"_s + segment(fileId) + u"/content"_s;
    call.accept = "application/binary";
    return call;
}

} // namespace

QCoro::Task<ProviderResult<DownloadedFile>> OpenAiProvider::downloadFileContent(QString fileId, QString targetPath)
{
    HttpCall call = fileContentCall(u"download file"_s, fileId);
    call.downloadPath = targetPath;
    AnswerParser<DownloadedFile> downloaded = [fileId, targetPath](const HttpResponse& response) {
        return ProviderResult<DownloadedFile>(DownloadedFile{fileId, targetPath, response.downloadedBytes});
    };
    return exchange<DownloadedFile>(std::move(call), std::move(downloaded));
}

QCoro::Task<ProviderResult<FileHead>> OpenAiProvider::readFileContentHead(QString fileId, qint64 maxBytes)
{
    HttpCall call = fileContentCall(u"read file head"_s, fileId);
    call.maxBodyBytes = qMax<qint64>(1, maxBytes);
    AnswerParser<FileHead> head = [fileId](const HttpResponse& response) {
        return ProviderResult<FileHead>(FileHead{fileId, response.body, !response.truncated});
    };
    return exchange<FileHead>(std::move(call), std::move(head));
}

QCoro::Task<ProviderResult<bool>> OpenAiProvider::deleteFile(QString fileId)
{
    HttpCall call;
    call.operation = u"delete file"_s;
    call.method = "DELETE";
    call.path = u"/files/"_s + segment(fileId);
    AnswerParser<bool> deleted = [](const HttpResponse& response) {
        return ProviderResult<bool>(json::parseObject(response.body).value("deleted"_L1).toBool(true));
    };
    return exchange<bool>(std::move(call), std::move(deleted));
}

QCoro::Task<ProviderResult<ProviderBatch>> OpenAiProvider::createBatch(CreateBatchRequest request)
{
    const QString operation = u"create batch"_s;
    QElapsedTimer clock;
    clock.start();
    Result<QByteArray> body = createBatchBody(request);
    if (!body.ok()) {
        co_return finish(
            operation, clock, ProviderResult<HttpResponse>(body.error()), ProviderResult<ProviderBatch>(body.error()));
    }

    HttpCall call;
    call.operation = operation;
    call.method = "POST";
    call.path = u"/batches"_s;
    call.jsonBody = std::move(body).value();
    const qint64 startedAtMs = QDateTime::currentMSecsSinceEpoch();
    // Not a coroutine itself: it returns the member coroutine's task, which copies what it needs.
    call.findBeforeResend = [this, request, startedAtMs]() {
        return findCreatedBatch(request, startedAtMs - kCreateSkewMs);
    };

    AnswerParser<ProviderBatch> parse = objectParser<ProviderBatch>(operation);
    co_return co_await exchange<ProviderBatch>(std::move(call), std::move(parse));
}

QCoro::Task<std::optional<QByteArray>> OpenAiProvider::findCreatedBatch(CreateBatchRequest request, qint64 notBeforeMs)
{
    const std::shared_ptr<bool> alive = m_alive;
    ListBatchesRequest page;
    page.limit = kAdoptionPageSize;
    const ProviderResult<ProviderBatchPage> listed = co_await listBatches(page);
    if (!*alive || !listed.ok())
        co_return std::nullopt;
    for (const ProviderBatch& batch : listed->data) {
        if (batch.inputFileId != request.inputFileId || batch.createdAtMs.value_or(notBeforeMs) < notBeforeMs)
            continue;
        bool sameMetadata = true;
        for (auto it = request.metadata.cbegin(); it != request.metadata.cend() && sameMetadata; ++it)
            sameMetadata = batch.metadata.value(it.key()) == it.value();
        if (sameMetadata)
            co_return json::compact(batch.raw);
    }
    co_return std::nullopt;
}

QCoro::Task<ProviderResult<ProviderBatch>> OpenAiProvider::batchCall(QString operation, QByteArray method, QString path)
{
    HttpCall call;
    call.operation = operation;
    call.method = method;
    call.path = path;
    if (method == "POST")
        call.jsonBody.reset(); // cancel: an empty body, no content type, as the SDKs send it
    return exchange<ProviderBatch>(std::move(call), objectParser<ProviderBatch>(operation));
}

QCoro::Task<ProviderResult<ProviderBatch>> OpenAiProvider::getBatch(QString batchId)
{
    return batchCall(u"get batch"_s, "GET", u"/batches/"_s + segment(batchId));
}

QCoro::Task<ProviderResult<ProviderBatch>> OpenAiProvider::cancelBatch(QString batchId)
{
    return batchCall(u"cancel batch"_s, "POST", u"/batches/"_s + segment(batchId) + u"/cancel"_s);
}

QCoro::Task<ProviderResult<ProviderBatchPage>> OpenAiProvider::listBatches(ListBatchesRequest request)
{
    HttpCall call;
    call.operation = u"list batches"_s;
    call.method = "GET";
    call.path = u"/batches"_s;
    if (!request.after.isEmpty())
        call.query.append({u"after"_s, request.after});
    if (request.limit > 0)
        call.query.append({u"limit"_s, QString::number(request.limit)});
    AnswerParser<ProviderBatchPage> parse = [operation = call.operation](const HttpResponse& response) {
        return parsePage(operation, response);
    };
    return exchange<ProviderBatchPage>(std::move(call), std::move(parse));
}

} // namespace batchdeck
