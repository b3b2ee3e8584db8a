#pragma once

#include <optional>

#include <QByteArrayView>
#include <QString>

#include "http/HttpMessage.h"

namespace batchdeck::http {

// The head of one HTTP/1.1 request (request line and header fields, without the blank line that
// ends it), read from its bytes alone. HttpConnection parses every request through it; keeping the
// socket out makes it a pure function that the fuzz target (tests/fuzz/fuzz_http.cpp) can feed
// anything.
struct RequestHead
{
    // Non-zero when the request is refused: the status to answer with (400, 413, 501) and why.
    int errorStatus = 0;
    QString errorMessage;

    HttpRequest request; // method, path, rawPath, query and headers; no body yet
    bool keepAlive = true;
    bool chunked = false;        // Transfer-Encoding: chunked
    qint64 contentLength = 0;    // when not chunked
    bool expectContinue = false; // the client waits for "100 Continue" before it sends the body

    bool ok() const { return errorStatus == 0; }
};

RequestHead parseRequestHead(QByteArrayView head, qint64 maxBodyBytes);

// The size of a chunk from its size line (chunk extensions after ';' ignored); nothing when the line
// is not a hexadecimal size.
std::optional<qint64> parseChunkSizeLine(QByteArrayView line);

} // namespace batchdeck::http
