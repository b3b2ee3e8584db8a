#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace batchdeck::json {

// Appends to `out` the text QJsonDocument::toJson() writes for the number a JSON number token (as
// JsonScanner accepts it) stands for, worked out from the token's digits alone. Reading an embedding vector through
// Qt's DOM converts every number to a double and back to text (two double-conversion calls per number, 1,536 numbers a
// line), which was most of the time spent processing an embeddings output file.
//
// Covers the numbers embedding vectors are made of: nonzero, |x| < 1, at most 15 significant digits
// and a decimal exponent of at least -300. For those the double Qt reads has exactly the token's
// significant digits as its shortest round-trip form (any decimal of at most 15 digits survives the
// trip through a double, and two such decimals never meet on one double), and Qt writes them in
// whichever of its two forms is shorter, "0.000123" or "1.23e-04", the decimal one on a tie.
// Returns false, appending nothing, for every other token (zero, |x| >= 1, more digits, not a number):
// the caller then lets Qt decide.
bool appendQtNumberText(QByteArrayView token, QByteArray* out);

} // namespace batchdeck::json
