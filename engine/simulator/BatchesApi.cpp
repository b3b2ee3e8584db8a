#include "BatchesApi.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include "http/BodyBuffer.h"
#include "simulator/ApiError.h"
#include "simulator/FileStore.h"
#include "simulator/ListPaging.h"
#include "simulator/Router.h"
#include "simulator/SimClock.h"
#include "simulator/SimulatorOptions.h"

namespace batchdeck::sim {

using namespace Qt::StringLiterals;
using http::BodyBuffer;
using http::HttpRequest;
using http::HttpResponse;

namespace {

constexpr int kMaxMetadataPairs = 16;
constexpr int kMaxMetadataKey = 64;
constexpr int kMaxMetadataValue = 512;
constexpr qint64 kMinExpirySeconds = 3600;
constexpr qint64 kMaxExpirySeconds = 2592000;

HttpResponse invalid(const QString& message, const QString& param, const QJsonValue& code = u"invalid_value"_s)
{
    return apiError(400, message, param, code);
}

QString quotedList(const QStringList& values)
{
    QStringList quoted;
    for (const QString& value : values)
        quoted.append(u"'"_s + value + u"'"_s);
    return quoted.join(u", "_s);
}

QString jsonTypeName(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"a boolean"_s;
    case QJsonValue::Double:
        return u"a number"_s;
    case QJsonValue::String:
        return u"a string"_s;
    case QJsonValue::Array:
        return u"an array"_s;
    default:
        return u"an object"_s;
    }
}

// Empty when fine, else the answer that rejects the metadata.
std::optional<HttpResponse> checkMetadata(const QJsonValue& metadata)
{
    if (metadata.isNull() || metadata.isUndefined())
        return std::nullopt;
    if (!metadata.isObject()) {
        return invalid(
            u"Invalid type for 'metadata': expected an object, but got %1 instead."_s.arg(jsonTypeName(metadata)),
            u"metadata"_s,
            u"invalid_type"_s);
    }
    const QJsonObject object = metadata.toObject();
    if (object.size() > kMaxMetadataPairs) {
        return invalid(u"Invalid 'metadata': too many properties. Expected an object with at most %1 properties, but "
                       "got an object with %2 properties instead."_s.arg(kMaxMetadataPairs)
                           .arg(object.size()),
                       u"metadata"_s,
                       u"object_above_max_properties"_s);
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key().size() > kMaxMetadataKey) {
            return invalid(u"Invalid 'metadata': key '%1' is too long. Expected keys with maximum length %2, but got "
                           "a key with length %3 instead."_s.arg(it.key())
                               .arg(kMaxMetadataKey)
                               .arg(it.key().size()),
                           u"metadata"_s,
                           u"string_above_max_length"_s);
        }
        const QString param = u"metadata."_s + it.key();
        if (!it.value().isString()) {
            return invalid(
                u"Invalid type for '%1': expected a string, but got %2 instead."_s.arg(param, jsonTypeName(it.value())),
                param,
                u"invalid_type"_s);
        }
        if (it.value().toString().size() > kMaxMetadataValue) {
            return invalid(u"Invalid '%1': string too long. Expected a string with maximum length %2, but got a "
                           "string with length %3 instead."_s.arg(param)
                               .arg(kMaxMetadataValue)
                               .arg(it.value().toString().size()),
                           param,
                           u"string_above_max_length"_s);
        }
    }
    return std::nullopt;
}

} // namespace

BatchesApi::BatchesApi(BatchRegistry& batches,
                       FileStore& files,
                       const SimClock& clock,
                       const SimulatorOptions& options,
                       const SimulatorFaults& faults)
    : m_batches(batches)
    , m_files(files)
    , m_clock(clock)
    , m_options(options)
    , m_faults(faults)
{}

const QStringList& BatchesApi::supportedEndpoints()
{
    static const QStringList endpoints{u"/v1/responses"_s,
                                       u"/v1/chat/completions"_s,
                                       u"/v1/embeddings"_s,
                                       u"/v1/completions"_s,
                                       u"/v1/moderations"_s,
                                       u"/v1/images/generations"_s,
                                       u"/v1/images/edits"_s,
                                       u"/v1/videos"_s};
    return endpoints;
}

void BatchesApi::registerRoutes(Router& router)
{
    router.add(
        "POST", u"/v1/batches"_s, [this](const HttpRequest& request, const QStringList&) { return create(request); });
    router.add(
        "GET", u"/v1/batches"_s, [this](const HttpRequest& request, const QStringList&) { return list(request); });
    router.add("GET", u"/v1/batches/{}"_s, [this](const HttpRequest&, const QStringList& params) {
        return retrieve(params.at(0));
    });
    router.add("POST", u"/v1/batches/{}/cancel"_s, [this](const HttpRequest&, const QStringList& params) {
        return cancel(params.at(0));
    });
}

