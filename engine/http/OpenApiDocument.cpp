#include "OpenApiDocument.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace batchdeck::http {

namespace {

// The shared schemas, written as JSON: easier to read and review than nested QJsonObject calls.
const char* const kSchemas = R"json({
  "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object",
    "required": ["code", "message"], "properties": {
      "code": {"type": "string", "description": "stable, e.g. job_not_found, submission_in_progress"},
      "message": {"type": "string", "description": "for people; never starts with a digit"}}}}},
  "ProviderInfo": {"type": "object", "nullable": true, "properties": {
    "batch_id": {"type": "string"}, "status": {"type": "string", "nullable": true},
    "input_file_id": {"type": "string", "nullable": true}, "output_file_id": {"type": "string", "nullable": true},
    "error_file_id": {"type": "string", "nullable": true}, "expires_at": {"type": "integer", "nullable": true}}},
  "RequestCounts": {"type": "object", "properties": {"total": {"type": "integer"},
    "completed": {"type": "integer"}, "failed": {"type": "integer"}}},
  "JobError": {"type": "object", "nullable": true, "properties": {"code": {"type": "string"},
    "message": {"type": "string"}, "retryable": {"type": "boolean"}}},
  "JobStatus": {"type": "object", "required": ["run_id", "batch_type", "job_status", "llm_status", "terminal",
      "outcome", "provider", "request_counts", "attempt", "error", "updated_at"], "properties": {
    "run_id": {"type": "string"}, "batch_type": {"type": "string"},
    "job_status": {"type": "string", "enum": ["PENDING_SUBMISSION", "SUBMITTED", "SUBMISSION_FAILED",
      "PENDING_PROCESSING", "PROCESSING", "COMPLETED"]},
    "llm_status": {"type": "string", "enum": ["not_submitted", "in_progress", "completed", "failed"]},
    "terminal": {"type": "boolean", "description": "true when llm_status is completed or failed"},
    "outcome": {"type": "string", "enum": ["pending", "success", "partial", "failed", "cancelled", "expired"]},
    "provider": {"$ref": "#/components/schemas/ProviderInfo"},
    "request_counts": {"$ref": "#/components/schemas/RequestCounts"},
    "attempt": {"type": "integer"}, "error": {"$ref": "#/components/schemas/JobError"},
    "updated_at": {"type": "integer", "description": "UTC epoch milliseconds"}}},
  "SubmitOutcome": {"type": "object", "required": ["status", "llm_batch_id"], "properties": {
    "status": {"type": "string", "enum": ["submitted", "skipped"]},
    "llm_batch_id": {"type": "string", "nullable": true}, "adopted": {"type": "boolean"},
    "job_id": {"type": "integer"}, "run_id": {"type": "string"}, "batch_type": {"type": "string"},
    "job_status": {"type": "string"}, "attempt": {"type": "integer"}, "requests": {"type": "integer"}}},
  "ProcessRequest": {"type": "object", "additionalProperties": false, "properties": {
    "harvest": {"type": "boolean", "description": "also take the output of an expired or cancelled batch"}}},
  "ProcessOutcome": {"type": "object", "required": ["status", "results_saved", "errors"], "properties": {
    "status": {"type": "string", "enum": ["processed", "skipped"]},
    "results_saved": {"type": "integer"}, "errors": {"type": "integer"}, "job_id": {"type": "integer"},
    "run_id": {"type": "string"}, "batch_type": {"type": "string"}, "job_status": {"type": "string"},
    "attempt": {"type": "integer"}}},
  "ReasonRequest": {"type": "object", "additionalProperties": false, "properties": {
    "reason": {"type": "string", "maxLength": 1000, "description": "kept in the job's history"}}},
  "Job": {"type": "object", "properties": {"job_id": {"type": "integer"}, "run_id": {"type": "string"},
    "batch_type": {"type": "string"}, "job_status": {"type": "string"}, "llm_status": {"type": "string"},
    "terminal": {"type": "boolean"}, "outcome": {"type": "string"}, "attempt": {"type": "integer"},
    "llm_batch_id": {"type": "string", "nullable": true}, "provider_status": {"type": "string", "nullable": true},
    "request_counts": {"$ref": "#/components/schemas/RequestCounts"}, "results_saved": {"type": "integer"},
    "result_errors": {"type": "integer"}, "error": {"type": "object", "nullable": true},
    "created_at": {"type": "integer"}, "updated_at": {"type": "integer"}}},
  "JobList": {"type": "object", "required": ["jobs"], "properties": {
    "jobs": {"type": "array", "items": {"$ref": "#/components/schemas/Job"}},
    "limit": {"type": "integer"}, "offset": {"type": "integer"}, "next_offset": {"type": "integer", "nullable": true},
    "cursor": {"type": "integer", "description": "with since: the next cursor"},
    "full": {"type": "boolean", "description": "with since: every matching job is listed"},
    "removed_ids": {"type": "array", "items": {"type": "integer"},
      "description": "with since: job_id of jobs that changed and no longer match the filters"},
    "counts": {"type": "object", "additionalProperties": {"type": "integer"}}}},
  "JobDetail": {"allOf": [{"$ref": "#/components/schemas/Job"}, {"type": "object", "properties": {
    "status": {"$ref": "#/components/schemas/JobStatus"},
    "events": {"type": "array", "items": {"type": "object", "properties": {"at": {"type": "integer"},
      "from": {"type": "string", "nullable": true}, "to": {"type": "string"}, "actor": {"type": "string"},
      "message": {"type": "string"}}}},
    "provider_batches": {"type": "array", "items": {"type": "object"}}}}]},
  "Result": {"type": "object", "properties": {"custom_id": {"type": "string"}, "ok": {"type": "boolean"},
    "status_code": {"type": "integer", "nullable": true}, "content": {"type": "string", "nullable": true},
    "parsed": {"nullable": true}, "error": {"type": "object", "nullable": true}, "usage": {"type": "object"},
    "line": {"type": "integer"}, "attempt": {"type": "integer"}}},
  "ResultPage": {"type": "object", "properties": {"run_id": {"type": "string"}, "batch_type": {"type": "string"},
    "job_id": {"type": "integer"}, "total": {"type": "integer"}, "errors": {"type": "integer"},
    "limit": {"type": "integer"}, "offset": {"type": "integer"}, "next_offset": {"type": "integer", "nullable": true},
    "results": {"type": "array", "items": {"$ref": "#/components/schemas/Result"}}}},
  "Items": {"type": "array", "items": {"type": "object", "description": "an item; its key field (default id) is a string or an integer"}},
  "ImportReport": {"type": "object", "properties": {"run_id": {"type": "string"}, "items": {"type": "integer"}}},
  "Health": {"type": "object", "properties": {"status": {"type": "string", "enum": ["ok"]},
    "version": {"type": "string"}, "schema_version": {"type": "integer"}}},
  "BatchTypeList": {"type": "object", "properties": {"batch_types": {"type": "array", "items": {"type": "object",
    "properties": {"name": {"type": "string"}, "description": {"type": "string"}, "endpoint": {"type": "string"},
      "model": {"type": "string"}, "origin": {"type": "string"}}}}}},
  "OpenApi": {"type": "object", "description": "this document"}
})json";

