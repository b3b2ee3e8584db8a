#pragma once

#include <QByteArray>
#include <QString>

namespace batchdeck::sim {

// IDs shaped like OpenAI's (obs.): file- + 22 base62, batch_ + 32 hex, req_ + 32 hex. Clients must
// treat them as opaque; the shapes only make logs and UIs look like the real thing.
QString newFileId();
QString newBatchId();
QString newRequestId();

// Stable IDs derived from a seed text, so that output lines are reproducible for one batch.
QString derivedHexId(QStringView prefix, const QByteArray& seed, int length);
QString derivedBase62Id(QStringView prefix, const QByteArray& seed, int length);

} // namespace batchdeck::sim
