// Fuzz target for what an upload reads back from the provider over its own socket
// (HttpAnswerReader, used by PlainHttpUpload): an HTTP/1.1 answer's heads, headers and body by
// Content-Length, chunks or close. Input: one byte that chooses how the rest is cut into pieces, then
// the bytes of the connection. Checked besides crashes: the answer read in one piece and read in
// pieces is the same answer (state, status, headers, body), and a complete one is within its bounds.
#include <cstdint>

#include <QByteArray>

#include "FuzzCheck.h"
#include "provider/HttpAnswerReader.h"

using namespace batchdeck;

namespace {

// Feeds `bytes` as the connection's content, then its close if the answer still wants more.
void readAll(HttpAnswerReader& reader, QByteArrayView bytes, unsigned seed)
{
    qsizetype at = 0;
    unsigned state = seed | 1u;
    while (at < bytes.size() && reader.state() == HttpAnswerReader::State::Reading) {
        qsizetype piece = bytes.size() - at; // seed 0: all at once
        if (seed != 0) {
            state = state * 1103515245u + 12345u;
            piece = qMin<qsizetype>(piece, 1 + (state >> 16) % 97);
        }
        reader.feed(bytes.sliced(at, piece));
        at += piece;
    }
    if (reader.state() == HttpAnswerReader::State::Reading)
        reader.closed();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
        return 0;
    const unsigned seed = data[0];
    const QByteArrayView bytes(reinterpret_cast<const char*>(data + 1), qsizetype(size - 1));

    HttpAnswerReader whole;
    readAll(whole, bytes, 0);
    HttpAnswerReader pieces;
    readAll(pieces, bytes, seed == 0 ? 1 : seed);

    fuzzCheck(whole.state() != HttpAnswerReader::State::Reading, "a closed connection ends the answer");
    fuzzCheck(whole.state() == pieces.state(), "the pieces do not change the outcome");
    if (whole.state() == HttpAnswerReader::State::Failed) {
        fuzzCheck(!whole.error().isEmpty(), "a failure says why");
        return 0;
    }
    fuzzCheck(whole.status() >= 200 && whole.status() <= 599, "a final answer's status is 200-599");
    fuzzCheck(whole.status() == pieces.status(), "the pieces do not change the status");
    fuzzCheck(whole.headers() == pieces.headers(), "the pieces do not change the headers");
    fuzzCheck(whole.body() == pieces.body(), "the pieces do not change the body");
    fuzzCheck(whole.body().size() <= HttpAnswerReader::kMaxBody, "the body is bounded");
    for (const auto& [name, value] : whole.headers()) {
        fuzzCheck(!name.isEmpty() && name == name.toLower(), "header names are lower-case and not empty");
        fuzzCheck(!name.contains('\n') && !value.contains('\n'), "a header is one line");
    }
    return 0;
}
