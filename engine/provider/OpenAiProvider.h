#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <QElapsedTimer>

#include "provider/BatchProvider.h"
#include "provider/OpenAiConfig.h"

namespace batchdeck {

class OpenAiTransport;
struct HttpCall;
struct HttpResponse;

// BatchProvider over the OpenAI wire protocol: OpenAI, Azure OpenAI and compatible servers (the
// simulator included). All HTTP, retry and timeout work is OpenAiTransport's; this class knows the
// paths, the bodies and the answers.
class OpenAiProvider : public BatchProvider
{
    Q_OBJECT

public:
    explicit OpenAiProvider(OpenAiConfig config, QObject* parent = nullptr);
    ~OpenAiProvider() override;

    const OpenAiConfig& config() const { return m_config; }
    // Tests make backoff deterministic.
    void setRandomSeed(quint32 seed);

    QCoro::Task<ProviderResult<ProviderFile>> uploadFile(UploadFileRequest request) override;
    QCoro::Task<ProviderResult<ProviderFile>> getFile(QString fileId) override;
    QCoro::Task<ProviderResult<DownloadedFile>> downloadFileContent(QString fileId, QString targetPath) override;
    QCoro::Task<ProviderResult<FileHead>> readFileContentHead(QString fileId, qint64 maxBytes) override;
    QCoro::Task<ProviderResult<bool>> deleteFile(QString fileId) override;

    QCoro::Task<ProviderResult<ProviderBatch>> createBatch(CreateBatchRequest request) override;
    QCoro::Task<ProviderResult<ProviderBatch>> getBatch(QString batchId) override;
    QCoro::Task<ProviderResult<ProviderBatchPage>> listBatches(ListBatchesRequest request) override;
    QCoro::Task<ProviderResult<ProviderBatch>> cancelBatch(QString batchId) override;

    // The request body createBatch sends, and the checks it makes before sending; public for tests.
    static Result<QByteArray> createBatchBody(const CreateBatchRequest& request);

private:
    // Looks, after a create that may have been lost on its way back, for the batch it made.
    QCoro::Task<std::optional<QByteArray>> findCreatedBatch(CreateBatchRequest request, qint64 notBeforeMs);
    QCoro::Task<ProviderResult<ProviderBatch>> batchCall(QString operation, QByteArray method, QString path);

    // Every call's sequence: send, stop quietly if this provider went away meanwhile, turn a good answer
    // into T with `parse`, and report the call (callFinished) whatever happened.
    template <typename T> using AnswerParser = std::function<ProviderResult<T>(const HttpResponse&)>;
    template <typename T> QCoro::Task<ProviderResult<T>> exchange(HttpCall call, AnswerParser<T> parse);

    template <typename T>
    ProviderResult<T> finish(const QString& operation,
                             const QElapsedTimer& clock,
                             const ProviderResult<HttpResponse>& response,
                             ProviderResult<T> result);

    OpenAiConfig m_config;
    OpenAiTransport* m_transport = nullptr;
    // False once destruction starts: calls resumed by the transport's shutdown must not touch `this`.
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace batchdeck
