#include "ProviderJson.h"

#include <cmath>

#include <QDateTime>
#include <QTimeZone>

namespace batchdeck::providerjson {

namespace {

// Values above this are already milliseconds (a server that sends ms instead of s); seconds would put
// them past the year 5000.
constexpr double kMaxPlausibleSeconds = 1.0e11;

std::optional<qint64> fromSeconds(double seconds)
{
    // 0 is what some compatible servers send for "not yet"; no batch was created in 1970.
    if (!std::isfinite(seconds) || seconds <= 0)
        return std::nullopt;
    if (seconds >= kMaxPlausibleSeconds)
        return static_cast<qint64>(seconds);
    return static_cast<qint64>(std::llround(seconds * 1000.0));
}

std::optional<qint64> fromText(const QString& raw)
{
    const QString trimmed = raw.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    bool numeric = false;
    const double seconds = trimmed.toDouble(&numeric);
    if (numeric)
        return fromSeconds(seconds);
    QDateTime when = QDateTime::fromString(trimmed, Qt::ISODateWithMs);
    if (!when.isValid())
        when = QDateTime::fromString(trimmed, Qt::ISODate);
    if (!when.isValid())
        return std::nullopt;
    // Azure examples carry "2024-07-19T21:31:44" with no zone; the service means UTC.
    if (when.timeSpec() == Qt::LocalTime)
        when.setTimeZone(QTimeZone::utc());
    return when.toMSecsSinceEpoch();
}

} // namespace

QString text(const QJsonObject& object, QLatin1StringView key)
{
    const QJsonValue value = object.value(key);
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger(static_cast<qint64>(value.toDouble())));
    return {};
}

qint64 integer(const QJsonValue& value, qint64 fallback)
{
    return optionalInteger(value).value_or(fallback);
}

std::optional<qint64> optionalInteger(const QJsonValue& value)
{
    if (value.isDouble()) {
        const double number = value.toDouble();
        if (!std::isfinite(number))
            return std::nullopt;
        return static_cast<qint64>(std::llround(number));
    }
    if (value.isString()) {
        bool ok = false;
        const qint64 number = value.toString().trimmed().toLongLong(&ok);
        if (ok)
            return number;
    }
    return std::nullopt;
}

std::optional<qint64> epochMs(const QJsonValue& value)
{
    if (value.isDouble())
        return fromSeconds(value.toDouble());
    if (value.isString())
        return fromText(value.toString());
    return std::nullopt;
}

} // namespace batchdeck::providerjson
