// Fuzz target for what the HTTP server reads from a client before any route runs: the request head
// (request line and header fields, parseRequestHead), chunk size lines, the path split and
// percent-decoded into segments (decodePathSegments) and checked as a run id and a batch type name,
// and the query parameters as the API reads them. Input: the request as sent; the head ends at the
// first blank line, and the rest is read as chunk size lines.
#include <cstdint>
#include <cstdio>

#include <QByteArray>
#include <QUrl>

#include "FuzzCheck.h"
#include "core/Names.h"
#include "http/ApiRequest.h"
#include "http/PathSegments.h"
#include "http/RequestHead.h"

using namespace batchdeck;
using namespace batchdeck::http;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kMaxBody = 1024 * 1024;

void checkHead(const RequestHead& head)
{
    if (!head.ok()) {
        fuzzCheck(head.errorStatus >= 400 && head.errorStatus < 600, "a refusal is a 4xx or 5xx");
        fuzzCheck(!head.errorMessage.isEmpty(), "a refusal says why");
        return;
    }
    const HttpRequest& request = head.request;
    fuzzCheck(!request.method.isEmpty(), "a request has a method");
    fuzzCheck(!request.rawPath.contains('?'), "the raw path holds no query");
    for (const auto& [name, value] : request.headers) {
        fuzzCheck(!name.isEmpty(), "a header has a name");
        fuzzCheck(name == name.toLower(), "header names are lower-cased");
        fuzzCheck(!name.contains('\n') && !value.contains('\n'), "a header is one line");
    }
    fuzzCheck(!head.chunked || head.contentLength == 0, "a chunked body has no fixed length");
    fuzzCheck(head.contentLength >= 0 && head.contentLength <= kMaxBody, "a fixed length is within the limit");
}

void checkSegments(const QByteArray& rawPath)
{
    const Result<QStringList> segments = decodePathSegments(rawPath);
    if (!segments) {
        fuzzCheck(segments.error().kind == ErrorKind::InvalidInput, "a bad path is invalid input");
        return;
    }
    fuzzCheck(segments->size() == (rawPath == "/" ? 0 : rawPath.count('/')), "one segment per slash");
    QByteArray reencoded;
    for (const QString& segment : *segments) {
        fuzzCheck(!segment.contains(QChar(0)), "a segment holds no NUL");
        if (validateRunId(segment)) {
            fuzzCheck(!segment.contains(u'/') && !segment.contains(u".."_s), "a valid run id is no path trick");
            fuzzCheck(segment.size() <= 200, "a valid run id is short");
        }
        if (validateBatchTypeName(segment))
            fuzzCheck(segment.size() <= 64 && segment.front().isLower(), "a valid batch type name is a name");
        reencoded += '/' + QUrl::toPercentEncoding(segment);
    }
    // Encoding the decoded segments again gives a path that decodes to the same segments (unless the
    // encoded path grows past the length limit: control bytes take three times their size).
    if (!segments->isEmpty() && reencoded.size() <= 4096) {
        const Result<QStringList> again = decodePathSegments(reencoded);
        fuzzCheck(again.ok() && *again == *segments, "decoding is stable under re-encoding");
    }
}

void checkQuery(const HttpRequest& request)
{
    ApiRequest api;
    api.http = request;
    (void)api.onlyQueryParameters({u"status"_s, u"limit"_s, u"offset"_s});
    const Result<qint64> limit = api.queryInteger(u"limit"_s, 50, 1, 1000);
    fuzzCheck(!limit || (*limit >= 1 && *limit <= 1000), "an accepted integer is in its range");
    const Result<qint64> offset = api.queryInteger(u"offset"_s, 0, 0, 1'000'000);
    fuzzCheck(!offset || (*offset >= 0 && *offset <= 1'000'000), "an accepted offset is in its range");
    (void)api.queryBool(u"wait"_s, false);
    (void)api.query(u"status"_s);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    const qsizetype end = input.indexOf("\r\n\r\n");
    const QByteArray headBytes = end < 0 ? input : input.first(end);
    const RequestHead head = parseRequestHead(headBytes, kMaxBody);
    checkHead(head);
    if (head.ok()) {
        checkSegments(head.request.rawPath);
        checkQuery(head.request);
    }
    // Whatever follows the head, read as chunk size lines.
    if (end >= 0) {
        const QList<QByteArray> lines = input.sliced(end + 4).split('\n');
        for (const QByteArray& line : lines) {
            const std::optional<qint64> chunkSize = parseChunkSizeLine(line);
            fuzzCheck(!chunkSize || *chunkSize >= 0, "a chunk size is not negative");
        }
    }
    return 0;
}
