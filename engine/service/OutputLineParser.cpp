#include "OutputLineParser.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include "batchtypes/ResultExtractor.h"
#include "core/Json.h"
#include "service/OutputLineFastPath.h"

namespace batchdeck {

namespace {

BatchResult malformed(qint64 lineNumber, const OutputLineContext& context, const QString& customId, const QString& why)
{
    BatchResult result;
    // A line without a readable custom_id still needs a unique key, so it is kept by file and line.
    result.customId =
        customId.isEmpty() ? QStringLiteral("_line:%1:%2").arg(context.fileLabel).arg(lineNumber) : customId;
    result.ok = false;
    result.errorCode = QStringLiteral("malformed_line");
    result.errorMessage = QStringLiteral("%1 file line %2: %3").arg(context.fileLabel).arg(lineNumber).arg(why);
    result.lineNumber = lineNumber;
    result.attempt = context.attempt;
    return result;
}

void setUsage(BatchResult& result, const TokenUsage& usage)
{
    result.inputTokens = usage.input.value_or(0);
    result.outputTokens = usage.output.value_or(0);
    result.totalTokens = usage.total.value_or(result.inputTokens + result.outputTokens);
}

} // namespace

BatchResult parseOutputLine(QByteArrayView line, qint64 lineNumber, const OutputLineContext& context)
{
    if (std::optional<BatchResult> fast = parseOutputLineFast(line, lineNumber, context))
        return std::move(*fast);
    return parseOutputLineWithQt(line, lineNumber, context);
}

BatchResult parseOutputLineWithQt(QByteArrayView line, qint64 lineNumber, const OutputLineContext& context)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return malformed(lineNumber, context, {}, QStringLiteral("invalid JSON (%1)").arg(parseError.errorString()));
    if (!document.isObject())
        return malformed(lineNumber, context, {}, QStringLiteral("not a JSON object"));
    const QJsonObject object = document.object();
    const QJsonValue customIdValue = object.value(QStringLiteral("custom_id"));
    if (!customIdValue.isString() || customIdValue.toString().isEmpty())
        return malformed(lineNumber, context, {}, QStringLiteral("no custom_id"));

    BatchResult result;
    result.customId = customIdValue.toString();
    result.lineNumber = lineNumber;
    result.attempt = context.attempt;

    const QJsonValue responseValue = object.value(QStringLiteral("response"));
    if (responseValue.isObject()) {
        const QJsonObject response = responseValue.toObject();
        result.statusCode = response.value(QStringLiteral("status_code")).toInt();
        const QJsonObject body = response.value(QStringLiteral("body")).toObject();
        if (result.statusCode == 200) {
            const ExtractedResult extracted = ResultExtractor::extract(context.endpoint, context.keep, body);
            setUsage(result, extracted.usage);
            if (context.keep == KeepMode::Raw)
                result.content = QString::fromUtf8(json::compact(body));
            else if (extracted.text)
                result.content = *extracted.text;
            if (context.keep == KeepMode::Json || context.endpoint == Endpoint::Embeddings)
                result.parsedJson = QString::fromUtf8(json::valueText(extracted.parsed));
            result.ok = extracted.ok();
            result.errorCode = extracted.problemCode;
            result.errorMessage = extracted.problemMessage;
            return result;
        }
        // The request reached the model's endpoint and was refused: the error body says why.
        const QJsonObject error = body.value(QStringLiteral("error")).toObject();
        result.ok = false;
        result.errorCode = error.value(QStringLiteral("code")).toString();
        if (result.errorCode.isEmpty())
            result.errorCode = error.value(QStringLiteral("type")).toString();
        if (result.errorCode.isEmpty())
            result.errorCode = QStringLiteral("http_%1").arg(result.statusCode);
        result.errorMessage = error.value(QStringLiteral("message")).toString();
        if (result.errorMessage.isEmpty())
            result.errorMessage = QStringLiteral("the provider answered HTTP %1").arg(result.statusCode);
        return result;
    }
    const QJsonObject error = object.value(QStringLiteral("error")).toObject();
    if (!error.isEmpty()) {
        // Never executed (expired, cancelled) or failed outside HTTP.
        result.ok = false;
        result.errorCode = error.value(QStringLiteral("code")).toString(QStringLiteral("unknown_error"));
        result.errorMessage = error.value(QStringLiteral("message")).toString();
        return result;
    }
    return malformed(lineNumber, context, result.customId, QStringLiteral("neither a response nor an error"));
}

} // namespace batchdeck
