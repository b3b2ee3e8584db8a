#pragma once

#include <QByteArray>
#include <QString>

namespace batchdeck::http {

// One line per answered request through the batchdeck.http logging category (so QT_LOGGING_RULES
// can silence it): method, path, route, status, duration. As text, or as one JSON object per line
// for log shippers (`serve --log-format json`). Headers are never logged: they carry the token.
class RequestLog
{
public:
    enum class Format
    {
        Text,
        Json,
        Off,
    };

    struct Entry
    {
        QByteArray method;
        QByteArray rawPath; // as sent, still percent-encoded
        QString route;      // the matched pattern, or "-" when none matched
        int status = 0;
        qint64 durationUs = 0;
        qint64 bytes = 0; // body bytes sent
        QString errorCode;
    };

    explicit RequestLog(Format format = Format::Text);
    void write(const Entry& entry) const;

    // Bytes of a path that could forge log lines (control characters, quotes, non-ASCII) as %XX.
    static QByteArray printablePath(const QByteArray& rawPath);

private:
    Format m_format;
};

} // namespace batchdeck::http
