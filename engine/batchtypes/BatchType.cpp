#include "BatchType.h"

namespace batchdeck {

QJsonObject BatchType::toJson() const
{
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("description"), description},
        {QStringLiteral("endpoint"), endpointPath(endpoint)},
        {QStringLiteral("model"), model},
        {QStringLiteral("template"), requestTemplate},
        {QStringLiteral("source"), source.toString()},
        {QStringLiteral("keep"), keepModeName(keep)},
    };
}

} // namespace batchdeck
