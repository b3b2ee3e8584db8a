#include "OpenAiTransport.h"

#include <chrono>

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHttpMultiPart>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QScopeGuard>
#include <QUrlQuery>
#include <qcoro/qcoronetworkreply.h>
#include <qcoro/qcorosignal.h>
#include <qcoro/qcorotimer.h>

#include "core/Logging.h"
#include "provider/ErrorEnvelope.h"
#include "provider/PlainHttpUpload.h"
#include "provider/RetryPolicy.h"

namespace batchdeck {

using namespace Qt::StringLiterals;

namespace {

// How much of a download may wait in Qt's buffer before the socket stops reading: this, not the file
// size, bounds a download's memory.
constexpr qint64 kDownloadReadBuffer = 1024 * 1024;
constexpr qint64 kWriteChunk = 256 * 1024;
// An error body is read into memory; a proxy's error page is not allowed to be large.
constexpr qsizetype kMaxErrorBody = 64 * 1024;

// Deletes the reply when an attempt ends, whether it finished, failed or the coroutine unwound. The
// QPointer makes it safe if the network manager already took the reply down with it.
struct ReplyGuard
{
    QPointer<QNetworkReply> reply;
    ~ReplyGuard()
    {
        if (reply)
            reply->deleteLater();
    }
};

QByteArray quotedFilename(const QString& name)
{
    // A quote or line break in a filename would break the Content-Disposition header.
    QString safe = name;
    safe.replace(u'"', u"%22"_s);
    safe.remove(u'\r');
    safe.remove(u'\n');
    return safe.toUtf8();
}

QHttpPart textPart(const QString& name, const QString& value)
{
    QHttpPart part;
    const QByteArray disposition = "form-data; name=\"" + quotedFilename(name) + '"';
    part.setHeader(QNetworkRequest::ContentDispositionHeader, disposition);
    part.setBody(value.toUtf8());
    return part;
}

// Builds the multipart body with the file as a streaming device owned by the multipart object.
Result<QHttpMultiPart*> buildMultipart(const MultipartUpload& upload)
{
    auto multipart = std::make_unique<QHttpMultiPart>(QHttpMultiPart::FormDataType);
    for (const auto& [name, value] : upload.fields)
        multipart->append(textPart(name, value));

    auto* file = new QFile(upload.filePath, multipart.get());
    if (!file->open(QIODevice::ReadOnly)) {
        return makeError(
            ErrorKind::Io,
            u"Cannot read %1 for upload: %2"_s.arg(QDir::toNativeSeparators(upload.filePath), file->errorString()));
    }
    const QString filename = upload.filename.isEmpty() ? QFileInfo(upload.filePath).fileName() : upload.filename;
    QHttpPart filePart;
    filePart.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/octet-stream"));
    const QByteArray disposition = "form-data; name=\"file\"; filename=\"" + quotedFilename(filename) + '"';
    filePart.setHeader(QNetworkRequest::ContentDispositionHeader, disposition);
    filePart.setBodyDevice(file);
    multipart->append(filePart);
    return multipart.release();
}

// The same multipart/form-data body as buildMultipart(), as the bytes before and after the file's
// content, for PlainHttpUpload.
std::pair<QByteArray, QByteArray> multipartFraming(const MultipartUpload& upload, const QByteArray& boundary)
{
    QByteArray before;
    for (const auto& [name, value] : upload.fields) {
        before += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quotedFilename(name) +
                  "\"\r\n\r\n" + value.toUtf8() + "\r\n";
    }
    const QString filename = upload.filename.isEmpty() ? QFileInfo(upload.filePath).fileName() : upload.filename;
    before +=
        "--" + boundary +
        "\r\nContent-Type: application/octet-stream\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
        quotedFilename(filename) + "\"\r\n\r\n";
    return {before, "\r\n--" + boundary + "--\r\n"};
}

// True when a failure happened before the server could have acted on the request.
bool neverReachedServer(int httpStatus, int networkError)
{
    if (httpStatus > 0)
        return httpStatus < 500;
    switch (static_cast<QNetworkReply::NetworkError>(networkError)) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyNotFoundError:
        return true;
    default:
        return false;
    }
}

QString redactedUrl(const QUrl& url)
{
    return url.toString(QUrl::RemoveUserInfo);
}

} // namespace

struct OpenAiTransport::AttemptOutcome
{
    int httpStatus = 0;
    int networkError = 0;
    QString networkErrorText;
    QByteArray body;
    QByteArray retryAfterMs;
    QByteArray retryAfter;
    QByteArray shouldRetry;
    QString requestId;
    qint64 downloadedBytes = 0;
    bool truncated = false;          // a bounded read stopped at maxBodyBytes
    std::optional<Error> localError; // could not read the upload or write the download: not retried

