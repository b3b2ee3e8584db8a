#include "MultipartParser.h"

#include <QUrl>

namespace batchdeck::sim {

namespace {

struct HeaderParam
{
    QByteArray name;
    QByteArray value;
};

// Parses `form-data; name="file"; filename="a;b.jsonl"`: parameters split on ';' outside quotes.
// Inside quotes only \" and \\ are escapes: browsers and undici send Windows paths with raw
// backslashes (C:\Users\x.jsonl), which must survive for the basename.
QList<HeaderParam> parseParams(QByteArrayView value)
{
    QList<HeaderParam> params;
    QByteArray current;
    bool quoted = false;
    QList<QByteArray> pieces;
    for (qsizetype i = 0; i < value.size(); ++i) {
        const char c = value.at(i);
        if (quoted && c == '\\' && i + 1 < value.size() && (value.at(i + 1) == '"' || value.at(i + 1) == '\\')) {
            current += value.at(++i);
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ';' && !quoted) {
            pieces.append(current.trimmed());
            current.clear();
        } else {
            current += c;
        }
    }
    pieces.append(current.trimmed());
    for (const QByteArray& piece : std::as_const(pieces)) {
        const qsizetype eq = piece.indexOf('=');
        if (eq < 0)
            params.append({piece.toLower(), {}});
        else
            params.append({piece.first(eq).trimmed().toLower(), piece.sliced(eq + 1).trimmed()});
    }
    return params;
}

QString basename(const QString& path)
{
    const qsizetype slash = qMax(path.lastIndexOf(u'/'), path.lastIndexOf(u'\\'));
    return slash < 0 ? path : path.sliced(slash + 1);
}

Status parsePartHeaders(QByteArrayView headers, MultipartPart* part)
{
    bool sawDisposition = false;
    for (const QByteArray& rawLine : headers.toByteArray().split('\n')) {
        const QByteArray line = rawLine.trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.first(colon).trimmed().toLower();
        const QByteArray value = line.sliced(colon + 1).trimmed();
        if (name == "content-type") {
            part->contentType = value;
        } else if (name == "content-disposition") {
            sawDisposition = true;
            QString extendedFilename;
            for (const HeaderParam& param : parseParams(value)) {
                if (param.name == "name") {
                    part->name = QString::fromUtf8(param.value);
                } else if (param.name == "filename") {
                    part->hasFilename = true;
                    part->filename = basename(QString::fromUtf8(param.value));
                } else if (param.name == "filename*") {
                    // RFC 5987: charset'language'percent-encoded
                    const qsizetype quote = param.value.lastIndexOf('\'');
                    extendedFilename = QUrl::fromPercentEncoding(param.value.sliced(quote + 1));
                }
            }
            if (!extendedFilename.isEmpty()) {
                part->hasFilename = true;
                part->filename = basename(extendedFilename);
            }
        }
    }
    if (!sawDisposition || part->name.isEmpty())
        return makeError(ErrorKind::InvalidInput, QStringLiteral("A multipart part has no Content-Disposition name."));
    return {};
}

} // namespace

Result<QByteArray> multipartBoundary(const QByteArray& contentType)
{
    const QList<HeaderParam> params = parseParams(contentType);
    if (params.isEmpty() || params.first().name != "multipart/form-data")
        return makeError(ErrorKind::InvalidInput, QStringLiteral("Content-Type must be multipart/form-data."));
    for (const HeaderParam& param : params) {
        if (param.name == "boundary" && !param.value.isEmpty())
            return param.value;
    }
    return makeError(ErrorKind::InvalidInput, QStringLiteral("The multipart boundary is missing."));
}

Result<QList<MultipartPart>> parseMultipart(QByteArrayView body, const QByteArray& boundary)
{
    const QByteArray delimiter = "--" + boundary;
    const QByteArray nextDelimiter = "\r\n" + delimiter;
    const auto malformed = [] {
        return makeError(ErrorKind::InvalidInput, QStringLiteral("The multipart body is malformed or truncated."));
    };

    // The first delimiter may follow a preamble; later ones always follow a CRLF.
    qsizetype pos = body.startsWith(delimiter) ? 0 : body.indexOf(nextDelimiter);
    if (pos < 0)
        return malformed();
    if (pos > 0)
        pos += 2;

    QList<MultipartPart> parts;
    while (true) {
        pos += delimiter.size();
        if (body.sliced(pos).startsWith("--"))
            return parts;
        // Transport padding (spaces/tabs) may sit between the delimiter and its CRLF.
        while (pos < body.size() && (body.at(pos) == ' ' || body.at(pos) == '\t'))
            ++pos;
        if (!body.sliced(pos).startsWith("\r\n"))
            return malformed();
        pos += 2;
        const qsizetype headersEnd = body.indexOf("\r\n\r\n", pos);
        if (headersEnd < 0)
            return malformed();
        MultipartPart part;
        // A part without headers (blank line right away) has no name: parsePartHeaders refuses it.
        if (Status status = parsePartHeaders(body.sliced(pos, headersEnd - pos), &part); !status)
            return status.error();
        const qsizetype dataStart = headersEnd + 4;
        const qsizetype dataEnd = body.indexOf(nextDelimiter, dataStart);
        if (dataEnd < 0)
            return malformed();
        part.data = body.sliced(dataStart, dataEnd - dataStart);
        parts.append(part);
        pos = dataEnd + 2;
    }
}

} // namespace batchdeck::sim
