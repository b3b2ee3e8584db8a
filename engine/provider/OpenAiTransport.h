#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <utility>

#include <QByteArray>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QRandomGenerator>
#include <QString>
#include <QUrl>
#include <qcoro/qcorotask.h>

#include "provider/OpenAiConfig.h"
#include "provider/ProviderError.h"

class QHttpMultiPart;
class QNetworkAccessManager;
class QNetworkReply;

namespace batchdeck {

// A multipart/form-data upload whose file part is read from disk while it is sent.
struct MultipartUpload
{
    QString filePath;
    QString filename;                          // the part's filename; empty: the file's own name
    QList<std::pair<QString, QString>> fields; // text parts sent before the file
};

// One logical provider call: what to send, and where a 2xx body goes.
struct HttpCall
{
    QString operation; // for logs and errors: "create batch"
    QByteArray method; // GET, POST or DELETE
    QString path;      // relative to the base URL, segments already percent-encoded: "/batches/batch_1"
    QList<std::pair<QString, QString>> query;
    std::optional<QByteArray> jsonBody; // sent as application/json
    std::optional<MultipartUpload> upload;
    QString downloadPath; // when set, a 2xx body streams to this file instead of memory
    // When > 0 (and no downloadPath), a 2xx body is read into memory up to this many bytes; the rest
    // is not downloaded (the reply is aborted) and the response says it was truncated.
    qint64 maxBodyBytes = 0;
    QByteArray accept = "application/json";

    // For calls that create something: after a failure that may have reached the server (5xx, a
    // connection lost after sending), this runs before the request is sent again, and before a last
    // such failure is reported. When it finds the object the lost attempt created, it returns that
    // object's JSON, which becomes the call's answer: no duplicate is created.
    std::function<QCoro::Task<std::optional<QByteArray>>()> findBeforeResend;
};

struct HttpResponse
{
    int httpStatus = 0;
    QByteArray body; // empty for downloads
    QString requestId;
    qint64 downloadedBytes = 0;
    int attempts = 0;
    bool truncated = false; // the body is the first maxBodyBytes of a longer one
};

// Sends HttpCalls over one QNetworkAccessManager with the config's auth headers, timeout and retry
// policy. Every attempt builds a fresh request body (an upload reopens its file), so retries never need
// the body in memory. Lives on one thread; destroying it ends every call in flight with an error.
class OpenAiTransport : public QObject
{
    Q_OBJECT

public:
    explicit OpenAiTransport(OpenAiConfig config, QObject* parent = nullptr);
    ~OpenAiTransport() override;

    QCoro::Task<ProviderResult<HttpResponse>> send(HttpCall call);

    const OpenAiConfig& config() const { return m_config; }
    QUrl urlFor(const HttpCall& call) const;
    // The request with every header but the body's; exposed so tests can check headers without a server.
    QNetworkRequest requestFor(const HttpCall& call) const;

    // Tests make backoff deterministic with a seeded generator.
    void setRandomSeed(quint32 seed) { m_random.seed(seed); }

private:
    struct AttemptOutcome;

    QCoro::Task<AttemptOutcome> runAttempt(const HttpCall& call);
    // An upload to a plain-HTTP base URL without a proxy: over PlainHttpUpload's own socket.
    QCoro::Task<AttemptOutcome> runPlainUpload(const HttpCall& call);
    QNetworkReply* startReply(const HttpCall& call, QHttpMultiPart* multipart);
    ProviderError errorFrom(const HttpCall& call, const AttemptOutcome& outcome, int attempts) const;
    static ProviderError shutDownError(const HttpCall& call, int attempts);

    OpenAiConfig m_config;
    QNetworkAccessManager* m_network = nullptr;
    QRandomGenerator m_random;
    // Shared with every running call; false once this object is being destroyed, so a call resumed by
    // the abort in the destructor (or by a timer later) returns without touching `this`.
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace batchdeck
