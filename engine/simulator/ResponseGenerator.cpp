#include "ResponseGenerator.h"

#include <cmath>
#include <random>

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtEndian>

#include "simulator/ApiError.h"
#include "simulator/Ids.h"
#include "simulator/JsonSchemaSample.h"

namespace batchdeck::sim {

using namespace Qt::StringLiterals;

namespace {

constexpr int kExcerptChars = 80;
const QByteArray kFailMarker = "[[sim:fail:";
// A 1x1 PNG: image endpoints answer with a real, tiny picture.
constexpr auto kTinyPng =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

QByteArray digestOf(const QByteArray& text)
{
    return QCryptographicHash::hash(text, QCryptographicHash::Sha256);
}

quint64 numberFrom(const QByteArray& digest)
{
    return qFromLittleEndian<quint64>(digest.constData());
}

QString textOf(const QJsonValue& content)
{
    if (content.isString())
        return content.toString();
    QStringList parts;
    for (const QJsonValue& part : content.toArray()) {
        if (part.isString())
            parts.append(part.toString());
        else if (part.toObject().value(u"text").isString())
            parts.append(part.toObject().value(u"text").toString());
        else if (part.toObject().contains(u"content"))
            parts.append(textOf(part.toObject().value(u"content")));
    }
    return parts.join(u' ');
}

// The last user turn of chat messages or of a Responses `input` item list.
QString lastUserText(const QJsonValue& messages)
{
    if (messages.isString())
        return messages.toString();
    const QJsonArray array = messages.toArray();
    for (qsizetype i = array.size() - 1; i >= 0; --i) {
        const QJsonObject message = array.at(i).toObject();
        if (message.value(u"role").toString(u"user"_s) == u"user")
            return textOf(message.value(u"content"));
    }
    return array.isEmpty() ? QString() : textOf(array.last().toObject().value(u"content"));
}

QString allText(const QJsonValue& messages)
{
    if (messages.isString())
        return messages.toString();
    QStringList parts;
    for (const QJsonValue& message : messages.toArray())
        parts.append(message.isString() ? message.toString() : textOf(message.toObject().value(u"content")));
    return parts.join(u'\n');
}

QString excerpt(const QString& text)
{
    const QString simple = text.simplified();
    return simple.size() <= kExcerptChars ? simple : simple.first(kExcerptChars) + u"..."_s;
}

qint64 tokensOf(const QString& text)
{
    return qMax<qint64>(1, estimateTokens(text.size()));
}

bool isReasoningModel(const QString& model)
{
    return model.startsWith(u"o1") || model.startsWith(u"o3") || model.startsWith(u"o4") || model.startsWith(u"gpt-5");
}

qint64 reasoningTokensFor(const QString& model, const QByteArray& seed)
{
    return isReasoningModel(model) ? 64 + qint64(numberFrom(seed) % 448) : 0;
}

// The answer text: JSON matching the requested schema in structured-output mode, prose otherwise.
QString answerText(const QJsonObject& format, const QString& prompt)
{
    const QString type = format.value(u"type").toString();
    if (type == u"json_schema") {
        const QJsonObject schema = format.contains(u"json_schema")
                                       ? format.value(u"json_schema").toObject().value(u"schema").toObject()
                                       : format.value(u"schema").toObject();
        const QJsonValue sample = sampleForSchema(schema, excerpt(prompt));
        return QString::fromUtf8(sample.isObject() ? QJsonDocument(sample.toObject()).toJson(QJsonDocument::Compact)
                                                   : QJsonDocument(QJsonArray{sample}).toJson(QJsonDocument::Compact));
    }
    if (type == u"json_object")
        return QString::fromUtf8(
            QJsonDocument(QJsonObject{{u"answer"_s, u"Simulated answer to: %1"_s.arg(excerpt(prompt))}})
                .toJson(QJsonDocument::Compact));
    return u"Simulated answer to: %1"_s.arg(excerpt(prompt));
}

QJsonObject failureBody(int status)
{
    QString type = errorTypeForStatus(status);
    QJsonValue code;
    if (status == 401)
        code = u"invalid_api_key"_s;
    else if (status == 429) {
        type = u"requests"_s;
        code = u"rate_limit_exceeded"_s;
    } else if (status == 408)
        type = u"timeout"_s;
    return errorEnvelope(u"Simulated failure (HTTP %1) requested by the [[sim:fail:%1]] marker."_s.arg(status),
                         type,
                         QJsonValue(),
                         code);
}

QJsonObject missingParameter(const QString& name)
{
    return errorEnvelope(u"Missing required parameter: '%1'."_s.arg(name),
                         u"invalid_request_error"_s,
                         name,
                         u"missing_required_parameter"_s);
}

// What each endpoint cannot do without; absent, the real endpoint answers 400 for that line.
QString missingField(const QString& endpoint, const QJsonObject& body)
{
    if (endpoint == u"/v1/chat/completions")
        return body.value(u"messages").isArray() ? QString() : u"messages"_s;
    if (endpoint == u"/v1/embeddings" || endpoint == u"/v1/moderations" || endpoint == u"/v1/responses")
        return body.contains(u"input") ? QString() : u"input"_s;
    if (endpoint == u"/v1/completions" || endpoint.startsWith(u"/v1/images/") || endpoint == u"/v1/videos")
        return body.contains(u"prompt") ? QString() : u"prompt"_s;
    return {};
}

QJsonArray embeddingVector(const QString& text, int dimensions)
{
    std::mt19937_64 random(numberFrom(digestOf(text.toUtf8())));
    std::vector<double> values(dimensions);
    double norm = 0;
    for (double& value : values) {
        value = double(random() >> 11) * 0x1.0p-53 * 2.0 - 1.0;
        norm += value * value;
    }
    norm = std::sqrt(norm);
    QJsonArray vector;
    for (double value : values)
        vector.append(std::round(value / norm * 1e7) / 1e7);
    return vector;
}

QString base64Floats(const QJsonArray& vector)
{
    QByteArray bytes(vector.size() * 4, Qt::Uninitialized);
    for (qsizetype i = 0; i < vector.size(); ++i)
        qToLittleEndian<float>(float(vector.at(i).toDouble()), bytes.data() + i * 4);
    return QString::fromLatin1(bytes.toBase64());
}

} // namespace

void LineUsage::add(const LineUsage& other)
{
    inputTokens += other.inputTokens;
    cachedTokens += other.cachedTokens;
    outputTokens += other.outputTokens;
    reasoningTokens += other.reasoningTokens;
}

QJsonObject LineUsage::toBatchUsageJson() const
{
    return QJsonObject{{u"input_tokens"_s, inputTokens},
                       {u"input_tokens_details"_s, QJsonObject{{u"cached_tokens"_s, cachedTokens}}},
                       {u"output_tokens"_s, outputTokens},
                       {u"output_tokens_details"_s, QJsonObject{{u"reasoning_tokens"_s, reasoningTokens}}},
                       {u"total_tokens"_s, inputTokens + outputTokens}};
}

LineUsage LineUsage::fromResponseBody(const QJsonObject& body)
{
    const QJsonObject usage = body.value(u"usage").toObject();
    LineUsage result;
    if (usage.contains(u"input_tokens")) {
        result.inputTokens = usage.value(u"input_tokens").toInteger();
        result.outputTokens = usage.value(u"output_tokens").toInteger();
        result.cachedTokens = usage.value(u"input_tokens_details").toObject().value(u"cached_tokens").toInteger();
        result.reasoningTokens =
            usage.value(u"output_tokens_details").toObject().value(u"reasoning_tokens").toInteger();
    } else {
        result.inputTokens = usage.value(u"prompt_tokens").toInteger();
        result.outputTokens = usage.value(u"completion_tokens").toInteger();
        result.cachedTokens = usage.value(u"prompt_tokens_details").toObject().value(u"cached_tokens").toInteger();
        result.reasoningTokens =
            usage.value(u"completion_tokens_details").toObject().value(u"reasoning_tokens").toInteger();
    }
    return result;
}

ResponseGenerator::ResponseGenerator(QString batchId, QString endpoint, QString model, qint64 createdSeconds)
    : m_batchId(std::move(batchId))
    , m_endpoint(std::move(endpoint))
    , m_model(std::move(model))
    , m_created(createdSeconds)
{}

std::optional<int> ResponseGenerator::failureMarker(QByteArrayView compactBody)
{
    const qsizetype start = compactBody.indexOf(kFailMarker);
    if (start < 0)
        return std::nullopt;
    const qsizetype digits = start + kFailMarker.size();
    const qsizetype end = compactBody.indexOf("]]", digits);
    bool ok = false;
    const int status = end < 0 ? 0 : compactBody.sliced(digits, end - digits).toInt(&ok);
    if (!ok || status < 400 || status > 599)
        return std::nullopt;
    return status;
}

GeneratedLine ResponseGenerator::generate(const InputRequest& request) const
{
    GeneratedLine line;
    QJsonObject responseBody;
    if (const std::optional<int> status = failureMarker(request.compactBody)) {
        line.statusCode = *status;
        responseBody = failureBody(*status);
    } else if (const QString missing = missingField(m_endpoint, request.body); !missing.isEmpty()) {
        line.statusCode = 400;
        responseBody = missingParameter(missing);
    } else {
        // Seeded by the request alone, so equal requests get equal answers in any batch.
        const QByteArray seed = digestOf(m_endpoint.toUtf8() + request.compactBody);
        if (m_endpoint == u"/v1/chat/completions")
            responseBody = chatCompletion(request.body, seed);
        else if (m_endpoint == u"/v1/responses")
            responseBody = responseObject(request.body, seed);
        else if (m_endpoint == u"/v1/embeddings")
            responseBody = embeddingList(request.body);
        else if (m_endpoint == u"/v1/completions")
            responseBody = textCompletion(request.body, seed);
        else if (m_endpoint == u"/v1/moderations")
            responseBody = moderation(request.body, seed);
        else if (m_endpoint == u"/v1/videos")
            responseBody = videoJob(request.body, seed);
        else
            responseBody = imageResult(request.body);
        line.usage = LineUsage::fromResponseBody(responseBody);
    }
    line.json = QJsonDocument(wrap(request.customId, line.statusCode, responseBody)).toJson(QJsonDocument::Compact);
    return line;
}

QByteArray ResponseGenerator::unexecutedLine(const QString& customId, const QString& code, const QString& message) const
{
    const QJsonObject line{{u"id"_s, derivedHexId(u"batch_req_", (m_batchId + customId).toUtf8(), 32)},
                           {u"custom_id"_s, customId},
                           {u"response"_s, QJsonValue()},
                           {u"error"_s, QJsonObject{{u"code"_s, code}, {u"message"_s, message}}}};
    return QJsonDocument(line).toJson(QJsonDocument::Compact);
}

QJsonObject ResponseGenerator::wrap(const QString& customId, int status, const QJsonObject& body) const
{
    const QByteArray seed = (m_batchId + customId).toUtf8();
    return QJsonObject{{u"id"_s, derivedHexId(u"batch_req_", seed, 32)},
                       {u"custom_id"_s, customId},
                       {u"response"_s,
                        QJsonObject{{u"status_code"_s, status},
                                    {u"request_id"_s, derivedHexId(u"req_", seed + "/request", 32)},
                                    {u"body"_s, body}}},
                       {u"error"_s, QJsonValue()}};
}

QJsonObject ResponseGenerator::chatCompletion(const QJsonObject& body, const QByteArray& seed) const
{
    const QJsonValue messages = body.value(u"messages");
    const QString prompt = lastUserText(messages);
    const qint64 promptTokens = tokensOf(allText(messages)) + 3 * messages.toArray().size();
    const qint64 reasoning = reasoningTokensFor(m_model, seed);
    const qint64 maxTokens = body.value(u"max_completion_tokens").toInteger(body.value(u"max_tokens").toInteger(0));
    const QJsonArray tools = body.value(u"tools").toArray();
    const QJsonValue toolChoice = body.value(u"tool_choice");

    QJsonArray choices;
    qint64 completionTokens = 0;
    const int n = qMax(1, body.value(u"n").toInt(1));
    for (int i = 0; i < n; ++i) {
        QJsonObject message{
            {u"role"_s, u"assistant"_s}, {u"refusal"_s, QJsonValue()}, {u"annotations"_s, QJsonArray()}};
        QString finishReason = u"stop"_s;
        QString forcedTool = toolChoice.toObject().value(u"function").toObject().value(u"name").toString();
        if (forcedTool.isEmpty() && toolChoice.toString() == u"required" && !tools.isEmpty())
            forcedTool = tools.first().toObject().value(u"function").toObject().value(u"name").toString();
        if (!forcedTool.isEmpty()) {
            QJsonObject parameters;
            for (const QJsonValue& tool : tools) {
                const QJsonObject function = tool.toObject().value(u"function").toObject();
                if (function.value(u"name").toString() == forcedTool)
                    parameters = function.value(u"parameters").toObject();
            }
            const QString arguments = QString::fromUtf8(
                QJsonDocument(sampleForSchema(parameters, excerpt(prompt)).toObject()).toJson(QJsonDocument::Compact));
            message.insert(u"content"_s, QJsonValue());
            message.insert(u"tool_calls"_s,
                           QJsonArray{QJsonObject{
                               {u"id"_s, derivedBase62Id(u"call_", seed + QByteArray::number(i), 24)},
                               {u"type"_s, u"function"_s},
                               {u"function"_s, QJsonObject{{u"name"_s, forcedTool}, {u"arguments"_s, arguments}}}}});
            finishReason = u"tool_calls"_s;
            completionTokens += tokensOf(arguments);
        } else {
            QString content = answerText(body.value(u"response_format").toObject(), prompt);
            if (i > 0)
                content += u" (choice %1)"_s.arg(i + 1);
            qint64 tokens = tokensOf(content);
            if (maxTokens > 0 && tokens + reasoning > maxTokens) {
                tokens = qMax<qint64>(0, maxTokens - reasoning);
                content.truncate(tokens * 4);
                finishReason = u"length"_s;
            }
            message.insert(u"content"_s, content);
            completionTokens += tokens;
        }
        choices.append(QJsonObject{{u"index"_s, i},
                                   {u"message"_s, message},
                                   {u"logprobs"_s, QJsonValue()},
                                   {u"finish_reason"_s, finishReason}});
    }
    completionTokens += reasoning;
    return QJsonObject{
        {u"id"_s, derivedBase62Id(u"chatcmpl-", seed + m_batchId.toUtf8(), 29)},
        {u"object"_s, u"chat.completion"_s},
        {u"created"_s, m_created},
        {u"model"_s, m_model},
        {u"choices"_s, choices},
        {u"usage"_s,
         QJsonObject{{u"prompt_tokens"_s, promptTokens},
                     {u"completion_tokens"_s, completionTokens},
                     {u"total_tokens"_s, promptTokens + completionTokens},
                     {u"prompt_tokens_details"_s, QJsonObject{{u"cached_tokens"_s, 0}, {u"audio_tokens"_s, 0}}},
                     {u"completion_tokens_details"_s,
                      QJsonObject{{u"reasoning_tokens"_s, reasoning},
                                  {u"audio_tokens"_s, 0},
                                  {u"accepted_prediction_tokens"_s, 0},
                                  {u"rejected_prediction_tokens"_s, 0}}}}},
        {u"service_tier"_s, u"default"_s},
        {u"system_fingerprint"_s, derivedHexId(u"fp_", m_model.toUtf8(), 10)}};
}

QJsonObject ResponseGenerator::responseObject(const QJsonObject& body, const QByteArray& seed) const
{
    const QJsonValue input = body.value(u"input");
    const QString prompt = lastUserText(input);
    const QJsonObject textFormat = body.value(u"text").toObject().value(u"format").toObject();
    QString text = answerText(textFormat, prompt);
    const qint64 inputTokens = tokensOf(body.value(u"instructions").toString() + allText(input));
    const qint64 reasoning = reasoningTokensFor(m_model, seed);
    qint64 outputTokens = tokensOf(text);
    const qint64 maxOutput = body.value(u"max_output_tokens").toInteger(0);
    QString status = u"completed"_s;
    QJsonValue incomplete;
    if (maxOutput > 0 && outputTokens + reasoning > maxOutput) {
        outputTokens = qMax<qint64>(0, maxOutput - reasoning);
        text.truncate(outputTokens * 4);
        status = u"incomplete"_s;
        incomplete = QJsonObject{{u"reason"_s, u"max_output_tokens"_s}};
    }
    outputTokens += reasoning;
    const QJsonObject message{{u"id"_s, derivedHexId(u"msg_", seed + m_batchId.toUtf8() + "/msg", 48)},
                              {u"type"_s, u"message"_s},
                              {u"status"_s, status},
                              {u"role"_s, u"assistant"_s},
                              {u"content"_s,
                               QJsonArray{QJsonObject{{u"type"_s, u"output_text"_s},
                                                      {u"text"_s, text},
                                                      {u"annotations"_s, QJsonArray()},
                                                      {u"logprobs"_s, QJsonArray()}}}}};
    return QJsonObject{
        {u"id"_s, derivedHexId(u"resp_", seed + m_batchId.toUtf8(), 48)},
        {u"object"_s, u"response"_s},
        {u"created_at"_s, m_created},
        {u"status"_s, status},
        {u"background"_s, false},
        {u"error"_s, QJsonValue()},
        {u"incomplete_details"_s, incomplete},
        {u"instructions"_s, body.value(u"instructions").isString() ? body.value(u"instructions") : QJsonValue()},
        {u"max_output_tokens"_s, maxOutput > 0 ? QJsonValue(maxOutput) : QJsonValue()},
        {u"model"_s, m_model},
        {u"output"_s, QJsonArray{message}},
        {u"parallel_tool_calls"_s, true},
        {u"previous_response_id"_s, QJsonValue()},
        {u"reasoning"_s, QJsonObject{{u"effort"_s, QJsonValue()}, {u"summary"_s, QJsonValue()}}},
        {u"store"_s, true},
        {u"temperature"_s, body.value(u"temperature").toDouble(1.0)},
        {u"text"_s,
         QJsonObject{{u"format"_s, textFormat.isEmpty() ? QJsonObject{{u"type"_s, u"text"_s}} : textFormat}}},
        {u"tool_choice"_s, u"auto"_s},
        {u"tools"_s, QJsonArray()},
        {u"top_p"_s, body.value(u"top_p").toDouble(1.0)},
        {u"truncation"_s, u"disabled"_s},
        {u"usage"_s,
         QJsonObject{{u"input_tokens"_s, inputTokens},
                     {u"input_tokens_details"_s, QJsonObject{{u"cached_tokens"_s, 0}}},
                     {u"output_tokens"_s, outputTokens},
                     {u"output_tokens_details"_s, QJsonObject{{u"reasoning_tokens"_s, reasoning}}},
                     {u"total_tokens"_s, inputTokens + outputTokens}}},
        {u"user"_s, QJsonValue()},
        {u"metadata"_s, body.value(u"metadata").toObject()}};
}

QJsonObject ResponseGenerator::embeddingList(const QJsonObject& body) const
{
    const QJsonValue input = body.value(u"input");
    QStringList texts;
    if (input.isString()) {
        texts.append(input.toString());
    } else if (!input.toArray().isEmpty() && input.toArray().first().isDouble()) {
        texts.append(QString::fromUtf8(QJsonDocument(input.toArray()).toJson(QJsonDocument::Compact)));
    } else {
        for (const QJsonValue& item : input.toArray())
            texts.append(item.isString()
                             ? item.toString()
                             : QString::fromUtf8(QJsonDocument(item.toArray()).toJson(QJsonDocument::Compact)));
    }
    const int defaultDimensions = m_model.contains(u"3-large") ? 3072 : 1536;
    const int dimensions = qBound(1, body.value(u"dimensions").toInt(defaultDimensions), 3072);
    const bool base64 = body.value(u"encoding_format").toString() == u"base64";
    QJsonArray data;
    qint64 tokens = 0;
    for (qsizetype i = 0; i < texts.size(); ++i) {
        const QJsonArray vector = embeddingVector(texts.at(i), dimensions);
        data.append(QJsonObject{{u"object"_s, u"embedding"_s},
                                {u"index"_s, i},
                                {u"embedding"_s, base64 ? QJsonValue(base64Floats(vector)) : QJsonValue(vector)}});
        tokens += tokensOf(texts.at(i));
    }
    return QJsonObject{{u"object"_s, u"list"_s},
                       {u"data"_s, data},
                       {u"model"_s, m_model},
                       {u"usage"_s, QJsonObject{{u"prompt_tokens"_s, tokens}, {u"total_tokens"_s, tokens}}}};
}

QJsonObject ResponseGenerator::textCompletion(const QJsonObject& body, const QByteArray& seed) const
{
    const QJsonValue promptValue = body.value(u"prompt");
    const QString prompt = promptValue.isArray() ? textOf(promptValue) : promptValue.toString();
    QString text = u" Simulated completion of: %1"_s.arg(excerpt(prompt));
    // The legacy endpoint stops at 16 tokens unless max_tokens says otherwise.
    const qint64 maxTokens = body.value(u"max_tokens").toInteger(16);
    qint64 tokens = tokensOf(text);
    QString finishReason = u"stop"_s;
    if (maxTokens > 0 && tokens > maxTokens) {
        tokens = maxTokens;
        text.truncate(maxTokens * 4);
        finishReason = u"length"_s;
    }
    const qint64 promptTokens = tokensOf(prompt);
    return QJsonObject{
        {u"id"_s, derivedBase62Id(u"cmpl-", seed + m_batchId.toUtf8(), 29)},
        {u"object"_s, u"text_completion"_s},
        {u"created"_s, m_created},
        {u"model"_s, m_model},
        {u"choices"_s,
         QJsonArray{QJsonObject{
             {u"text"_s, text}, {u"index"_s, 0}, {u"logprobs"_s, QJsonValue()}, {u"finish_reason"_s, finishReason}}}},
        {u"usage"_s,
         QJsonObject{{u"prompt_tokens"_s, promptTokens},
                     {u"completion_tokens"_s, tokens},
                     {u"total_tokens"_s, promptTokens + tokens}}}};
}

QJsonObject ResponseGenerator::moderation(const QJsonObject& body, const QByteArray& seed) const
{
    static const char* const categories[] = {"harassment",
                                             "harassment/threatening",
                                             "hate",
                                             "hate/threatening",
                                             "self-harm",
                                             "self-harm/instructions",
                                             "self-harm/intent",
                                             "sexual",
                                             "sexual/minors",
                                             "violence",
                                             "violence/graphic"};
    const QJsonValue input = body.value(u"input");
    const qsizetype count = input.isArray() ? qMax<qsizetype>(1, input.toArray().size()) : 1;
    QJsonArray results;
    for (qsizetype i = 0; i < count; ++i) {
        QJsonObject flags;
        QJsonObject scores;
        int index = 0;
        for (const char* category : categories) {
            const QString name = QString::fromLatin1(category);
            flags.insert(name, false);
            scores.insert(name, double(static_cast<unsigned char>(seed.at((index++ + i) % seed.size()))) / 1e6);
        }
        results.append(QJsonObject{{u"flagged"_s, false}, {u"categories"_s, flags}, {u"category_scores"_s, scores}});
    }
    return QJsonObject{{u"id"_s, derivedBase62Id(u"modr-", seed + m_batchId.toUtf8(), 29)},
                       {u"model"_s, m_model},
                       {u"results"_s, results}};
}

QJsonObject ResponseGenerator::imageResult(const QJsonObject& body) const
{
    const int count = qMax(1, body.value(u"n").toInt(1));
    QJsonArray data;
    for (int i = 0; i < count; ++i)
        data.append(QJsonObject{{u"b64_json"_s, QString::fromLatin1(kTinyPng)}});
    const qint64 inputTokens = tokensOf(body.value(u"prompt").toString());
    return QJsonObject{{u"created"_s, m_created},
                       {u"data"_s, data},
                       {u"usage"_s,
                        QJsonObject{{u"input_tokens"_s, inputTokens},
                                    {u"output_tokens"_s, 272 * count},
                                    {u"total_tokens"_s, inputTokens + 272 * count},
                                    {u"input_tokens_details"_s,
                                     QJsonObject{{u"text_tokens"_s, inputTokens}, {u"image_tokens"_s, 0}}}}}};
}

QJsonObject ResponseGenerator::videoJob(const QJsonObject& body, const QByteArray& seed) const
{
    return QJsonObject{{u"id"_s, derivedHexId(u"video_", seed + m_batchId.toUtf8(), 32)},
                       {u"object"_s, u"video"_s},
                       {u"created_at"_s, m_created},
                       {u"status"_s, u"queued"_s},
                       {u"model"_s, m_model},
                       {u"progress"_s, 0},
                       {u"seconds"_s, body.value(u"seconds").toString(u"4"_s)},
                       {u"size"_s, body.value(u"size").toString(u"720x1280"_s)}};
}

QString resolvedModel(const QString& model)
{
    static const QHash<QString, QString> snapshots{{u"gpt-4o"_s, u"gpt-4o-2024-08-06"_s},
                                                   {u"gpt-4o-mini"_s, u"gpt-4o-mini-2024-07-18"_s},
                                                   {u"gpt-4.1"_s, u"gpt-4.1-2025-04-14"_s},
                                                   {u"gpt-4.1-mini"_s, u"gpt-4.1-mini-2025-04-14"_s},
                                                   {u"gpt-4.1-nano"_s, u"gpt-4.1-nano-2025-04-14"_s},
                                                   {u"o3-mini"_s, u"o3-mini-2025-01-31"_s},
                                                   {u"o4-mini"_s, u"o4-mini-2025-04-16"_s}};
    return snapshots.value(model, model);
}

} // namespace batchdeck::sim
