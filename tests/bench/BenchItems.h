#pragma once

#include <QString>

namespace batchdeck::bench {

// Writes `count` items {"id": "item-N", "text": T, "title": T} as JSONL. The same text sits in "text"
// (Batchdeck's built-in types read it) and "title" (the peer reads it), plain ASCII with quotes, so
// that both sides' JSON encoders write the same bytes. False when the file cannot be written.
bool writeItems(const QString& path, int count);

} // namespace batchdeck::bench
