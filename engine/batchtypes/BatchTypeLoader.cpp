#include "BatchTypeLoader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include "batchtypes/RequestTemplate.h"
#include "core/Names.h"

namespace batchdeck {

namespace {

const QString kName = QStringLiteral("name");
const QString kDescription = QStringLiteral("description");
const QString kEndpoint = QStringLiteral("endpoint");
const QString kModel = QStringLiteral("model");
const QString kTemplate = QStringLiteral("template");
const QString kResponseFormat = QStringLiteral("response_format");
const QString kSource = QStringLiteral("source");
const QString kKeep = QStringLiteral("keep");

const QStringList& knownFields()
{
    static const QStringList fields = {
        kName, kDescription, kEndpoint, kModel, kTemplate, kResponseFormat, kSource, kKeep};
    return fields;
}

// "line 3, column 14" from a parse error offset, which means more to a person than a byte offset.
QString positionOf(const QByteArray& text, int offset)
{
    int line = 1;
    int column = 1;
    for (int i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((uchar(text[i]) & 0xC0) != 0x80) { // count characters, not UTF-8 continuation bytes
            ++column;
        }
    }
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

// Collects the problems of one file so that parse() can report all of them.
class Checker
{
public:
    Checker(const QJsonObject& object, const QString& file)
        : m_object(object)
        , m_file(file)
    {}

    void problem(const QString& field, const QString& message) { m_problems.append({m_file, field, message}); }

    // A string field; `required` ones must be present and non-empty.
    std::optional<QString> string(const QString& field, bool required)
    {
        const QJsonValue value = m_object.value(field);
        if (value.isUndefined() || value.isNull()) {
            if (required)
                problem(field, QStringLiteral("is required"));
            return std::nullopt;
        }
        if (!value.isString()) {
            problem(field, QStringLiteral("must be a string"));
            return std::nullopt;
        }
        if (required && value.toString().trimmed().isEmpty()) {
            problem(field, QStringLiteral("must not be empty"));
            return std::nullopt;
        }
        return value.toString();
    }

    const QJsonObject& object() const { return m_object; }
    QList<BatchTypeProblem>& problems() { return m_problems; }

private:
    const QJsonObject& m_object;
    QString m_file;
    QList<BatchTypeProblem> m_problems;
};

// The shape of the endpoint's input field: the placeholders are checked by RequestTemplate, this is
// what the provider would refuse whatever the items hold.
void checkInputField(Checker& checker, Endpoint endpoint, const QJsonObject& body)
{
    const QString input = endpointInputField(endpoint);
    const QString field = kTemplate + u'.' + input;
    const QJsonValue value = body.value(input);
    if (value.isUndefined()) {
        checker.problem(kTemplate, QStringLiteral("a %1 template needs '%2'").arg(endpointPath(endpoint), input));
        return;
    }
    if (endpoint != Endpoint::ChatCompletions)
        return; // input and prompt may be strings or arrays of many shapes; the provider checks them
    if (value.isString())
        return; // a placeholder that holds the messages; checked once rendered
    if (!value.isArray() || value.toArray().isEmpty()) {
        checker.problem(field, QStringLiteral("must be a non-empty array of messages"));
        return;
    }
    const QJsonArray messages = value.toArray();
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QString messageField = field + u'[' + QString::number(i) + u']';
        const QJsonObject message = messages.at(i).toObject();
        if (!messages.at(i).isObject())
            checker.problem(messageField, QStringLiteral("must be an object with 'role' and 'content'"));
        else if (!message.value(QStringLiteral("role")).isString())
            checker.problem(messageField + u".role", QStringLiteral("is required and must be a string"));
    }
}

void checkTemplate(Checker& checker, const BatchType& type, QJsonObject& body)
{
    if (body.contains(kModel))
        checker.problem(kTemplate + u".model", QStringLiteral("set the model in the top-level 'model' field"));
    if (body.value(QStringLiteral("stream")).toBool())
        checker.problem(kTemplate + u".stream", QStringLiteral("batch requests cannot stream"));
    checkInputField(checker, type.endpoint, body);

    const std::optional<RequestTemplate> compiled = RequestTemplate::compile(body, kTemplate, checker.problems());
    if (!compiled || type.source.isItems())
        return;
    const QStringList fields = BatchSource::resultItemFields();
    for (const Placeholder& placeholder : compiled->placeholders()) {
        if (placeholder.root == Placeholder::Root::ItemField && !fields.contains(placeholder.path.front()))
            checker.problem(placeholder.field,
                            QStringLiteral("%1: an item made from the results of '%2' has only the fields %3")
                                .arg(placeholder.text, type.source.batchType(), fields.join(u", ")));
    }
}

} // namespace

BatchTypeLoadResult BatchTypeLoader::parse(const QByteArray& json, const QString& file)
{
    BatchTypeLoadResult result;
    result.file = file;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.problems.append({file,
                                {},
                                QStringLiteral("not valid JSON at %1: %2")
                                    .arg(positionOf(json, parseError.offset), parseError.errorString())});
        return result;
    }
    if (!document.isObject()) {
        result.problems.append({file, {}, QStringLiteral("must hold one JSON object")});
        return result;
    }
    const QJsonObject object = document.object();
    Checker checker(object, file);

    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!it.key().startsWith(u'_') && !knownFields().contains(it.key()))
            checker.problem(it.key(), QStringLiteral("unknown field (known: %1)").arg(knownFields().join(u", ")));
    }

    BatchType type;
    type.origin = file;
    if (const std::optional<QString> name = checker.string(kName, true)) {
        result.declaredName = *name;
        if (const Status valid = validateBatchTypeName(*name); !valid)
            checker.problem(kName, valid.error().message);
        type.name = *name;
    }
    type.description = checker.string(kDescription, false).value_or(QString());

    bool endpointKnown = false;
    if (const std::optional<QString> path = checker.string(kEndpoint, true)) {
        if (const std::optional<Endpoint> endpoint = endpointFromPath(*path)) {
            type.endpoint = *endpoint;
            endpointKnown = true;
        } else {
            checker.problem(kEndpoint,
                            QStringLiteral("'%1' is not a batch endpoint (use one of %2)")
                                .arg(*path, allEndpointPaths().join(u", ")));
        }
    }
    if (const std::optional<QString> model = checker.string(kModel, true)) {
        if (model->contains(u"{{"))
            checker.problem(kModel, QStringLiteral("must be a model name: one model per batch, no placeholders"));
        type.model = *model;
    }

    if (const std::optional<QString> source = checker.string(kSource, false)) {
        const Result<BatchSource> parsed = BatchSource::parse(*source);
        if (!parsed)
            checker.problem(kSource, parsed.error().message);
        else if (parsed->batchType() == type.name && !type.name.isEmpty())
            checker.problem(kSource, QStringLiteral("a batch type cannot take its own results"));
        else
            type.source = *parsed;
    }

    type.keep = defaultKeepMode(type.endpoint);
    if (const std::optional<QString> keep = checker.string(kKeep, false)) {
        if (const std::optional<KeepMode> mode = keepModeFromName(*keep))
            type.keep = *mode;
        else
            checker.problem(kKeep, QStringLiteral("'%1' is not a keep mode (use raw, text or json)").arg(*keep));
        if (endpointKnown && type.endpoint == Endpoint::Embeddings && type.keep == KeepMode::Text)
            checker.problem(kKeep, QStringLiteral("embeddings have no text: keep \"json\" (the vector) or \"raw\""));
    }

    const QJsonValue templateValue = object.value(kTemplate);
    if (templateValue.isUndefined() || templateValue.isNull()) {
        checker.problem(kTemplate, QStringLiteral("is required: the request body without 'model'"));
    } else if (!templateValue.isObject()) {
        checker.problem(kTemplate, QStringLiteral("must be a JSON object: the request body without 'model'"));
    } else {
        QJsonObject body = templateValue.toObject();
        const QJsonValue responseFormat = object.value(kResponseFormat);
        if (!responseFormat.isUndefined()) {
            if (endpointKnown && type.endpoint != Endpoint::ChatCompletions)
                checker.problem(kResponseFormat,
                                QStringLiteral("only /v1/chat/completions takes response_format (for /v1/responses "
                                               "write text.format in the template)"));
            else if (!responseFormat.isObject() || !responseFormat.toObject().value(QStringLiteral("type")).isString())
                checker.problem(kResponseFormat, QStringLiteral("must be an object with a 'type'"));
            else if (body.contains(kResponseFormat))
                checker.problem(kResponseFormat, QStringLiteral("is also set in the template: keep one"));
            else
                body.insert(kResponseFormat, responseFormat);
        }
        if (endpointKnown)
            checkTemplate(checker, type, body);
        type.requestTemplate = body;
    }

    result.problems = checker.problems();
    for (BatchTypeProblem& problem : result.problems)
        problem.file = file; // RequestTemplate reports fields only
    if (result.problems.isEmpty())
        result.type = std::move(type);
    return result;
}

BatchTypeLoadResult BatchTypeLoader::loadFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        BatchTypeLoadResult result;
        result.file = path;
        result.problems.append({path, {}, QStringLiteral("cannot be read: %1").arg(file.errorString())});
        return result;
    }
    if (file.size() > kMaxFileSize) {
        BatchTypeLoadResult result;
        result.file = path;
        result.problems.append(
            {path,
             {},
             QStringLiteral("is %1 bytes; a batch type definition is at most %2").arg(file.size()).arg(kMaxFileSize)});
        return result;
    }
    return parse(file.readAll(), path);
}

QList<BatchTypeLoadResult> BatchTypeLoader::loadFolder(const QString& folder)
{
    QList<BatchTypeLoadResult> results;
    const QFileInfoList files = QDir(folder).entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QFileInfo& info : files)
        results.append(loadFile(info.filePath()));
    return results;
}

} // namespace batchdeck
