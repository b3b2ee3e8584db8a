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

// Parses text that must hold a JSON object; an empty or invalid text gives an empty object.
QJsonObject parseObject(const QByteArray& text);

} // namespace batchdeck::json
