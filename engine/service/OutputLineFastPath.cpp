#include "OutputLineFastPath.h"

#include "batchtypes/ResultExtractor.h"
#include "core/Json.h"
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
    if (context.keep == KeepMode::Raw || context.endpoint == Endpoint::Embeddings)
        return std::nullopt;
    JsonScanner scanner(line);
    QString customId;
    std::optional<QString> text;
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
                           readBody(scanner, context.endpoint, &text, &usage);
                return scanner.skipValue();
            });
        }
        return scanner.skipValue();
    });
    if (!read || !scanner.atEnd() || customId.isEmpty() || statusCode != 200 || !seenBody || !text)
        return std::nullopt;

    BatchResult result;
    result.customId = customId;
    result.lineNumber = lineNumber;
    result.attempt = context.attempt;
    result.statusCode = 200;
    if (context.keep == KeepMode::Json) {
        const Result<QJsonValue> parsed = ResultExtractor::parseJsonText(*text);
        if (!parsed)
            return std::nullopt; // the not_json message names the finish reason, which is not read here
        result.parsedJson = QString::fromUtf8(json::valueText(*parsed));
    }
    result.content = *text;
    // As ResultExtractor::usage (embeddings never come here) and parseOutputLine's setUsage.
    if (!usage.total && usage.input && usage.output)
        usage.total = *usage.input + *usage.output;
    result.inputTokens = usage.input.value_or(0);
    result.outputTokens = usage.output.value_or(0);
    result.totalTokens = usage.total.value_or(result.inputTokens + result.outputTokens);
    result.ok = true;
    return result;
}

} // namespace batchdeck
