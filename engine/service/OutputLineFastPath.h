#pragma once

#include <optional>

#include <QByteArray>

#include "service/OutputLineParser.h"

namespace batchdeck {

// The fast path of parseOutputLine: reads the common success line straight from its bytes with
// json::JsonScanner instead of building Qt's JSON DOM, which was half of process()'s CPU time.
//
// Handles: a line {"custom_id": "<non-empty>", "response": {"status_code": 200, "body": {...}}, ...}
// of the chat/completions, completions or responses endpoints under keep "text" or "json", whose
// body has the text as a plain string (chat: choices[0].message.content; completions:
// choices[0].text; responses: the output_text parts of output[] messages), and whose usage token
// counts, when present, are plain integers. Keep "json" also needs the text to parse as JSON.
// Also the embeddings endpoint under keep "json": a body whose data[] holds one object with an
// "embedding" array of numbers that json::appendQtNumberText spells (nonzero, |x| < 1, at most 15
// significant digits: what embedding vectors hold).
//
// Returns nothing (and the caller falls back to the Qt parser, which gives the same result as before)
// for everything else: other status codes and error lines, keep "raw", other embeddings, missing or
// non-string text (refusals, content parts), repeated keys it reads, escaped keys, lone surrogates,
// invalid or truncated JSON, and anything outside JsonScanner's strict subset. Whatever it returns
// equals what the Qt path returns for the line (tests/service/tst_outputlinefastpath.cpp checks it).
std::optional<BatchResult>
parseOutputLineFast(QByteArrayView line, qint64 lineNumber, const OutputLineContext& context);

} // namespace batchdeck
