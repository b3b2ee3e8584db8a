#include "ItemRoutes.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QtConcurrent/QtConcurrentRun>
#include <qcoro/qcorofuture.h>

#include "core/Json.h"
#include "http/ApiErrors.h"
#include "http/BodyBuffer.h"
#include "service/BatchService.h"
#include "store/ItemImporter.h"

namespace batchdeck::http {

namespace {

// A JSON array is parsed whole (several times its size in memory); JSON lines are streamed.
constexpr qint64 kMaxJsonArrayBytes = 64LL * 1024 * 1024;

enum class BodyFormat
{
    JsonArray,
    Jsonl,
};

// A JSON array becomes JSONL, one element per line, so the importer's checks and messages apply
// (its "line N" is then the N-th element).
Result<QByteArray> arrayToJsonl(QByteArrayView body)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return invalidRequest(QStringLiteral("invalid_json"),
                              QStringLiteral("the body is not valid JSON: %1 at offset %2")
                                  .arg(parseError.errorString())
                                  .arg(parseError.offset));
    if (!document.isArray())
        return invalidRequest(QStringLiteral("invalid_json"),
                              QStringLiteral("an application/json body must be an array of item objects"));
    QByteArray lines;
    const QJsonArray array = document.array();
    for (const QJsonValue& element : array) {
        if (element.isObject())
            lines += json::compact(element.toObject());
        else
            lines += json::valueText(element).isEmpty() ? QByteArray("null") : json::valueText(element);
        lines += '\n';
    }
    return lines;
}

// Runs on a worker thread: the body is read-only there, and Database hands the thread its own
// connection.
Result<ImportReport> importBody(std::shared_ptr<Database> database,
                                std::shared_ptr<BodyBuffer> body,
                                BodyFormat format,
                                QString runId,
                                QString keyField)
{
    const QByteArrayView view = body->view();
    if (view.isEmpty())
        return invalidRequest(QStringLiteral("invalid_items"), QStringLiteral("the body holds no items"));
    QByteArray converted;
    QBuffer device;
    if (format == BodyFormat::JsonArray) {
        if (view.size() > kMaxJsonArrayBytes)
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("body_too_large"),
                             QStringLiteral("a JSON array body may hold at most %1 MiB; send JSON lines "
                                            "(application/x-ndjson) for more")
                                 .arg(kMaxJsonArrayBytes / (1024 * 1024)));
        auto lines = arrayToJsonl(view);
        if (!lines)
            return lines.error();
        converted = std::move(*lines);
        device.setData(converted);
    } else {
        device.setData(view.constData(), view.size());
    }
    device.open(QIODevice::ReadOnly);
    auto report =
        ItemImporter(database).importDevice(runId, device, ItemFormat::Jsonl, keyField, QStringLiteral("the body"));
    if (!report && report.error().kind == ErrorKind::InvalidInput && report.error().code.isEmpty())
        return invalidRequest(QStringLiteral("invalid_items"), report.error().message);
    return report;
}

} // namespace

ItemRoutes::ItemRoutes(ApiContext& context)
    : m_context(context)
{}

void ItemRoutes::registerRoutes(ApiRouter& router)
{
    router.add(
        "POST",
        QStringLiteral("/pipeline/{run_id}/items"),
        {.handler = [this](const ApiRequest& request) { return importItems(request); },
         .doc = {.summary = QStringLiteral(
                     "Import the run's items: a JSON array of objects (application/json) or one object per line "
                     "(application/x-ndjson or application/jsonl). Each item needs its key field (key, default id); "
                     "importing a key again updates it; a body with any bad record imports nothing and the answer "
                     "names every bad line."),
                 .tag = QStringLiteral("items"),
                 .query = {{QStringLiteral("key"), QStringLiteral("string"), QStringLiteral("key field, default id")}},
                 .requestSchema = QStringLiteral("Items"),
                 .requestContentTypes = {QStringLiteral("application/json"),
                                         QStringLiteral("application/x-ndjson"),
                                         QStringLiteral("application/jsonl")},
                 .responseSchema = QStringLiteral("ImportReport"),
                 .errorStatuses = {413, 415, 503}}});
}

QCoro::Task<HttpResponse> ItemRoutes::importItems(ApiRequest request)
{
    if (auto checked = request.onlyQueryParameters({QStringLiteral("key")}); !checked)
        co_return errorResponse(checked.error());
    QString keyField = QStringLiteral("id");
    if (request.hasQuery(QStringLiteral("key"))) {
        keyField = request.query(QStringLiteral("key"));
        if (keyField.isEmpty() || keyField.size() > 200)
            co_return errorResponse(
                invalidRequest(QStringLiteral("invalid_parameter"),
                               QStringLiteral("query parameter 'key' must be 1 to 200 characters")));
    }
    const QByteArray contentType = request.http.header("content-type").toLower();
    const QByteArray mediaType = contentType.split(';').constFirst().trimmed();
    BodyFormat format = BodyFormat::Jsonl;
    if (mediaType == "application/json")
        format = BodyFormat::JsonArray;
    else if (mediaType != "application/x-ndjson" && mediaType != "application/jsonl" &&
             mediaType != "application/jsonlines")
        co_return errorResponse(makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("unsupported_media_type"),
            QStringLiteral("items come as application/json (an array) or application/x-ndjson (JSON lines), not '%1'")
                .arg(QString::fromLatin1(contentType))));

    const std::shared_ptr<Database> database = m_context.service->database();
    const std::shared_ptr<BodyBuffer> body = request.http.body;
    const QString runId = request.runId;
    // The closure and the future are named locals: g++ 12 destroys temporaries of a co_await
    // expression twice (here that released the request's body and strings under its feet).
    const auto work = [database, body, format, runId, keyField] {
        return importBody(database, body, format, runId, keyField);
    };
    QFuture<Result<ImportReport>> future = QtConcurrent::run(work);
    auto report = co_await future;
    if (!report)
        co_return errorResponse(report.error());
    co_return jsonResponse(200,
                           QJsonObject{{QStringLiteral("run_id"), runId}, {QStringLiteral("items"), report->items}});
}

} // namespace batchdeck::http
