#include "PathSegments.h"

#include <QStringDecoder>

namespace batchdeck::http {

namespace {

constexpr qsizetype kMaxPathBytes = 4096;

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

Error invalidPath(const QString& message)
{
    return makeError(ErrorKind::InvalidInput, QStringLiteral("invalid_path"), message);
}

Result<QString> decodeSegment(QByteArrayView raw)
{
    QByteArray bytes;
    bytes.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c != '%') {
            bytes.append(c);
            continue;
        }
        const int high = i + 2 < raw.size() ? hexValue(raw[i + 1]) : -1;
        const int low = high >= 0 ? hexValue(raw[i + 2]) : -1;
        if (low < 0)
            return invalidPath(QStringLiteral("the path has a '%' that is not followed by two hex digits"));
        bytes.append(char(high * 16 + low));
        i += 2;
    }
    if (bytes.contains('\0'))
        return invalidPath(QStringLiteral("the path holds a NUL character"));
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return invalidPath(QStringLiteral("the path is not UTF-8 once percent-decoded"));
    return text;
}

} // namespace

Result<QStringList> decodePathSegments(QByteArrayView rawPath)
{
    if (rawPath.isEmpty() || rawPath.front() != '/')
        return invalidPath(QStringLiteral("the request target must be a path starting with '/'"));
    if (rawPath.size() > kMaxPathBytes)
        return invalidPath(QStringLiteral("the path is longer than %1 bytes").arg(kMaxPathBytes));
    QStringList segments;
    if (rawPath.size() == 1)
        return segments;
    qsizetype start = 1;
    while (start <= rawPath.size()) {
        qsizetype end = rawPath.indexOf('/', start);
        if (end < 0)
            end = rawPath.size();
        auto segment = decodeSegment(rawPath.sliced(start, end - start));
        if (!segment)
            return segment.error();
        segments.append(*segment);
        start = end + 1;
    }
    return segments;
}

} // namespace batchdeck::http
