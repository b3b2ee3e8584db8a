#include "ChainedItem.h"

#include <optional>

#include "batchtypes/BatchSource.h"
#include "core/Json.h"
#include "store/BatchResult.h"

namespace batchdeck {

QJsonObject chainedItemPayload(const BatchResult& result)
{
    QJsonValue parsed = json::parseValue(result.parsedJson.toUtf8());
    if (parsed.isUndefined())
        parsed = QJsonValue(QJsonValue::Null);
    const std::optional<QString> content =
        result.content.isNull() ? std::nullopt : std::optional<QString>(result.content);
    return BatchSource::resultItemPayload(result.customId, content, parsed);
}

} // namespace batchdeck
