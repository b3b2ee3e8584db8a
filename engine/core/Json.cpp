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

QByteArray valueText(const QJsonValue& value)
{
    if (value.isObject())
        return compact(value.toObject());
    if (value.isArray())
        return compact(value.toArray());
    if (value.isUndefined() || value.isNull())
        return {};
    // Scalars: QJsonDocument only holds containers, so serialise in an array and strip the brackets.
    const QByteArray text = compact(QJsonArray{value});
    return text.mid(1, text.size() - 2);
}

QJsonValue parseValue(const QByteArray& text)
{
    if (text.trimmed().isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    const QJsonDocument document = QJsonDocument::fromJson('[' + text + ']');
    if (!document.isArray() || document.array().size() != 1)
        return QJsonValue(QJsonValue::Undefined);
    return document.array().at(0);
}

QJsonObject parseObject(const QByteArray& text)
{
    if (text.isEmpty())
        return {};
    return QJsonDocument::fromJson(text).object();
}

} // namespace batchdeck::json
