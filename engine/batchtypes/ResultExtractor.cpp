#include "ResultExtractor.h"

#include <algorithm>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace batchdeck {

namespace {

std::optional<qint64> integer(const QJsonObject& object, const QString& field)
{
    const QJsonValue value = object.value(field);
    if (!value.isDouble())
        return std::nullopt;
    return value.toInteger();
}

QJsonObject firstChoice(const QJsonObject& body)
{
    return body.value(QStringLiteral("choices")).toArray().at(0).toObject();
}

// Chat content is a string; some compatible servers send an array of {"type":"text","text":...} parts.
std::optional<QString> chatContent(const QJsonValue& content)
{
    if (content.isString())
        return content.toString();
    if (!content.isArray())
        return std::nullopt;
    QString text;
    bool any = false;
    for (const QJsonValue& part : content.toArray()) {
        const QJsonValue partText = part.toObject().value(QStringLiteral("text"));
        if (partText.isString()) {
            text += partText.toString();
            any = true;
        }
    }
    return any ? std::optional<QString>(text) : std::nullopt;
}

// The responses API: output[] holds messages (and reasoning, tool calls...); a message's content[]
// holds output_text and refusal parts.
void readResponsesOutput(const QJsonObject& body, std::optional<QString>* text, QString* refusal)
{
    for (const QJsonValue& item : body.value(QStringLiteral("output")).toArray()) {
        const QJsonObject output = item.toObject();
        if (output.value(QStringLiteral("type")).toString() != u"message")
            continue;
        for (const QJsonValue& partValue : output.value(QStringLiteral("content")).toArray()) {
            const QJsonObject part = partValue.toObject();
            const QString type = part.value(QStringLiteral("type")).toString();
            if (text && type == u"output_text") {
                *text = text->value_or(QString()) + part.value(QStringLiteral("text")).toString();
            } else if (refusal && type == u"refusal") {
                *refusal += part.value(QStringLiteral("refusal")).toString();
            }
        }
    }
}

QString describeFinish(const QString& finishReason)
{
    return finishReason.isEmpty() ? QString() : QStringLiteral(" (finish reason: %1)").arg(finishReason);
}

} // namespace

std::optional<QString> ResultExtractor::text(Endpoint endpoint, const QJsonObject& body)
{
    switch (endpoint) {
    case Endpoint::ChatCompletions:
        return chatContent(
            firstChoice(body).value(QStringLiteral("message")).toObject().value(QStringLiteral("content")));
    case Endpoint::Completions: {
        const QJsonValue text = firstChoice(body).value(QStringLiteral("text"));
        return text.isString() ? std::optional<QString>(text.toString()) : std::nullopt;
    }
    case Endpoint::Responses: {
        std::optional<QString> text;
        readResponsesOutput(body, &text, nullptr);
        return text;
    }
    case Endpoint::Embeddings:
        return std::nullopt;
    }
    Q_UNREACHABLE();
    return std::nullopt;
}

TokenUsage ResultExtractor::usage(Endpoint endpoint, const QJsonObject& body)
{
    const QJsonObject usage = body.value(QStringLiteral("usage")).toObject();
    TokenUsage tokens;
    if (endpoint == Endpoint::Responses) {
        tokens.input = integer(usage, QStringLiteral("input_tokens"));
        tokens.output = integer(usage, QStringLiteral("output_tokens"));
    } else {
        tokens.input = integer(usage, QStringLiteral("prompt_tokens"));
        tokens.output = integer(usage, QStringLiteral("completion_tokens"));
    }
    tokens.total = integer(usage, QStringLiteral("total_tokens"));
    // Embeddings produce no tokens, and say so by leaving completion_tokens out.
    if (endpoint == Endpoint::Embeddings && !tokens.output && (tokens.input || tokens.total))
        tokens.output = 0;
    if (!tokens.total && tokens.input && tokens.output)
        tokens.total = *tokens.input + *tokens.output;
    return tokens;
}

