#pragma once

#include <utility>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace batchdeck {

using HttpHeaderList = QList<std::pair<QByteArray, QByteArray>>; // names lower-case, in order

// The first value of a header, by its lower-case name; empty when absent.
QByteArray headerValue(const HttpHeaderList& headers, QByteArrayView lowerCaseName);

// Reads one HTTP/1.1 answer from the bytes of a connection as they arrive: the status line and
// headers (interim 1xx answers skipped), then the body by Content-Length, by chunks, or until the
// connection closes. How the bytes are split between feed() calls never changes the result.
// Bounded: a head over kMaxHead or a body over kMaxBody fails the answer.
class HttpAnswerReader
{
public:
    static constexpr qsizetype kMaxHead = 64 * 1024;
    static constexpr qsizetype kMaxBody = 4 * 1024 * 1024;
    static constexpr qsizetype kMaxChunkLine = 1024;

    enum class State
    {
        Reading,
        Complete,
        Failed,
    };

    State feed(QByteArrayView bytes);
    // The connection ended: a body that runs to the close is complete; anything else unfinished fails.
    State closed();

    State state() const { return m_state; }
    int status() const { return m_status; } // once the head is read
    const HttpHeaderList& headers() const { return m_headers; }
    QByteArray header(QByteArrayView lowerCaseName) const { return headerValue(m_headers, lowerCaseName); }
    const QByteArray& body() const { return m_body; }
    const QString& error() const { return m_error; } // when Failed

private:
    bool readHead();
    bool readBody();
    State fail(const QString& why);

    State m_state = State::Reading;
    QByteArray m_in; // bytes not read yet
    bool m_headDone = false;
    bool m_chunked = false;
    qint64 m_contentLength = -1; // -1: until the connection closes (or chunked)
    int m_status = 0;
    HttpHeaderList m_headers;
    QByteArray m_body;
    QString m_error;
};

} // namespace batchdeck
