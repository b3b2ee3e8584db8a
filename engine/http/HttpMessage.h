#pragma once

#include <memory>
#include <utility>

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrlQuery>

class QIODevice;

namespace batchdeck::http {

class BodyBuffer;

using HeaderList = QList<std::pair<QByteArray, QByteArray>>;

// One parsed HTTP/1.1 request. Header names are lower-cased on the way in, because clients differ
// (Node SDK 7 sends lower-case, curl and Qt send Title-Case) and HTTP says they are case-insensitive.
struct HttpRequest
{
    QByteArray method;
    QString path;       // percent-decoded, without the query
    QByteArray rawPath; // as sent, still percent-encoded: split it first when "%2F" must not split a segment
    QUrlQuery query;
    HeaderList headers;
    std::shared_ptr<BodyBuffer> body; // never null once the connection hands the request out

    QByteArray header(QByteArrayView lowerCaseName) const;
    bool hasHeader(QByteArrayView lowerCaseName) const;
};

struct HttpResponse
{
    int status = 200;
    HeaderList headers;
    QByteArray body;
    // When set, the body is streamed from this file instead of `body`, so a 200 MB file content
    // never has to sit in memory.
    QString bodyFilePath;
    // The same for an open device (a temporary file that goes away with it): read from its current
    // position to its end.
    std::shared_ptr<QIODevice> bodyDevice;
    // Delay before the response goes out (stalls, slow creation). The request is already handled.
    qint64 delayMs = 0;

    void setHeader(const QByteArray& lowerCaseName, const QByteArray& value);
    QByteArray header(QByteArrayView lowerCaseName) const;
};

QByteArray reasonPhrase(int status);

} // namespace batchdeck::http