QString describe(int status)
{
    switch (status) {
    case 400:
        return QStringLiteral("Bad input: path, query or body (error.code says which)");
    case 401:
        return QStringLiteral("Missing or wrong bearer token");
    case 404:
        return QStringLiteral("Unknown job, run or batch type");
    case 405:
        return QStringLiteral("Wrong method for this path");
    case 409:
        return QStringLiteral("The job's state does not allow it, or another caller is at work on it");
    case 413:
        return QStringLiteral("Body too large");
    case 415:
        return QStringLiteral("Unsupported content type");
    case 422:
        return QStringLiteral("Nothing to submit, or the requests cannot be rendered or exceed the provider's limits");
    case 502:
        return QStringLiteral("The provider refused");
    case 503:
        return QStringLiteral("Not ready, database unreachable or provider unavailable; see Retry-After");
    default:
        return QStringLiteral("Error");
    }
}

QJsonObject schemaRef(const QString& name)
{
    return QJsonObject{{QStringLiteral("$ref"), QString(QStringLiteral("#/components/schemas/") + name)}};
}

QJsonObject operationFor(const RouteTable::Entry& entry, const ApiRoute& route)
{
    static const QRegularExpression parameter(QStringLiteral("^\\{(\\w+)\\}$"));
    const RouteDoc& doc = route.doc;
    QJsonArray parameters;
    for (const QString& segment : entry.segments) {
        const auto match = parameter.match(segment);
        if (!match.hasMatch())
            continue;
        const QString name = match.captured(1);
        QJsonObject schema{{QStringLiteral("type"), QStringLiteral("string")}};
        if (name == u"run_id")
            schema.insert(QStringLiteral("pattern"), QStringLiteral("^[A-Za-z0-9._:+@-]{1,200}$"));
        else if (name == u"batch_type")
            schema.insert(QStringLiteral("pattern"), QStringLiteral("^[a-z][a-z0-9_-]{0,63}$"));
        parameters.append(QJsonObject{{QStringLiteral("name"), name},
                                      {QStringLiteral("in"), QStringLiteral("path")},
                                      {QStringLiteral("required"), true},
                                      {QStringLiteral("schema"), schema}});
    }
    for (const RouteDoc::Parameter& query : doc.query)
        parameters.append(QJsonObject{{QStringLiteral("name"), query.name},
                                      {QStringLiteral("in"), QStringLiteral("query")},
                                      {QStringLiteral("required"), false},
                                      {QStringLiteral("description"), query.description},
                                      {QStringLiteral("schema"), QJsonObject{{QStringLiteral("type"), query.type}}}});

    const QString responseType =
        doc.responseContentType.isEmpty() ? QStringLiteral("application/json") : doc.responseContentType;
    const QJsonObject okSchema = doc.responseSchema.isEmpty()
                                     ? QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}
                                     : schemaRef(doc.responseSchema);
    QJsonObject responses{
        {QStringLiteral("200"),
         QJsonObject{{QStringLiteral("description"), QStringLiteral("OK")},
                     {QStringLiteral("content"),
                      QJsonObject{{responseType, QJsonObject{{QStringLiteral("schema"), okSchema}}}}}}}};
    QList<int> errors = doc.errorStatuses;
    errors << 400 << 405;
    if (!route.open)
        errors << 401;
    for (int status : std::as_const(errors)) {
        const QJsonObject errorContent{{QStringLiteral("application/json"),
                                        QJsonObject{{QStringLiteral("schema"), schemaRef(QStringLiteral("Error"))}}}};
        responses.insert(
            QString::number(status),
            QJsonObject{{QStringLiteral("description"), describe(status)}, {QStringLiteral("content"), errorContent}});
    }

    static const QRegularExpression nonWord(QStringLiteral("[^A-Za-z0-9]+"));
    const QString operationId =
        QString::fromLatin1(entry.method).toLower() + QString(entry.pattern).replace(nonWord, QStringLiteral("_"));
    QJsonObject operation{{QStringLiteral("summary"), doc.summary},
                          {QStringLiteral("tags"), QJsonArray{doc.tag}},
                          {QStringLiteral("operationId"), operationId},
                          {QStringLiteral("parameters"), parameters},
                          {QStringLiteral("responses"), responses}};
    if (route.open)
        operation.insert(QStringLiteral("security"), QJsonArray());
    if (!doc.requestSchema.isEmpty()) {
        const QStringList types = doc.requestContentTypes.isEmpty() ? QStringList{QStringLiteral("application/json")}
                                                                    : doc.requestContentTypes;
        QJsonObject content;
        for (const QString& type : types)
            content.insert(type, QJsonObject{{QStringLiteral("schema"), schemaRef(doc.requestSchema)}});
        operation.insert(QStringLiteral("requestBody"),
                         QJsonObject{{QStringLiteral("required"), false}, {QStringLiteral("content"), content}});
    }
    return operation;
}

} // namespace

