#include "HttpAnswerReader.h"

namespace batchdeck {

QByteArray headerValue(const HttpHeaderList& headers, QByteArrayView lowerCaseName)
{
    for (const auto& [name, value] : headers) {
        if (name == lowerCaseName)
            return value;
    }
    return {};
}

HttpAnswerReader::State HttpAnswerReader::feed(QByteArrayView bytes)
{
    if (m_state != State::Reading)
        return m_state; // bytes after a complete answer are not ours to read
    m_in.append(bytes.data(), bytes.size());
    if (!m_headDone && !readHead())
        return m_state;
    if (readBody())
        m_state = State::Complete;
    return m_state;
}

HttpAnswerReader::State HttpAnswerReader::closed()
{
    if (m_state != State::Reading)
        return m_state;
    if (m_headDone && !m_chunked && m_contentLength < 0) {
        m_state = State::Complete; // the body ran to the close
        return m_state;
    }
    return fail(QStringLiteral("the connection closed before the answer was complete"));
}

HttpAnswerReader::State HttpAnswerReader::fail(const QString& why)
{
    m_state = State::Failed;
    m_error = why;
    m_in.clear();
    return m_state;
}

// Reads heads until a final (non-1xx) one is complete; false while more bytes are needed or on failure.
bool HttpAnswerReader::readHead()
{
    for (;;) {
        const qsizetype end = m_in.indexOf("\r\n\r\n");
        // Decided on the head's own length, so that the split of the bytes does not matter.
        if ((end < 0 && m_in.size() >= kMaxHead + 4) || end > kMaxHead) {
            fail(QStringLiteral("the answer's head is over 64 KiB"));
            return false;
        }
        if (end < 0)
            return false;
        const QList<QByteArray> lines = m_in.left(end).split('\n');
        m_in.remove(0, end + 4);
        const QByteArray statusLine = lines.first().trimmed();
        const QList<QByteArray> parts = statusLine.split(' ');
        bool ok = false;
        const int status = parts.size() >= 2 && statusLine.startsWith("HTTP/1.") ? parts.at(1).toInt(&ok) : 0;
        if (!ok || status < 100 || status > 599) {
            fail(QStringLiteral("not an HTTP answer: %1").arg(QString::fromLatin1(statusLine.left(80))));
            return false;
        }
        if (status < 200)
            continue; // 100 Continue and the like: the real answer follows
        m_status = status;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray& line = lines.at(i);
            const qsizetype colon = line.indexOf(':');
            const QByteArray name = colon > 0 ? line.left(colon).trimmed().toLower() : QByteArray();
            if (!name.isEmpty()) // a line without a name is no header (found by fuzz_httpanswer)
                m_headers.append({name, line.mid(colon + 1).trimmed()});
        }
        m_chunked = header("transfer-encoding").toLower().contains("chunked");
        const QByteArray length = header("content-length");
        if (!m_chunked && !length.isEmpty()) {
            m_contentLength = length.toLongLong(&ok);
            if (!ok || m_contentLength < 0) {
                fail(QStringLiteral("a bad Content-Length in the answer"));
                return false;
            }
            if (m_contentLength > kMaxBody) {
                fail(QStringLiteral("the answer's body is over 4 MiB"));
                return false;
            }
        }
        m_headDone = true;
        return true;
    }
}

// True once the body is complete.
bool HttpAnswerReader::readBody()
{
    if (!m_chunked) {
        const qint64 wanted = m_contentLength >= 0 ? m_contentLength - m_body.size() : qint64(m_in.size());
        m_body += m_in.left(wanted);
        m_in.clear();
        if (m_body.size() > kMaxBody) {
            fail(QStringLiteral("the answer's body is over 4 MiB"));
            return false;
        }
        return m_contentLength >= 0 && m_body.size() == m_contentLength;
    }
    for (;;) {
        const qsizetype lineEnd = m_in.indexOf("\r\n");
        // Decided on the line's own length (1 KiB at most), whatever the split of the bytes.
        if ((lineEnd < 0 && m_in.size() >= kMaxChunkLine + 2) || lineEnd > kMaxChunkLine) {
            fail(QStringLiteral("a chunk size line over 1 KiB in the answer"));
            return false;
        }
        if (lineEnd < 0)
            return false;
        QByteArray sizeText = m_in.left(lineEnd);
        if (const qsizetype semicolon = sizeText.indexOf(';'); semicolon >= 0)
            sizeText.truncate(semicolon);
        bool ok = false;
        const qint64 size = sizeText.trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0) {
            fail(QStringLiteral("a bad chunk size in the answer"));
            return false;
        }
        if (size == 0)
            return true; // trailers, if any, are not needed
        if (m_body.size() + size > kMaxBody) {
            fail(QStringLiteral("the answer's body is over 4 MiB"));
            return false;
        }
        if (m_in.size() < lineEnd + 2 + size + 2)
            return false;
        if (m_in.at(lineEnd + 2 + size) != '\r' || m_in.at(lineEnd + 2 + size + 1) != '\n') {
            fail(QStringLiteral("a chunk of the answer does not end where its size says"));
            return false;
        }
        m_body += m_in.mid(lineEnd + 2, size);
        m_in.remove(0, lineEnd + 2 + size + 2);
    }
}

} // namespace batchdeck
