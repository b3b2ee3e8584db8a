#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrlQuery>

#include "core/Result.h"

namespace batchdeck::sim {

// `limit` from the query: absent gives defaultLimit; anything but a whole number in 1..maxLimit is
// an InvalidInput error.
Result<int> parseLimit(const QUrlQuery& query, int maxLimit, int defaultLimit);

// One page of an already ordered list: the items after the one whose id is `after` (all when
// empty), at most `limit`, as {object:"list", data, first_id, last_id, has_more}. An unknown
// `after` id is an InvalidInput error.
Result<QJsonObject> pageAfter(const QList<QJsonObject>& ordered, const QString& after, int limit);

} // namespace batchdeck::sim
