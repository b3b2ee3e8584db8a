#include "RequestRenderer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QStringList>

#include "core/Json.h"

namespace batchdeck {

namespace {

const QString kModel = QStringLiteral("model");

// A string as JSON text, quoted and escaped by QJsonDocument like everything else we write.
QByteArray jsonString(const QString& text)
{
    // Keys are mostly printable ASCII without quotes or backslashes, which QJsonDocument writes as it
    // is; taking that case here halves the cost of a spliced line. Anything else goes through Qt.
    QByteArray plain(text.size() + 2, Qt::Uninitialized);
    char* out = plain.data();
    *out++ = '"';
    bool isPlain = true;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u > 0x7e || u == u'"' || u == u'\\') {
            isPlain = false;
            break;
        }
        *out++ = char(u);
    }
    if (isPlain) {
        *out = '"';
        return plain;
    }
    const QByteArray array = json::compact(QJsonArray{text});
    return array.sliced(1, array.size() - 2);
}

} // namespace

RequestRenderer::RequestRenderer(const BatchType& type, const RunContext& run, RequestTemplate compiled)
    : m_type(type)
    , m_run(run)
    , m_template(std::move(compiled))
    , m_linePrefix(QByteArrayLiteral("{\"custom_id\":"))
    , m_lineMiddle(QByteArrayLiteral(",\"method\":\"POST\",\"url\":") + jsonString(endpointPath(type.endpoint)) +
                   QByteArrayLiteral(",\"body\":"))
    , m_splicer(RequestLineSplicer::create(m_template, run.runId, run.params))
{}

Result<RequestRenderer> RequestRenderer::create(const BatchType& type, const RunContext& run)
{
    if (type.model.trimmed().isEmpty() || type.model.contains(u"{{"))
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("batch type '%1' needs a model name, without placeholders").arg(type.name));
    // The model joins the template as one more constant, so that it costs nothing per line.
    QJsonObject body = type.requestTemplate;
    body.insert(kModel, type.model);
    QList<BatchTypeProblem> problems;
    std::optional<RequestTemplate> compiled = RequestTemplate::compile(body, QStringLiteral("template"), problems);
    if (!compiled) {
        QStringList messages;
        for (BatchTypeProblem& problem : problems) {
            problem.file = type.origin.isEmpty() ? type.name : type.origin;
            messages.append(problem.toString());
        }
        return makeError(ErrorKind::InvalidInput, messages.join(u"; "));
    }
    if (const Status runOk = compiled->checkRun(run.runId, run.params); !runOk)
        return makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("run '%1' cannot use batch type '%2': %3").arg(run.runId, type.name, runOk.error().message));
    return RequestRenderer(type, run, std::move(*compiled));
}

Result<QJsonObject> RequestRenderer::renderBody(const QString& key, const QJsonObject& payload) const
{
    if (key.isEmpty())
        return makeError(ErrorKind::InvalidInput, QStringLiteral("an item key (custom_id) must not be empty"));
    const RenderScope scope{key, payload, m_run.runId, m_run.params};
    return m_template.render(scope);
}

Result<QByteArray> RequestRenderer::renderLine(const QString& key, const QJsonObject& payload) const
{
    const Result<QJsonObject> body = renderBody(key, payload);
    if (!body)
        return body.error();
    // The envelope is the same on every line but for the key: writing it around the body saves
    // building and writing a second object per line (a third of the time). Every string in it is
    // still escaped by QJsonDocument.
    const QByteArray bodyJson = json::compact(*body);
    const QByteArray keyJson = jsonString(key);
    QByteArray line;
    line.reserve(m_linePrefix.size() + keyJson.size() + m_lineMiddle.size() + bodyJson.size() + 1);
    line += m_linePrefix;
    line += keyJson;
    line += m_lineMiddle;
    line += bodyJson;
    line += '}';
    return line;
}

Result<QByteArray> RequestRenderer::renderLine(const QString& key, const QByteArray& payloadJson) const
{
    if (m_splicer && !key.isEmpty()) {
        const QByteArray keyJson = jsonString(key);
        QByteArray line;
        line.reserve(m_linePrefix.size() + keyJson.size() + m_lineMiddle.size() + payloadJson.size() + 256);
        line += m_linePrefix;
        line += keyJson;
        line += m_lineMiddle;
        if (m_splicer->appendBody(payloadJson, QByteArrayView(keyJson).sliced(1, keyJson.size() - 2), &line)) {
            line += '}';
            return line;
        }
    }
    return renderLineWithQt(key, payloadJson);
}

Result<QByteArray> RequestRenderer::renderLineWithQt(const QString& key, const QByteArray& payloadJson) const
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(payloadJson, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("item '%1': the payload is not a JSON object%2")
                .arg(key,
                     parseError.error != QJsonParseError::NoError
                         ? QStringLiteral(" (%1 at offset %2)").arg(parseError.errorString()).arg(parseError.offset)
                         : QString()));
    return renderLine(key, document.object());
}

} // namespace batchdeck