    bool succeeded() const { return !localError && networkError == 0 && httpStatus >= 200 && httpStatus < 300; }
};

OpenAiTransport::OpenAiTransport(OpenAiConfig config, QObject* parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_network(new QNetworkAccessManager(this))
    , m_random(QRandomGenerator::securelySeeded())
{}

OpenAiTransport::~OpenAiTransport()
{
    *m_alive = false;
    // Abort resumes each waiting call now, while the network manager still exists; the calls see
    // m_alive false and end with a "shut down" error instead of hanging forever.
    const QList<QNetworkReply*> replies = m_network->findChildren<QNetworkReply*>();
    for (QNetworkReply* reply : replies)
        reply->abort();
    const QList<PlainHttpUpload*> uploads = findChildren<PlainHttpUpload*>();
    for (PlainHttpUpload* upload : uploads)
        upload->abort();
}

QUrl OpenAiTransport::urlFor(const HttpCall& call) const
{
    QUrl url = m_config.baseUrl;
    QString path = url.path(QUrl::FullyEncoded);
    while (path.endsWith(u'/'))
        path.chop(1);
    // TolerantMode keeps the caller's percent-encoding of ids instead of encoding the '%' again.
    url.setPath(path + call.path, QUrl::TolerantMode);

    QUrlQuery query(url);
    if (!m_config.apiVersion.isEmpty() && !query.hasQueryItem(u"api-version"_s))
        query.addQueryItem(u"api-version"_s, m_config.apiVersion);
    for (const auto& [key, value] : call.query)
        query.addQueryItem(key, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    url.setQuery(query);
    return url;
}

QNetworkRequest OpenAiTransport::requestFor(const HttpCall& call) const
{
    QNetworkRequest request(urlFor(call));
    request.setTransferTimeout(m_config.transferTimeoutMs);
    // A redirect to another host would carry the key there; such a redirect fails instead.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    request.setHeader(QNetworkRequest::UserAgentHeader, m_config.userAgent);
    request.setRawHeader("Accept", call.accept);
    if (!m_config.apiKey.isEmpty()) {
        if (m_config.authStyle == OpenAiConfig::AuthStyle::ApiKeyHeader)
            request.setRawHeader("api-key", m_config.apiKey.toUtf8());
        else
            request.setRawHeader("Authorization", "Bearer " + m_config.apiKey.toUtf8());
    }
    if (!m_config.organization.isEmpty())
        request.setRawHeader("OpenAI-Organization", m_config.organization.toUtf8());
    if (!m_config.project.isEmpty())
        request.setRawHeader("OpenAI-Project", m_config.project.toUtf8());
    if (call.jsonBody)
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    return request;
}

QNetworkReply* OpenAiTransport::startReply(const HttpCall& call, QHttpMultiPart* multipart)
{
    const QNetworkRequest request = requestFor(call);
    if (multipart)
        return m_network->post(request, multipart);
    if (call.method == "GET")
        return m_network->get(request);
    if (call.method == "DELETE")
        return m_network->deleteResource(request);
    return m_network->sendCustomRequest(request, call.method, call.jsonBody.value_or(QByteArray()));
}

QCoro::Task<OpenAiTransport::AttemptOutcome> OpenAiTransport::runPlainUpload(const HttpCall& call)
{
    AttemptOutcome outcome;
    const QByteArray boundary = "batchdeck-" + QByteArray::number(QRandomGenerator::global()->generate64(), 16) +
                                QByteArray::number(QRandomGenerator::global()->generate64(), 16);
    const auto [before, after] = multipartFraming(*call.upload, boundary);
    QPointer<PlainHttpUpload> upload = new PlainHttpUpload(requestFor(call),
                                                           "multipart/form-data; boundary=" + boundary,
                                                           before,
                                                           call.upload->filePath,
                                                           after,
                                                           m_config.transferTimeoutMs,
                                                           this);
    auto release = qScopeGuard([upload] {
        if (upload)
            upload->deleteLater();
    });
    QString readError;
    if (!upload->start(&readError)) {
        outcome.localError = makeError(
            ErrorKind::Io,
            u"Cannot read %1 for upload: %2"_s.arg(QDir::toNativeSeparators(call.upload->filePath), readError));
        co_return outcome;
    }
    const std::shared_ptr<bool> alive = m_alive;
    if (!upload->isFinished()) {
        PlainHttpUpload* awaited = upload;
        co_await qCoro(awaited, &PlainHttpUpload::finished);
    }
    if (!*alive || !upload)
        co_return outcome; // the caller checks alive again and reports the shutdown
    const PlainHttpAnswer& answer = upload->answer();
    outcome.httpStatus = answer.httpStatus;
    outcome.networkError = answer.networkError;
    outcome.networkErrorText = answer.networkErrorText;
    outcome.body = answer.body;
    outcome.retryAfterMs = answer.header("retry-after-ms");
    outcome.retryAfter = answer.header("retry-after");
    outcome.shouldRetry = answer.header("x-should-retry");
    outcome.requestId = QString::fromLatin1(answer.header("x-request-id"));
    co_return outcome;
}

QCoro::Task<OpenAiTransport::AttemptOutcome> OpenAiTransport::runAttempt(const HttpCall& call)
{
    if (call.upload && m_config.plainHttpUploads && PlainHttpUpload::appliesTo(urlFor(call)))
        co_return co_await runPlainUpload(call);
    AttemptOutcome outcome;

    QHttpMultiPart* multipart = nullptr;
    if (call.upload) {
        Result<QHttpMultiPart*> built = buildMultipart(*call.upload);
        if (!built.ok()) {
            outcome.localError = built.error();
            co_return outcome;
        }
        multipart = built.value();
    }

    // A download goes to "<path>.part", renamed to the path once it is complete, removed otherwise.
    // Not a QSaveFile: its commit fsyncs, which cost more than the whole download of a spool file
    // that process() deletes right after reading it (and a crash restarts processing anyway).
    std::unique_ptr<QFile> sink;
    auto removePart = qScopeGuard([&sink] {
        if (sink)
            sink->remove();
    });
    if (!call.downloadPath.isEmpty()) {
        QDir().mkpath(QFileInfo(call.downloadPath).absolutePath());
        sink = std::make_unique<QFile>(call.downloadPath + u".part"_s);
        if (!sink->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            delete multipart;
            outcome.localError = makeError(
                ErrorKind::Io,
                u"Cannot write %1: %2"_s.arg(QDir::toNativeSeparators(call.downloadPath), sink->errorString()));
            co_return outcome;
        }
    }

    QNetworkReply* reply = startReply(call, multipart);
    ReplyGuard guard{reply};
    if (multipart)
        multipart->setParent(reply);

    // Drains what arrived: a 2xx body goes to the file as it comes, anything else is an error body kept
    // in memory up to a bound. Runs on readyRead and once more after the reply finished.
    bool writeFailed = false;
    const qint64 maxBody = sink ? 0 : call.maxBodyBytes;
    auto drain = [&outcome, &writeFailed, reply, maxBody, sinkPtr = sink.get()]() {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const bool toFile = sinkPtr && status >= 200 && status < 300;
        const bool bounded = maxBody > 0 && status >= 200 && status < 300;
        while (reply->bytesAvailable() > 0 && !writeFailed && !outcome.truncated) {
            if (bounded) {
                if (outcome.body.size() >= maxBody) {
                    // More than asked for: the rest stays at the provider.
                    outcome.truncated = true;
                    outcome.httpStatus = status; // kept: the abort may clear the reply's attributes
                    reply->abort();
                    return;
                }
                outcome.body += reply->read(maxBody - outcome.body.size());
            } else if (toFile) {
                const QByteArray chunk = reply->read(kWriteChunk);
                if (sinkPtr->write(chunk) != chunk.size()) {
                    writeFailed = true;
                    reply->abort();
                    return;
                }
                outcome.downloadedBytes += chunk.size();
            } else if (outcome.body.size() < kMaxErrorBody || !sinkPtr) {
                outcome.body += reply->readAll();
            } else {
                reply->skip(reply->bytesAvailable());
            }
        }
    };
    QMetaObject::Connection drainConnection;
    if (sink || maxBody > 0) {
        reply->setReadBufferSize(sink ? kDownloadReadBuffer : qMin(kDownloadReadBuffer, maxBody + 1));
        drainConnection = connect(reply, &QNetworkReply::readyRead, reply, drain);
    }

    const std::shared_ptr<bool> alive = m_alive;
    co_await reply;
    if (!*alive)
        co_return outcome; // the caller checks alive again and reports the shutdown
    drain();
    QObject::disconnect(drainConnection);

    if (!outcome.truncated)
        outcome.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    outcome.retryAfterMs = reply->rawHeader("retry-after-ms");
    outcome.retryAfter = reply->rawHeader("retry-after");
    outcome.shouldRetry = reply->rawHeader("x-should-retry");
    outcome.requestId = QString::fromLatin1(reply->rawHeader("x-request-id"));
    // Qt reports 4xx/5xx as network errors too; only a failure without an HTTP status is one for us.
    if (outcome.httpStatus == 0 && reply->error() != QNetworkReply::NoError && !outcome.truncated) {
        outcome.networkError = reply->error();
        outcome.networkErrorText = reply->errorString();
    }

    if (writeFailed) {
        outcome.localError =
            makeError(ErrorKind::Io,
                      u"Cannot write %1: %2"_s.arg(QDir::toNativeSeparators(call.downloadPath), sink->errorString()));
    } else if (sink && outcome.succeeded()) {
        QFile::remove(call.downloadPath); // rename() never replaces a file; it closes the file first
        if (!sink->flush() || !sink->rename(call.downloadPath)) {
            outcome.localError = makeError(ErrorKind::Io,
                                           u"Cannot finish writing %1: %2"_s.arg(
                                               QDir::toNativeSeparators(call.downloadPath), sink->errorString()));
        } else {
            sink.reset(); // complete: kept
        }
    }
    // A failed attempt leaves nothing (removePart).
    co_return outcome;
}

ProviderError OpenAiTransport::errorFrom(const HttpCall& call, const AttemptOutcome& outcome, int attempts) const
{
    ProviderError error;
    error.operation = call.operation;
    error.httpStatus = outcome.httpStatus;
    error.requestId = outcome.requestId;
    error.attempts = attempts;
    error.networkError = outcome.networkError;
    if (outcome.httpStatus > 0) {
        const ErrorEnvelope envelope = parseErrorEnvelope(outcome.body, m_config.apiKey);
        error.type = envelope.type;
        error.code = envelope.code;
        error.message = envelope.message;
        error.param = envelope.param;
        if (error.message.isEmpty())
            error.message = u"the provider answered without an error message"_s;
    } else if (outcome.networkError == QNetworkReply::OperationCanceledError) {
        // Qt turns a transfer timeout into a cancelled operation; nothing else cancels our replies.
        error.message = u"no data moved for %1 ms (timeout)"_s.arg(m_config.transferTimeoutMs);
    } else {
        error.message = redactSecret(outcome.networkErrorText, m_config.apiKey);
    }
    return error;
}

ProviderError OpenAiTransport::shutDownError(const HttpCall& call, int attempts)
{
    ProviderError error;
    error.operation = call.operation;
    error.message = u"the provider client was shut down"_s;
    error.retryable = true;
    error.attempts = attempts;
    return error;
}

QCoro::Task<ProviderResult<HttpResponse>> OpenAiTransport::send(HttpCall call)
{
    const std::shared_ptr<bool> alive = m_alive;
    const RetryPolicy policy = m_config.retry;
    QElapsedTimer clock;
    clock.start();

    for (int attempt = 1;; ++attempt) {
        const AttemptOutcome outcome = co_await runAttempt(call);
        if (!*alive)
            co_return shutDownError(call, attempt);
        if (outcome.localError)
            co_return *outcome.localError;

        qCDebug(lcProvider).noquote() << call.operation << call.method << redactedUrl(urlFor(call)) << "attempt"
                                      << attempt << "HTTP" << outcome.httpStatus << "network error"
                                      << outcome.networkError << "request" << outcome.requestId << "after"
                                      << clock.elapsed() << "ms";
        if (outcome.succeeded()) {
            co_return HttpResponse{outcome.httpStatus,
                                   outcome.body,
                                   outcome.requestId,
                                   outcome.downloadedBytes,
                                   attempt,
                                   outcome.truncated};
        }

        const RetryHints hints = parseRetryHints(
            outcome.retryAfterMs, outcome.retryAfter, outcome.shouldRetry, QDateTime::currentDateTimeUtc());
        const RetryDecision decision =
            decideRetry(policy, attempt, outcome.httpStatus, outcome.networkError, hints, m_random);
        ProviderError error = errorFrom(call, outcome, attempt);
        error.retryable = decision.retryable;
        error.retryAfterMs = hints.retryAfterMs;
        const bool mayExist = call.findBeforeResend && decision.retryable &&
                              !neverReachedServer(outcome.httpStatus, outcome.networkError);
        if (decision.retryNow) {
            qCInfo(lcProvider).noquote()
                << error.describe()
                << u"- attempt %1 of %2 in %3 ms"_s.arg(attempt + 1).arg(policy.maxAttempts).arg(decision.delayMs);
            co_await QCoro::sleepFor(std::chrono::milliseconds(decision.delayMs));
            if (!*alive)
                co_return shutDownError(call, attempt);
        }
        // Before sending a create again, or before reporting that it failed, look for what a lost
        // attempt may have made: a duplicate batch would run (and bill) twice.
        if (mayExist) {
            const std::optional<QByteArray> existing = co_await call.findBeforeResend();
            if (!*alive)
                co_return shutDownError(call, attempt);
            if (existing) {
                qCInfo(lcProvider).noquote()
                    << call.operation << "- the lost attempt did reach the provider; using what it created";
                co_return HttpResponse{200, *existing, outcome.requestId, 0, attempt};
            }
        }
        if (!decision.retryNow) {
            qCWarning(lcProvider).noquote() << error.describe();
            co_return error;
        }
    }
}

} // namespace batchdeck
