#include "RequestLineSplicer.h"

#include <QJsonArray>

#include "core/Json.h"
#include "core/JsonScanner.h"

namespace batchdeck {

namespace {

// A sentinel is MARKER INDEX "\x01". The marker holds a control character, which QJsonDocument always
// writes as a \u escape, and a nonce chosen so that its escaped text occurs nowhere in the template's
// own text; having no border (no prefix that is also a suffix), it cannot match across a sentinel
// and the text next to it either.
QString marker(int nonce)
{
    return QStringLiteral("\x01sp%1_").arg(nonce);
}

QByteArray escapedContent(const QString& text)
{
    const QByteArray array = json::compact(QJsonArray{text});
    return array.sliced(2, array.size() - 4); // without [" and "]
}

// A string's raw bytes are what QJsonDocument would write for its value: no escapes but those it
// writes (it writes other control characters as \u00XX and never escapes '/' or non-ASCII).
bool writtenLikeQt(QByteArrayView raw)
{
    for (qsizetype i = raw.indexOf('\\'); i >= 0; i = raw.indexOf('\\', i + 2)) {
        switch (raw.at(i + 1)) {
        case '"':
        case '\\':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            break;
        default:
            return false;
        }
    }
    return true;
}

bool isNumber(const QString& segment)
{
    bool number = false;
    segment.toInt(&number);
    return number;
}

} // namespace

std::optional<RequestLineSplicer>
RequestLineSplicer::create(const RequestTemplate& compiled, const QString& runId, const QJsonObject& runParams)
{
    RequestLineSplicer splicer;
    QJsonObject probePayload;
    QList<QString> fieldNames;
    for (const Placeholder& placeholder : compiled.placeholders()) {
        if (placeholder.root == Placeholder::Root::Item)
            return std::nullopt;
        if (placeholder.root != Placeholder::Root::ItemField)
            continue;
        if (placeholder.path.size() != 1 || isNumber(placeholder.path.front()))
            return std::nullopt;
        const QString& name = placeholder.path.front();
        if (fieldNames.contains(name))
            continue;
        probePayload.insert(name, QStringLiteral("x"));
        fieldNames.append(name);
        splicer.m_fields.push_back(name.toUtf8());
    }
    // The template's text with plain values, to pick a marker it does not contain.
    const QString probeKey = QStringLiteral("x");
    const Result<QJsonObject> probe = compiled.render(RenderScope{probeKey, probePayload, runId, runParams});
    if (!probe)
        return std::nullopt;
    const QByteArray probeText = json::compact(*probe);
    int nonce = 0;
    while (probeText.contains(escapedContent(marker(nonce))))
        ++nonce;
    const QString chosen = marker(nonce);

    QJsonObject sentinelPayload;
    for (qsizetype i = 0; i < fieldNames.size(); ++i)
        sentinelPayload.insert(fieldNames.at(i), QString(chosen + QString::number(i) + QChar(1)));
    // The key's sentinel has the index after the fields'.
    const QString keySentinel = chosen + QString::number(fieldNames.size()) + QChar(1);
    const Result<QJsonObject> body = compiled.render(RenderScope{keySentinel, sentinelPayload, runId, runParams});
    if (!body)
        return std::nullopt;
    const QByteArray text = json::compact(*body);

    const QByteArray start = escapedContent(chosen);
    const QByteArray end = escapedContent(QString(QChar(1)));
    qsizetype from = 0;
    while (true) {
        const qsizetype at = text.indexOf(start, from);
        if (at < 0)
            break;
        const qsizetype digits = at + start.size();
        const qsizetype close = text.indexOf(end, digits);
        bool ok = false;
        const int index = close < 0 ? -1 : text.mid(digits, close - digits).toInt(&ok);
        if (!ok || index < 0 || index > fieldNames.size())
            return std::nullopt; // cannot happen (see marker()); left to Qt all the same
        splicer.m_segments.push_back(Segment{text.mid(from, at - from), index == fieldNames.size() ? kKeyHole : index});
        splicer.m_literalSize += at - from;
        from = close + end.size();
    }
    splicer.m_segments.push_back(Segment{text.mid(from), -1});
    splicer.m_literalSize += text.size() - from;
    return splicer;
}

bool RequestLineSplicer::appendBody(const QByteArray& payloadJson, QByteArrayView keyJsonContent, QByteArray* out) const
{
    // At most a few fields: a fixed array of views, no allocation per item.
    constexpr size_t kMaxFields = 16;
    if (m_fields.size() > kMaxFields)
        return false;
    QByteArrayView values[kMaxFields];
    bool seen[kMaxFields] = {};
    json::JsonScanner scanner(payloadJson);
    const bool read = scanner.peek() == '{' && scanner.object([&](QByteArrayView key) {
        for (size_t i = 0; i < m_fields.size(); ++i) {
            if (key != m_fields[i])
                continue;
            bool escapes = false;
            if (seen[i] || scanner.peek() != '"' || !scanner.readRawString(&values[i], &escapes))
                return false;
            seen[i] = true;
            return !escapes || writtenLikeQt(values[i]);
        }
        return scanner.skipValue();
    });
    if (!read || !scanner.atEnd())
        return false;
    qsizetype size = m_literalSize;
    for (size_t i = 0; i < m_fields.size(); ++i) {
        if (!seen[i])
            return false;
        size += values[i].size();
    }
    out->reserve(out->size() + size + 4 * keyJsonContent.size());
    for (const Segment& segment : m_segments) {
        out->append(segment.literal);
        if (segment.hole == kKeyHole)
            out->append(keyJsonContent);
        else if (segment.hole >= 0)
            out->append(values[segment.hole]);
    }
    return true;
}

} // namespace batchdeck
