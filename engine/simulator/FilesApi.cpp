#include "FilesApi.h"

#include <algorithm>

#include <QHash>
#include <QJsonArray>

#include "http/BodyBuffer.h"
#include "simulator/ApiError.h"
#include "simulator/FileStore.h"
#include "simulator/ListPaging.h"
#include "simulator/MultipartParser.h"
#include "simulator/Router.h"
#include "simulator/SimClock.h"
#include "simulator/SimulatorOptions.h"

namespace batchdeck::sim {

using namespace Qt::StringLiterals;
using http::BodyBuffer;
using http::HttpRequest;
using http::HttpResponse;

namespace {

constexpr qint64 kMinExpirySeconds = 3600;
constexpr qint64 kMaxExpirySeconds = 2592000;
constexpr qint64 kDefaultBatchFileExpiryMs = 30LL * 24 * 3600 * 1000;

const QStringList kUploadPurposes{u"assistants"_s, u"batch"_s, u"fine-tune"_s, u"vision"_s, u"user_data"_s, u"evals"_s};

HttpResponse missingParameter(const QString& name)
{
    return apiError(400, u"Missing required parameter: '%1'."_s.arg(name), name, u"missing_required_parameter"_s);
}

// SDKs send nested fields bracketed (expires_after[seconds]); Azure's curl examples dotted.
QString normalizedFieldName(const QString& name)
{
    QString normalized = name;
    normalized.replace(u'[', u'.');
    normalized.remove(u']');
    return normalized;
}

} // namespace

FilesApi::FilesApi(FileStore& files, const SimClock& clock, const SimulatorOptions& options)
    : m_files(files)
    , m_clock(clock)
    , m_options(options)
{}

void FilesApi::registerRoutes(Router& router)
{
    router.add(
        "POST", u"/v1/files"_s, [this](const HttpRequest& request, const QStringList&) { return upload(request); });
    router.add("GET", u"/v1/files"_s, [this](const HttpRequest& request, const QStringList&) { return list(request); });
    router.add("GET", u"/v1/files/{}"_s, [this](const HttpRequest&, const QStringList& params) {
        return retrieve(params.at(0));
    });
    router.add("DELETE", u"/v1/files/{}"_s, [this](const HttpRequest&, const QStringList& params) {
        return remove(params.at(0));
    });
    router.add("GET", u"/v1/files/{}/content"_s, [this](const HttpRequest&, const QStringList& params) {
        return content(params.at(0));
    });
}

HttpResponse FilesApi::upload(const HttpRequest& request)
{
    const Result<QByteArray> boundary = multipartBoundary(request.header("content-type"));
    if (!boundary)
        return apiError(400, boundary.error().message);
    const QByteArrayView body = request.body->view();
    if (body.isEmpty() && request.body->size() > 0)
        return apiError(500, u"The server could not read the upload."_s);
    const Result<QList<MultipartPart>> parts = parseMultipart(body, *boundary);
    if (!parts)
        return apiError(400, parts.error().message);

    const MultipartPart* filePart = nullptr;
    QHash<QString, QString> fields;
    for (const MultipartPart& part : *parts) {
        if (part.name == u"file")
            filePart = &part;
        else
            fields.insert(normalizedFieldName(part.name), QString::fromUtf8(part.data.toByteArray()).trimmed());
    }
    if (!filePart)
        return missingParameter(u"file"_s);
    if (!fields.contains(u"purpose"_s))
        return missingParameter(u"purpose"_s);
    const QString purpose = fields.value(u"purpose"_s);
    if (!kUploadPurposes.contains(purpose)) {
        return apiError(400,
                        u"Invalid value for 'purpose': '%1'. Supported values are: 'assistants', 'batch', 'fine-tune', "
                        "'vision', 'user_data', and 'evals'."_s.arg(purpose),
                        u"purpose"_s,
                        u"invalid_value"_s);
    }
    const qint64 size = filePart->data.size();
    if (size > m_options.maxFileBytes || (purpose == u"batch" && size > m_options.maxBatchFileBytes))
        return apiError(400, u"File is too large."_s);
    if (purpose == u"batch" && !filePart->filename.endsWith(u".jsonl", Qt::CaseInsensitive))
        return apiError(400, u"Invalid file format for Batch API. Must be .jsonl"_s);

    const qint64 nowMs = m_clock.nowMs();
    std::optional<qint64> expiresAtMs;
    if (purpose == u"batch")
        expiresAtMs = nowMs + kDefaultBatchFileExpiryMs;
    if (fields.contains(u"expires_after.anchor"_s) || fields.contains(u"expires_after.seconds"_s)) {
        if (fields.value(u"expires_after.anchor"_s) != u"created_at") {
            return apiError(400,
                            u"Invalid value for 'expires_after.anchor': expected 'created_at'."_s,
                            u"expires_after.anchor"_s,
                            u"invalid_value"_s);
        }
        bool ok = false;
        const qint64 seconds = fields.value(u"expires_after.seconds"_s).toLongLong(&ok);
        if (!ok || seconds < kMinExpirySeconds || seconds > kMaxExpirySeconds) {
            return apiError(400,
                            u"Invalid 'expires_after.seconds': expected an integer between %1 and %2."_s.arg(
                                QString::number(kMinExpirySeconds), QString::number(kMaxExpirySeconds)),
                            u"expires_after.seconds"_s,
                            u"invalid_value"_s);
        }
        expiresAtMs = nowMs + seconds * 1000;
    }

    const QString filename = filePart->filename.isEmpty() ? u"upload"_s : filePart->filename;
    const qint64 dataStart = filePart->data.data() - body.data();
    const bool lastPart = filePart == &parts->constLast();
    auto store = [&]() -> Result<StoredFile> {
        if (request.body->isSpooled() && lastPart) {
            // A large upload was written to disk as it arrived: that file becomes the stored one (cut
            // after the file's bytes, which start at dataStart) instead of copying 100+ MB out of it
            // once more after the last byte. The views into the body are invalid from here on.
            const QString staging = m_files.newStagingPath();
            if (request.body->moveSpoolTo(staging, dataStart + size))
                return m_files.adoptStaged(staging, filename, purpose, nowMs, expiresAtMs, dataStart);
            const QByteArrayView again = request.body->view();
            if (again.size() < dataStart + size)
                return makeError(ErrorKind::Io, u"the spooled upload is gone"_s);
            return m_files.addBytes(filename, purpose, again.sliced(dataStart, size), nowMs, expiresAtMs);
        }
        return m_files.addBytes(filename, purpose, filePart->data, nowMs, expiresAtMs);
    };
    const Result<StoredFile> stored = store();
    if (!stored)
        return apiError(500, u"The server could not store the file."_s);
    return jsonResponse(200, stored->toApiJson());
}

HttpResponse FilesApi::list(const HttpRequest& request)
{
    const Result<int> limit = parseLimit(request.query, 10000, 10000);
    if (!limit)
        return apiError(400, limit.error().message, u"limit"_s, u"invalid_value"_s);
    const QString order = request.query.queryItemValue(u"order"_s);
    if (!order.isEmpty() && order != u"asc" && order != u"desc") {
        return apiError(400,
                        u"Invalid value for 'order': '%1'. Supported values are: 'asc' and 'desc'."_s.arg(order),
                        u"order"_s,
                        u"invalid_value"_s);
    }
    const QString purpose = request.query.queryItemValue(u"purpose"_s);
    QList<QJsonObject> ordered;
    for (const StoredFile& file : m_files.liveFiles(m_clock.nowMs())) {
        if (purpose.isEmpty() || file.purpose == purpose)
            ordered.append(file.toApiJson());
    }
    if (order != u"asc")
        std::reverse(ordered.begin(), ordered.end());
    const Result<QJsonObject> page = pageAfter(ordered, request.query.queryItemValue(u"after"_s), *limit);
    if (!page)
        return apiError(400, page.error().message, u"after"_s);
    return jsonResponse(200, *page);
}

HttpResponse FilesApi::retrieve(const QString& id)
{
    const std::optional<StoredFile> file = m_files.find(id, m_clock.nowMs());
    if (!file)
        return notFound(id);
    return jsonResponse(200, file->toApiJson());
}

HttpResponse FilesApi::remove(const QString& id)
{
    if (!m_files.find(id, m_clock.nowMs()) || !m_files.remove(id))
        return notFound(id);
    return jsonResponse(200, QJsonObject{{u"id"_s, id}, {u"object"_s, u"file"_s}, {u"deleted"_s, true}});
}

HttpResponse FilesApi::content(const QString& id)
{
    const std::optional<StoredFile> file = m_files.find(id, m_clock.nowMs());
    if (!file)
        return notFound(id);
    HttpResponse response;
    if (file->contentOffset == 0) {
        response.bodyFilePath = m_files.contentPath(id);
    } else {
        std::shared_ptr<QFile> content = m_files.openContent(*file);
        if (!content)
            return apiError(500, u"The server could not read the file content."_s);
        response.bodyDevice = std::move(content); // served from the content's first byte to the end
    }
    response.setHeader("content-type", "application/octet-stream");
    return response;
}

HttpResponse FilesApi::notFound(const QString& id) const
{
    return apiError(404, u"No such File object: %1"_s.arg(id), u"id"_s);
}

} // namespace batchdeck::sim
