#include "RequestLog.h"

#include <QDateTime>
#include <QJsonObject>

#include "core/Json.h"
#include "core/Logging.h"

namespace batchdeck::http {

RequestLog::RequestLog(Format format)
    : m_format(format)
{}

QByteArray RequestLog::printablePath(const QByteArray& rawPath)
{
    QByteArray out;
    out.reserve(rawPath.size());
    for (const char c : rawPath) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x21 || byte > 0x7e || c == '"' || c == '\\')
            out += '%' + QByteArray::number(byte, 16).rightJustified(2, '0').toUpper();
        else
            out += c;
    }
    return out;
}

void RequestLog::write(const Entry& entry) const
{
    if (m_format == Format::Off || !lcHttp().isInfoEnabled())
        return;
    const double ms = double(entry.durationUs) / 1000.0;
    if (m_format == Format::Json) {
        QJsonObject line{{QStringLiteral("ts"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
                         {QStringLiteral("method"), QString::fromLatin1(entry.method)},
                         {QStringLiteral("path"), QString::fromLatin1(printablePath(entry.rawPath))},
                         {QStringLiteral("route"), entry.route},
                         {QStringLiteral("status"), entry.status},
                         {QStringLiteral("duration_ms"), qRound64(ms * 1000) / 1000.0},
                         {QStringLiteral("bytes"), entry.bytes}};
        if (!entry.errorCode.isEmpty())
            line.insert(QStringLiteral("error"), entry.errorCode);
        qCInfo(lcHttp).noquote() << QString::fromUtf8(json::compact(line));
        return;
    }
    QString line = QStringLiteral("%1 %2 %3 %4ms route=%5")
                       .arg(QString::fromLatin1(entry.method),
                            QString::fromLatin1(printablePath(entry.rawPath)),
                            QString::number(entry.status),
                            QString::number(ms, 'f', 2),
                            entry.route);
    if (!entry.errorCode.isEmpty())
        line += QStringLiteral(" error=") + entry.errorCode;
    qCInfo(lcHttp).noquote() << line;
}

} // namespace batchdeck::http
