#include "RequestHead.h"

#include <QList>
#include <QUrl>

namespace batchdeck::http {

namespace {

RequestHead refused(int status, const QString& message)
{
    RequestHead head;
    head.errorStatus = status;
    head.errorMessage = message;
    return head;
}

} // namespace

RequestHead parseRequestHead(QByteArrayView headBytes, qint64 maxBodyBytes)
{
    const QList<QByteArray> lines = headBytes.toByteArray().split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1."))
        return refused(400, QStringLiteral("Malformed request line."));
    RequestHead head;
    HttpRequest& request = head.request;
    request.method = requestLine.at(0);
    const QByteArray& version = requestLine.at(2);
    const QByteArray& rawTarget = requestLine.at(1);
    const qsizetype question = rawTarget.indexOf('?');
    request.rawPath = question < 0 ? rawTarget : rawTarget.first(question);
    const QUrl target = QUrl::fromEncoded(rawTarget);
    request.path = target.path(QUrl::FullyDecoded);
    request.query = QUrlQuery(target.query(QUrl::FullyEncoded));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return refused(400, QStringLiteral("Malformed header line."));
        request.headers.append({line.first(colon).trimmed().toLower(), line.sliced(colon + 1).trimmed()});
    }

    const QByteArray connection = request.header("connection").toLower();
    head.keepAlive = version == "HTTP/1.1" ? !connection.contains("close") : connection.contains("keep-alive");

    const QByteArray transferEncoding = request.header("transfer-encoding").toLower();
    const QByteArray contentLength = request.header("content-length");
    if (!transferEncoding.isEmpty()) {
        if (!transferEncoding.trimmed().endsWith("chunked"))
            return refused(501, QStringLiteral("Unsupported transfer encoding."));
        head.chunked = true;
    } else if (!contentLength.isEmpty()) {
        bool ok = false;
        head.contentLength = contentLength.toLongLong(&ok);
        if (!ok || head.contentLength < 0)
            return refused(400, QStringLiteral("Invalid Content-Length header."));
        if (head.contentLength > maxBodyBytes)
            return refused(413, QStringLiteral("Request body is too large."));
    }
    head.expectContinue =
        (head.chunked || head.contentLength > 0) && request.header("expect").toLower() == "100-continue";
    return head;
}

std::optional<qint64> parseChunkSizeLine(QByteArrayView line)
{
    if (const qsizetype semicolon = line.indexOf(';'); semicolon >= 0)
        line = line.first(semicolon); // chunk extensions carry nothing we need
    line = line.trimmed();
    if (line.isEmpty() || line.size() > 15)
        return std::nullopt;
    bool ok = false;
    const qint64 value = line.toLongLong(&ok, 16);
    if (!ok || value < 0)
        return std::nullopt;
    return value;
}

} // namespace batchdeck::http