std::variant<CreateBatchParams, HttpResponse> BatchesApi::parseCreate(const QByteArray& body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return apiError(400,
                        u"We could not parse the JSON body of your request. (HINT: This likely means you aren't using "
                        "your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not "
                        "valid JSON.)"_s);
    }
    const QJsonObject json = document.object();
    static const QStringList known{
        u"input_file_id"_s, u"endpoint"_s, u"completion_window"_s, u"metadata"_s, u"output_expires_after"_s};
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!known.contains(it.key()))
            return invalid(u"Unrecognized request argument supplied: %1"_s.arg(it.key()), it.key(), QJsonValue());
    }
    for (const QString& required : {u"input_file_id"_s, u"endpoint"_s, u"completion_window"_s}) {
        if (!json.value(required).isString() || json.value(required).toString().isEmpty()) {
            return invalid(
                u"Missing required parameter: '%1'."_s.arg(required), required, u"missing_required_parameter"_s);
        }
    }

    CreateBatchParams params;
    params.inputFileId = json.value(u"input_file_id").toString();
    params.endpoint = json.value(u"endpoint").toString();
    params.completionWindow = json.value(u"completion_window").toString();
    params.metadata = json.contains(u"metadata") ? json.value(u"metadata") : QJsonValue();
    if (!supportedEndpoints().contains(params.endpoint)) {
        return invalid(
            u"Invalid value: '%1'. Supported values are: %2."_s.arg(params.endpoint, quotedList(supportedEndpoints())),
            u"endpoint"_s);
    }
    if (params.completionWindow != u"24h") {
        return invalid(u"Invalid value: '%1'. Supported values are: '24h'."_s.arg(params.completionWindow),
                       u"completion_window"_s);
    }
    if (std::optional<HttpResponse> rejected = checkMetadata(params.metadata))
        return *rejected;
    if (json.contains(u"output_expires_after") && !json.value(u"output_expires_after").isNull()) {
        const QJsonObject expiry = json.value(u"output_expires_after").toObject();
        const qint64 seconds = expiry.value(u"seconds").toInteger(-1);
        if (expiry.value(u"anchor").toString() != u"created_at")
            return invalid(u"Invalid value for 'output_expires_after.anchor': expected 'created_at'."_s,
                           u"output_expires_after.anchor"_s);
        if (!expiry.value(u"seconds").isDouble() || seconds < kMinExpirySeconds || seconds > kMaxExpirySeconds) {
            return invalid(u"Invalid 'output_expires_after.seconds': expected an integer between %1 and %2."_s
                               .arg(kMinExpirySeconds)
                               .arg(kMaxExpirySeconds),
                           u"output_expires_after.seconds"_s);
        }
        params.outputExpiresAfterSeconds = seconds;
    }

    const std::optional<StoredFile> input = m_files.find(params.inputFileId, m_clock.nowMs());
    if (!input)
        return apiError(404, u"No such File object: %1"_s.arg(params.inputFileId), u"input_file_id"_s);
    if (input->purpose != u"batch") {
        return invalid(u"Invalid 'input_file_id': file %1 has purpose '%2', but a batch input file must have "
                       "purpose 'batch'."_s.arg(input->id, input->purpose),
                       u"input_file_id"_s,
                       QJsonValue());
    }
    return params;
}

HttpResponse BatchesApi::create(const HttpRequest& request)
{
    std::variant<CreateBatchParams, HttpResponse> parsed = parseCreate(request.body->toByteArray());
    if (auto* rejected = std::get_if<HttpResponse>(&parsed))
        return *rejected;
    const BatchRecord record =
        m_batches.create(std::get<CreateBatchParams>(parsed), m_clock.nowMs(), m_options.phaseMs, m_options.expiryMs);
    HttpResponse response = batchJson(record);
    // Slow creation: the batch already exists (and shows in lists) while the answer is late, as
    // when a real create call times out on the client after the server did the work.
    response.delayMs = m_faults.createDelayMs;
    return response;
}

HttpResponse BatchesApi::retrieve(const QString& id)
{
    const BatchRecord* record = m_batches.find(id);
    if (!record)
        return apiError(404, u"No batch found with id '%1'."_s.arg(id));
    return batchJson(*record);
}

HttpResponse BatchesApi::list(const HttpRequest& request)
{
    const Result<int> limit = parseLimit(request.query, 100, 20);
    if (!limit)
        return apiError(400, limit.error().message, u"limit"_s, u"invalid_value"_s);
    const qint64 nowMs = m_clock.nowMs();
    QList<QJsonObject> ordered;
    for (const BatchRecord* record : m_batches.newestFirst())
        ordered.append(m_batches.toApiJson(*record, nowMs, m_faults.emptyStringFileIds));
    const Result<QJsonObject> page = pageAfter(ordered, request.query.queryItemValue(u"after"_s), *limit);
    if (!page)
        return apiError(400, page.error().message, u"after"_s);
    return jsonResponse(200, *page);
}

HttpResponse BatchesApi::cancel(const QString& id)
{
    const Result<BatchRecord> record = m_batches.cancel(id, m_clock.nowMs());
    if (!record)
        return apiError(record.error().kind == ErrorKind::NotFound ? 404 : 409, record.error().message);
    return batchJson(*record);
}

HttpResponse BatchesApi::batchJson(const BatchRecord& record) const
{
    return jsonResponse(200, m_batches.toApiJson(record, m_clock.nowMs(), m_faults.emptyStringFileIds));
}

} // namespace batchdeck::sim
