#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace batchdeck::json {

// Compact one-line JSON, as stored in the database and written to JSONL files.
QByteArray compact(const QJsonObject& object);
QByteArray compact(const QJsonArray& array);

// Any JSON value as compact text (objects, arrays and scalars); empty for undefined or null.
QByteArray valueText(const QJsonValue& value);
// The reverse: any JSON text to a value; undefined when the text is empty or not JSON.
QJsonValue parseValue(const QByteArray& text);

// Parses text that must hold a JSON object; an empty or invalid text gives an empty object.
QJsonObject parseObject(const QByteArray& text);

} // namespace batchdeck::json
