#include "BatchResult.h"

#include "core/Json.h"

namespace batchdeck {

QJsonObject BatchResult::toJson() const
{
    QJsonValue parsed = json::parseValue(parsedJson.toUtf8());
    if (parsed.isUndefined())
        parsed = QJsonValue(QJsonValue::Null);
    return QJsonObject{
        {QStringLiteral("custom_id"), customId},
        {QStringLiteral("ok"), ok},
        {QStringLiteral("status_code"), statusCode == 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(statusCode)},
        {QStringLiteral("content"), content.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(content)},
        {QStringLiteral("parsed"), parsed},
        {QStringLiteral("error"),
         ok ? QJsonValue(QJsonValue::Null)
            : QJsonValue(QJsonObject{{QStringLiteral("code"), errorCode}, {QStringLiteral("message"), errorMessage}})},
        {QStringLiteral("usage"),
         QJsonObject{{QStringLiteral("input_tokens"), inputTokens},
                     {QStringLiteral("output_tokens"), outputTokens},
                     {QStringLiteral("total_tokens"), totalTokens}}},
        {QStringLiteral("line"), lineNumber},
        {QStringLiteral("attempt"), attempt},
    };
}

} // namespace batchdeck
