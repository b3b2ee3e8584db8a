#include "SimulatorServer.h"

#include <random>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QLockFile>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTimer>

#include "core/Logging.h"
#include "http/HttpListener.h"
#include "simulator/AdminApi.h"
#include "simulator/ApiError.h"
#include "simulator/BatchRegistry.h"
#include "simulator/BatchesApi.h"
#include "simulator/FileStore.h"
#include "simulator/FilesApi.h"
#include "simulator/Ids.h"
#include "simulator/Router.h"
#include "simulator/SimClock.h"

namespace batchdeck::sim {

using namespace Qt::StringLiterals;
using http::HttpLimits;
using http::HttpListener;
using http::HttpRequest;
using http::HttpResponder;
using http::HttpResponse;

struct SimulatorServer::State
{
    std::unique_ptr<QTemporaryDir> temporaryRoot; // without --state-dir
    std::unique_ptr<QLockFile> lock;
    QString root;
    SimClock clock;
    std::unique_ptr<FileStore> files;
    std::unique_ptr<BatchRegistry> batches;
    std::unique_ptr<FilesApi> filesApi;
    std::unique_ptr<BatchesApi> batchesApi;
    std::unique_ptr<AdminApi> adminApi;
    Router router;
    HttpListener* listener = nullptr;
    std::mt19937_64 faultRandom;
};

SimulatorServer::SimulatorServer(SimulatorOptions options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_faults(m_options.faults)
{}

SimulatorServer::~SimulatorServer()
{
    // Connections call back into this object: they go before the state they would use.
    if (m_state)
        delete m_state->listener;
}

Status SimulatorServer::open()
{
    if (m_state)
        return {};
    auto state = std::make_unique<State>();
    if (m_options.stateDir.isEmpty()) {
        state->temporaryRoot = std::make_unique<QTemporaryDir>();
        if (!state->temporaryRoot->isValid())
            return makeError(ErrorKind::Io, u"cannot create a temporary folder for the simulator"_s);
        state->root = state->temporaryRoot->path();
    } else {
        state->root = QDir(m_options.stateDir).absolutePath();
        if (!QDir().mkpath(state->root))
            return makeError(ErrorKind::Io, u"cannot create the state folder %1"_s.arg(state->root));
        state->lock = std::make_unique<QLockFile>(QDir(state->root).filePath(u"simulator.lock"_s));
        state->lock->setStaleLockTime(0);
        if (!state->lock->tryLock(0))
            return makeError(ErrorKind::Conflict,
                             u"the state folder %1 is in use by another simulator"_s.arg(state->root));
    }
    const QDir root(state->root);
    QFile clockFile(root.filePath(u"clock.json"_s));
    if (clockFile.open(QIODevice::ReadOnly))
        state->clock.setOffsetMs(QJsonDocument::fromJson(clockFile.readAll()).object().value(u"offset_ms").toInteger());

    state->files = std::make_unique<FileStore>(root.filePath(u"files"_s));
    if (Status opened = state->files->open(); !opened)
        return opened;
    state->batches = std::make_unique<BatchRegistry>(root.filePath(u"batches"_s), *state->files, m_options.seed);
    if (Status opened = state->batches->open(); !opened)
        return opened;
    state->faultRandom.seed(m_options.seed);

    state->filesApi = std::make_unique<FilesApi>(*state->files, state->clock, m_options);
    state->batchesApi = std::make_unique<BatchesApi>(*state->batches, *state->files, state->clock, m_options, m_faults);
    state->adminApi = std::make_unique<AdminApi>(*this);
    state->filesApi->registerRoutes(state->router);
    state->batchesApi->registerRoutes(state->router);
    state->adminApi->registerRoutes(state->router);

    HttpLimits limits;
    limits.spoolDir = state->root;
    // Room for the largest file plus multipart framing; more is refused before it is read.
    limits.maxBodyBytes = m_options.maxFileBytes + 1024 * 1024;
    state->listener = new HttpListener(
        limits,
        [this](HttpRequest&& request, HttpResponder responder) { handle(std::move(request), responder); },
        [](int status, const QString& message) {
            // Requests the HTTP layer refuses get OpenAI's envelope and a request id too.
            HttpResponse response = apiError(status, message);
            response.setHeader("x-request-id", newRequestId().toLatin1());
            return response;
        },
        this);
    m_state = std::move(state);
    return {};
}

Result<quint16> SimulatorServer::listen(const QHostAddress& address, quint16 port)
{
    if (Status opened = open(); !opened)
        return opened.error();
    Result<quint16> listening = m_state->listener->listen(address, port);
    if (listening)
        qCInfo(lcSimulator) << "simulator listening on" << baseUrl().toString();
    return listening;
}

void SimulatorServer::close()
{
    if (m_state)
        m_state->listener->close();
}

QUrl SimulatorServer::baseUrl() const
{
    if (!m_state || !m_state->listener->isListening())
        return {};
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(m_state->listener->address().toString());
    url.setPort(m_state->listener->port());
    url.setPath(u"/v1"_s);
    return url;
}

quint16 SimulatorServer::port() const
{
    return m_state ? m_state->listener->port() : 0;
}

void SimulatorServer::setFaults(const SimulatorFaults& faults)
{
    m_faults = faults;
}

int SimulatorServer::batchesCreated() const
{
    return m_state ? m_state->batches->count() : 0;
}

QList<SimulatedBatch> SimulatorServer::batches()
{
    QList<SimulatedBatch> result;
    if (!m_state)
        return result;
    m_state->batches->advance(nowMs(), m_faults);
    for (const BatchRecord* record : m_state->batches->newestFirst())
        result.append(snapshot(*record));
    return result;
}

std::optional<SimulatedBatch> SimulatorServer::batch(const QString& id)
{
    if (!m_state)
        return std::nullopt;
    m_state->batches->advance(nowMs(), m_faults);
    const BatchRecord* record = m_state->batches->find(id);
    if (!record)
        return std::nullopt;
    return snapshot(*record);
}

SimulatedBatch SimulatorServer::snapshot(const BatchRecord& record)
{
    SimulatedBatch batch;
    batch.json = m_state->batches->toApiJson(record, nowMs(), m_faults.emptyStringFileIds);
    batch.id = record.id;
    batch.status = toString(record.status);
    batch.endpoint = record.endpoint;
    batch.inputFileId = record.inputFileId;
    batch.metadata = record.metadata.toObject();
    const QJsonObject counts = batch.json.value(u"request_counts").toObject();
    batch.total = counts.value(u"total").toInt();
    batch.completed = counts.value(u"completed").toInt();
    batch.failed = counts.value(u"failed").toInt();
    batch.outputFileId = record.outputFileId;
    batch.errorFileId = record.errorFileId;
    return batch;
}

qint64 SimulatorServer::nowMs() const
{
    return m_state ? m_state->clock.nowMs() : QDateTime::currentMSecsSinceEpoch();
}

qint64 SimulatorServer::clockOffsetMs() const
{
    return m_state ? m_state->clock.offsetMs() : 0;
}

void SimulatorServer::advanceClock(qint64 ms)
{
    if (Status opened = open(); !opened) {
        qCWarning(lcSimulator) << opened.error().message;
        return;
    }
    m_state->clock.advance(ms);
    saveClock();
}

void SimulatorServer::saveClock() const
{
    QSaveFile file(QDir(m_state->root).filePath(u"clock.json"_s));
    if (file.open(QIODevice::WriteOnly)) {
        file.write(QJsonDocument(QJsonObject{{u"offset_ms"_s, m_state->clock.offsetMs()}}).toJson());
        file.commit();
    }
}

void SimulatorServer::handle(HttpRequest&& request, HttpResponder responder)
{
    const qint64 startedMs = QDateTime::currentMSecsSinceEpoch();
    const bool admin = request.path == u"/_sim" || request.path.startsWith(u"/_sim/");
    m_state->batches->advance(nowMs(), m_faults);

    HttpResponse response;
    if (std::optional<HttpResponse> unauthorized = checkApiKey(request))
        response = *unauthorized;
    else if (std::optional<HttpResponse> fault = admin ? std::nullopt : injectedFault())
        response = *fault;
    else
        response = route(request);

    response.setHeader("x-request-id", newRequestId().toLatin1());
    response.setHeader("openai-version", "2020-10-01");
    response.setHeader("openai-processing-ms", QByteArray::number(QDateTime::currentMSecsSinceEpoch() - startedMs));
    if (!admin)
        response.delayMs += m_faults.stallMs;

    ++m_requestsServed;
    Q_EMIT requestServed(request.method, request.path, response.status);
    qCDebug(lcSimulator) << request.method << request.path << "->" << response.status;
    if (response.delayMs > 0)
        QTimer::singleShot(response.delayMs, this, [responder, response] { responder.send(response); });
    else
        responder.send(std::move(response));
}

HttpResponse SimulatorServer::route(const HttpRequest& request)
{
    const Router::Match match = m_state->router.match(request.method, request.path);
    const QString target = QString::fromLatin1(request.method) + u' ' + request.path;
    switch (match.outcome) {
    case Router::Outcome::NotFound:
        return apiError(404, u"Invalid URL (%1)"_s.arg(target));
    case Router::Outcome::WrongMethod:
        return apiError(405, u"Invalid method for URL (%1)"_s.arg(target));
    case Router::Outcome::Matched:
        break;
    }
    const int before = m_state->batches->count();
    HttpResponse response = (*match.handler)(request, match.params);
    if (m_state->batches->count() > before)
        Q_EMIT batchCreated(m_state->batches->newestFirst().constFirst()->id);
    return response;
}

std::optional<HttpResponse> SimulatorServer::checkApiKey(const HttpRequest& request) const
{
    if (m_options.apiKey.isEmpty())
        return std::nullopt;
    QByteArray key = request.header("authorization");
    if (key.toLower().startsWith("bearer "))
        key = key.sliced(7).trimmed();
    else if (key.isEmpty())
        key = request.header("api-key"); // Azure style
    if (key == m_options.apiKey.toUtf8())
        return std::nullopt;
    if (key.isEmpty()) {
        return apiError(401,
                        u"You didn't provide an API key. You need to provide your API key in an Authorization header "
                        "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."_s,
                        QJsonValue(),
                        u"invalid_api_key"_s);
    }
    // Never echo a key in full: show its ends only, as OpenAI does.
    const QString shown =
        key.size() > 8 ? QString::fromUtf8(key.first(3)) + u"****"_s + QString::fromUtf8(key.last(4)) : u"****"_s;
    return apiError(401,
                    u"Incorrect API key provided: %1. You can find your API key at "
                    "https://platform.openai.com/account/api-keys."_s.arg(shown),
                    QJsonValue(),
                    u"invalid_api_key"_s);
}

std::optional<HttpResponse> SimulatorServer::injectedFault()
{
    const double p429 = m_faults.fail429Ratio;
    const double p500 = m_faults.fail500Ratio;
    if (p429 <= 0 && p500 <= 0)
        return std::nullopt;
    const double roll = std::uniform_real_distribution<double>(0.0, 1.0)(m_state->faultRandom);
    if (roll < p429) {
        HttpResponse response = apiError(429,
                                         u"Rate limit reached for requests (simulated). Please try again later."_s,
                                         u"requests"_s,
                                         QJsonValue(),
                                         u"rate_limit_exceeded"_s);
        response.setHeader("retry-after", QByteArray::number(m_faults.retryAfterSeconds));
        response.setHeader("retry-after-ms", QByteArray::number(qint64(m_faults.retryAfterSeconds) * 1000));
        return response;
    }
    if (roll < p429 + p500) {
        return apiError(500,
                        u"The server had an error while processing your request. Sorry about that! (simulated)"_s,
                        u"server_error"_s,
                        QJsonValue(),
                        QJsonValue());
    }
    return std::nullopt;
}

} // namespace batchdeck::sim
