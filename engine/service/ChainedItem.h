#pragma once

#include <QJsonObject>

namespace batchdeck {

struct BatchResult;

// A stored result of an earlier stage as the item payload a results-sourced batch type renders
// (BatchSource::resultItemPayload): its text and parsed JSON, null where the result has none. Shared
// by the request file a submit sends and the console's preview of it, so both render the same.
QJsonObject chainedItemPayload(const BatchResult& result);

} // namespace batchdeck
