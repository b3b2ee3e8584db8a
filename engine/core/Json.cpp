#include "Json.h"

namespace batchdeck::json {

QByteArray compact(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray compact(const QJsonArray& array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

QJsonObject parseObject(const QByteArray& text)
{
    if (text.isEmpty())
        return {};
    return QJsonDocument::fromJson(text).object();
}

} // namespace batchdeck::json
