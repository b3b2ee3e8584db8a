#pragma once

#include <optional>

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

// Tolerant readers for provider JSON. The spec says "integer Unix seconds" and "string|null", but real
// servers send null, "", ISO-8601 strings (older Azure api-versions) and numbers as strings. A status
// poll must never fail because one field came in another shape, so each reader falls back quietly.
namespace batchdeck::providerjson {

// A string field; null, missing and non-string values (other than numbers) give an empty string.
QString text(const QJsonObject& object, QLatin1StringView key);

// An integer count; null, missing or unparsable give `fallback`.
qint64 integer(const QJsonValue& value, qint64 fallback = 0);

// An optional integer (e.g. BatchError.line): null or missing give nullopt.
std::optional<qint64> optionalInteger(const QJsonValue& value);

// A point in time as UTC epoch milliseconds. Accepts Unix seconds (integer, fractional or as a string)
// and ISO-8601 text with or without a zone (no zone means UTC). Null, missing, 0 and junk give nullopt.
std::optional<qint64> epochMs(const QJsonValue& value);

} // namespace batchdeck::providerjson