QJsonObject openApiDocument(const ApiRouter& router)
{
    QJsonObject paths;
    const QList<RouteTable::Entry>& entries = router.table().entries();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const RouteTable::Entry& entry = entries.at(i);
        QJsonObject path = paths.value(entry.pattern).toObject();
        path.insert(QString::fromLatin1(entry.method).toLower(), operationFor(entry, router.handlers().at(i)));
        paths.insert(entry.pattern, path);
    }
    const QJsonObject schemas = QJsonDocument::fromJson(QByteArray(kSchemas)).object();
    return QJsonObject{
        {QStringLiteral("openapi"), QStringLiteral("3.0.3")},
        {QStringLiteral("info"),
         QJsonObject{{QStringLiteral("title"), QStringLiteral("Batchdeck API")},
                     {QStringLiteral("version"), QStringLiteral(BATCHDECK_VERSION)},
                     {QStringLiteral("description"),
                      QStringLiteral("LLM batch jobs for data pipelines: submit, status, process and the "
                                     "operator's actions. Path segments are percent-decoded; every error is "
                                     "{\"error\": {\"code\", \"message\"}}.")}}},
        {QStringLiteral("paths"), paths},
        {QStringLiteral("components"),
         QJsonObject{{QStringLiteral("schemas"), schemas},
                     {QStringLiteral("securitySchemes"),
                      QJsonObject{{QStringLiteral("bearerAuth"),
                                   QJsonObject{{QStringLiteral("type"), QStringLiteral("http")},
                                               {QStringLiteral("scheme"), QStringLiteral("bearer")}}}}}}},
        {QStringLiteral("security"), QJsonArray{QJsonObject{{QStringLiteral("bearerAuth"), QJsonArray()}}}},
    };
}

} // namespace batchdeck::http
