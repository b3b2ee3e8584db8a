#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace batchdeck::sim {

// A deterministic instance of a JSON Schema (the subset structured outputs use: object,
// array, string with enum/format, number, integer, boolean, null, anyOf/oneOf/allOf, const,
// $ref into $defs/definitions). Lets simulated structured-output answers parse as the caller's
// schema expects, so result extraction can be tested end to end.
QJsonValue sampleForSchema(const QJsonObject& schema, const QString& seedText);

} // namespace batchdeck::sim
