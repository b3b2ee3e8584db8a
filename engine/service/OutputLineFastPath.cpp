#include "OutputLineFastPath.h"

#include "batchtypes/ResultExtractor.h"
#include "core/Json.h"
#include "core/JsonNumberText.h"
#include "core/JsonScanner.h"

namespace batchdeck {

namespace {

using json::JsonScanner;

// Marks a key as read; false when it was already read (Qt's choice among repeated keys is left to Qt).
bool first(bool* seen)
{
    if (*seen)
        return false;
    *seen = true;
    return true;
}

// A token count: a plain integer is kept; null, strings and booleans count as absent (as
// ResultExtractor's isDouble() test has it); other numbers (fractions, negatives) go to Qt.
bool readTokens(JsonScanner& scanner, std::optional<qint64>* out)
{
    const char next = scanner.peek();
    if (next >= '0' && next <= '9') {
        qint64 value = 0;
        if (!scanner.readSmallInteger(&value))
            return false;
        *out = value;
        return true;
    }
    if (next == '-')
        return false;
    return scanner.skipValue();
}

bool readUsage(JsonScanner& scanner, Endpoint endpoint, TokenUsage* usage)
{
    if (scanner.peek() == 'n')
        return scanner.readNull(); // no usage: all counts absent
    const bool responses = endpoint == Endpoint::Responses;
    const QByteArrayView inputKey = responses ? QByteArrayView("input_tokens") : QByteArrayView("prompt_tokens");
    const QByteArrayView outputKey = responses ? QByteArrayView("output_tokens") : QByteArrayView("completion_tokens");
    bool seenInput = false, seenOutput = false, seenTotal = false;
    return scanner.object([&](QByteArrayView key) {
        if (key == inputKey)
            return first(&seenInput) && readTokens(scanner, &usage->input);
        if (key == outputKey)
            return first(&seenOutput) && readTokens(scanner, &usage->output);
        if (key == "total_tokens")
            return first(&seenTotal) && readTokens(scanner, &usage->total);
        return scanner.skipValue();
    });
}

// chat: choices[0].message.content; completions: choices[0].text. Only a string is taken.
bool readChoices(JsonScanner& scanner, Endpoint endpoint, std::optional<QString>* text)
{
    return scanner.array([&](qsizetype index) {
        if (index > 0)
            return scanner.skipValue();
        bool seenMessage = false, seenText = false;
        return scanner.object([&](QByteArrayView key) {
            if (endpoint == Endpoint::Completions && key == "text") {
                QString value;
                if (!first(&seenText) || !scanner.readString(&value) || value.isEmpty())
                    return false; // empty text: left to Qt (whose null/empty choice is kept as is)
                *text = value;
                return true;
            }
            if (endpoint == Endpoint::ChatCompletions && key == "message") {
                bool seenContent = false;
                return first(&seenMessage) && scanner.object([&](QByteArrayView messageKey) {
                    if (messageKey != "content")
                        return scanner.skipValue();
                    QString value;
                    if (!first(&seenContent) || !scanner.readString(&value) || value.isEmpty())
                        return false;
                    *text = value;
                    return true;
                });
            }
            return scanner.skipValue();
        });
    });
}

// responses: every output[] item of type "message", every content part of type "output_text",
// texts joined in order. The type may follow the content in an item, so the content is read after
// the item (its bytes were already validated by skipValue).
bool readResponsesOutput(JsonScanner& scanner, std::optional<QString>* text)
{
    return scanner.array([&](qsizetype) {
        if (scanner.peek() != '{')
            return false;
        QByteArrayView type, content;
        bool seenType = false, seenContent = false, typeEscaped = false;
        const bool read = scanner.object([&](QByteArrayView key) {
            if (key == "type")
                return first(&seenType) && scanner.readRawString(&type, &typeEscaped) && !typeEscaped;
            if (key == "content") {
                if (!first(&seenContent))
                    return false;
                scanner.peek();
                const char* start = scanner.position();
                if (!scanner.skipValue())
                    return false;
                content = QByteArrayView(start, scanner.position() - start);
                return true;
            }
            return scanner.skipValue();
        });
        if (!read)
            return false;
        if (!seenType || type != "message")
            return seenType; // an item without a type string: left to Qt
        if (!seenContent)
            return true;
        JsonScanner parts(content);
        return parts.array([&](qsizetype) {
            QByteArrayView partType;
            QString partText;
            bool seenPartType = false, seenPartText = false, partTypeEscaped = false;
            const bool partRead = parts.object([&](QByteArrayView key) {
                if (key == "type")
                    return first(&seenPartType) && parts.readRawString(&partType, &partTypeEscaped) && !partTypeEscaped;
                if (key == "text")
                    return first(&seenPartText) &&
                           (parts.peek() == '"' ? parts.readString(&partText) : parts.skipValue());
                return parts.skipValue();
            });
            if (!partRead || !seenPartType)
                return false;
            if (partType == "output_text") {
                if (!seenPartText || partText.isEmpty())
                    return false; // a missing, empty or non-string text: left to Qt
                *text = text->value_or(QString()) + partText;
            }
            return true;
        });
    });
}

// An embedding vector, an array of numbers, as the text Qt's writer gives it (compact, each number
// spelled by appendQtNumberText). Numbers it does not cover, and anything but numbers, go to Qt.
bool readVectorText(JsonScanner& scanner, QByteArray* text)
{
    if (scanner.peek() != '[')
        return false; // base64 vectors are strings: left to Qt
    text->reserve(text->size() + 16 * 1024);
    text->append('[');
    const bool read = scanner.array([&](qsizetype index) {
        QByteArrayView number;
        if (index > 0)
            text->append(',');
        return scanner.readNumberText(&number) && json::appendQtNumberText(number, text);
    });
    text->append(']');
    return read;
}

// embeddings: data[] holding exactly one object with an "embedding" (the common one-input request);
// several vectors are ordered by index, which is left to Qt.
bool readEmbeddingsBody(JsonScanner& scanner, QByteArray* vector, TokenUsage* usage)
{
    bool seenData = false, seenUsage = false;
    return scanner.object([&](QByteArrayView key) {
        if (key == "data") {
            return first(&seenData) && scanner.array([&](qsizetype index) {
                bool seenEmbedding = false;
                return index == 0 && scanner.peek() == '{' && scanner.object([&](QByteArrayView entryKey) {
                    if (entryKey == "embedding")
                        return first(&seenEmbedding) && readVectorText(scanner, vector);
                    return scanner.skipValue();
                }) && seenEmbedding;
            });
        }
        if (key == "usage")
            return first(&seenUsage) && readUsage(scanner, Endpoint::Embeddings, usage);
        return scanner.skipValue();
    });
}

bool readBody(JsonScanner& scanner, Endpoint endpoint, std::optional<QString>* text, TokenUsage* usage)
{
    bool seenText = false, seenUsage = false;
    const QByteArrayView textKey =
        endpoint == Endpoint::Responses ? QByteArrayView("output") : QByteArrayView("choices");
    return scanner.object([&](QByteArrayView key) {
        if (key == textKey)
            return first(&seenText) && (endpoint == Endpoint::Responses ? readResponsesOutput(scanner, text)
                                                                        : readChoices(scanner, endpoint, text));
        if (key == "usage")
            return first(&seenUsage) && readUsage(scanner, endpoint, usage);
        return scanner.skipValue();
    });
}

} // namespace

std::optional<BatchResult> parseOutputLineFast(QByteArrayView line, qint64 lineNumber, const OutputLineContext& context)
{
    const bool embeddings = context.endpoint == Endpoint::Embeddings;
    // Raw bodies, and embeddings kept as text (an error result), are left to Qt.
    if (context.keep == KeepMode::Raw || (embeddings && context.keep != KeepMode::Json))
        return std::nullopt;
    JsonScanner scanner(line);
    QString customId;
    std::optional<QString> text;
    QByteArray vector;
    TokenUsage usage;
    qint64 statusCode = -1;
    bool seenId = false, seenResponse = false, seenStatus = false, seenBody = false;
    const bool read = scanner.peek() == '{' && scanner.object([&](QByteArrayView key) {
        if (key == "custom_id")
            return first(&seenId) && scanner.readString(&customId);
        if (key == "response") {
            return first(&seenResponse) && scanner.peek() == '{' && scanner.object([&](QByteArrayView responseKey) {
                if (responseKey == "status_code")
                    return first(&seenStatus) && scanner.readSmallInteger(&statusCode);
                if (responseKey == "body")
                    return first(&seenBody) && scanner.peek() == '{' &&
                           (embeddings ? readEmbeddingsBody(scanner, &vector, &usage)
                                       : readBody(scanner, context.endpoint, &text, &usage));
                return scanner.skipValue();
            });
        }
        return scanner.skipValue();
    });
    if (!read || !scanner.atEnd() || customId.isEmpty() || statusCode != 200 || !seenBody ||
        (embeddings ? vector.isEmpty() : !text))
        return std::nullopt;

    BatchResult result;
    result.customId = customId;
    result.lineNumber = lineNumber;
    result.attempt = context.attempt;
    result.statusCode = 200;
    if (embeddings) {
        result.parsedJson = QString::fromLatin1(vector); // digits, signs, '.', 'e', ',' and brackets
    } else {
        if (context.keep == KeepMode::Json) {
            const Result<QJsonValue> parsed = ResultExtractor::parseJsonText(*text);
            if (!parsed)
                return std::nullopt; // the not_json message names the finish reason, which is not read here
            result.parsedJson = QString::fromUtf8(json::valueText(*parsed));
        }
        result.content = *text;
    }
    // As ResultExtractor::usage and parseOutputLine's setUsage (for embeddings, the missing
    // completion_tokens that usage() turns into 0 gives the same three numbers).
    if (!usage.total && usage.input && usage.output)
        usage.total = *usage.input + *usage.output;
    result.inputTokens = usage.input.value_or(0);
    result.outputTokens = usage.output.value_or(0);
    result.totalTokens = usage.total.value_or(result.inputTokens + result.outputTokens);
    result.ok = true;
    return result;
}

} // namespace batchdeck