QJsonValue ResultExtractor::embedding(const QJsonObject& body)
{
    QList<QJsonObject> entries;
    for (const QJsonValue& entry : body.value(QStringLiteral("data")).toArray()) {
        if (entry.toObject().contains(QStringLiteral("embedding")))
            entries.append(entry.toObject());
    }
    if (entries.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    if (entries.size() == 1)
        return entries.front().value(QStringLiteral("embedding"));
    // The API gives each vector its input's index; order by it rather than trusting the array order.
    std::stable_sort(entries.begin(), entries.end(), [](const QJsonObject& a, const QJsonObject& b) {
        return a.value(QStringLiteral("index")).toInteger() < b.value(QStringLiteral("index")).toInteger();
    });
    QJsonArray vectors;
    for (const QJsonObject& entry : entries)
        vectors.append(entry.value(QStringLiteral("embedding")));
    return vectors;
}

Result<QJsonValue> ResultExtractor::parseJsonText(const QString& text)
{
    QStringView view = QStringView(text).trimmed();
    if (view.startsWith(u"```")) {
        const qsizetype firstLineEnd = view.indexOf(u'\n');
        view = firstLineEnd < 0 ? QStringView() : view.sliced(firstLineEnd + 1);
        view = view.trimmed();
        if (view.endsWith(u"```"))
            view = view.chopped(3).trimmed();
    }
    if (view.isEmpty())
        return makeError(ErrorKind::InvalidInput, QStringLiteral("the content is empty"));
    // QJsonDocument reads only objects and arrays at the top; an array around the text lets it read
    // any value, and must then hold exactly one.
    const QByteArray wrapped = '[' + view.toUtf8() + ']';
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(wrapped, &error);
    if (error.error != QJsonParseError::NoError)
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("%1 at offset %2").arg(error.errorString()).arg(qMax(0, error.offset - 1)));
    if (document.array().size() != 1)
        return makeError(ErrorKind::InvalidInput, QStringLiteral("the content holds several JSON values"));
    return document.array().at(0);
}

ExtractedResult ResultExtractor::extract(Endpoint endpoint, KeepMode keep, const QJsonObject& body)
{
    ExtractedResult result;
    result.usage = usage(endpoint, body);
    result.text = text(endpoint, body);
    if (endpoint == Endpoint::Responses) {
        readResponsesOutput(body, nullptr, &result.refusal);
        const QString status = body.value(QStringLiteral("status")).toString();
        const QString incomplete =
            body.value(QStringLiteral("incomplete_details")).toObject().value(QStringLiteral("reason")).toString();
        result.finishReason = incomplete.isEmpty() ? status : incomplete;
    } else if (endpoint != Endpoint::Embeddings) {
        const QJsonObject choice = firstChoice(body);
        result.finishReason = choice.value(QStringLiteral("finish_reason")).toString();
        result.refusal = choice.value(QStringLiteral("message")).toObject().value(QStringLiteral("refusal")).toString();
    }

    if (keep == KeepMode::Raw)
        return result; // the body is what is kept; nothing in it can be missing

    if (endpoint == Endpoint::Embeddings) {
        if (keep == KeepMode::Json) {
            result.parsed = embedding(body);
            if (result.parsed.isUndefined()) {
                result.problemCode = QStringLiteral("no_embedding");
                result.problemMessage = QStringLiteral("the response holds no data[].embedding");
            }
        } else {
            result.problemCode = QStringLiteral("no_text");
            result.problemMessage = QStringLiteral("an embeddings response has no text");
        }
        return result;
    }

    if (!result.text) {
        if (!result.refusal.isEmpty()) {
            result.problemCode = QStringLiteral("refusal");
            result.problemMessage = QStringLiteral("the model refused: %1").arg(result.refusal);
        } else {
            result.problemCode = QStringLiteral("no_text");
            result.problemMessage =
                QStringLiteral("the response has no text%1").arg(describeFinish(result.finishReason));
        }
        return result;
    }

    if (keep == KeepMode::Json) {
        const Result<QJsonValue> parsed = parseJsonText(*result.text);
        if (parsed) {
            result.parsed = *parsed;
        } else {
            result.problemCode = QStringLiteral("not_json");
            result.problemMessage = QStringLiteral("the content is not JSON: %1%2")
                                        .arg(parsed.error().message, describeFinish(result.finishReason));
        }
    }
    return result;
}

} // namespace batchdeck
