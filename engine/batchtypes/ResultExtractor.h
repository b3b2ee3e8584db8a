#pragma once

#include <optional>

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include "batchtypes/Endpoint.h"
#include "batchtypes/KeepMode.h"
#include "core/Result.h"

namespace batchdeck {

// Token counts of one response; absent when the provider did not report them.
struct TokenUsage
{
    std::optional<qint64> input;  // prompt_tokens (chat, completions, embeddings) or input_tokens (responses)
    std::optional<qint64> output; // completion_tokens or output_tokens; 0 for embeddings
    std::optional<qint64> total;
};

// What one successful response body (an output line's response.body) gives under a keep mode.
struct ExtractedResult
{
    std::optional<QString> text; // the generated text; none for embeddings or when the model gave none
    QJsonValue parsed =
        QJsonValue(QJsonValue::Undefined); // keep "json": the text as JSON, or the embedding; otherwise undefined
    TokenUsage usage;
    QString finishReason; // chat/completions finish_reason; responses: status, or the incomplete reason
    QString refusal;      // the model's refusal, when it refused

    // Why the result cannot be kept as the batch type asks; empty when it can. The codes are stable
    // (they are stored as a result's error_code): "no_text", "refusal", "not_json", "no_embedding".
    QString problemCode;
    QString problemMessage;

    bool ok() const { return problemCode.isEmpty(); }
};

// Reads response bodies of the supported endpoints. Pure functions of their arguments, cheap enough
// to run per line on QtConcurrent workers.
//   chat:        choices[0].message.content (a string, or text parts joined); refusal from .refusal
//   responses:   every output[] message's output_text parts, joined (the SDKs' output_text)
//   completions: choices[0].text
//   embeddings:  no text; data[].embedding is the parsed value: the vector for one input, an array
//                of vectors in input order for several
class ResultExtractor
{
public:
    static ExtractedResult extract(Endpoint endpoint, KeepMode keep, const QJsonObject& body);

    static std::optional<QString> text(Endpoint endpoint, const QJsonObject& body);
    static TokenUsage usage(Endpoint endpoint, const QJsonObject& body);
    static QJsonValue embedding(const QJsonObject& body); // undefined when the body has none

    // Model text as JSON: any JSON value (objects, arrays, strings, numbers), surrounding blanks and
    // a Markdown code fence (```json ... ```) allowed, since models add them even when asked not to.
    static Result<QJsonValue> parseJsonText(const QString& text);
};

} // namespace batchdeck
