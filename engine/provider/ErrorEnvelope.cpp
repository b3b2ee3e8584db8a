#include "ErrorEnvelope.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/Json.h"
#include "provider/ProviderError.h"

namespace batchdeck {

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kMaxMessageLength = 500;

QString asText(const QJsonValue& value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble());
    if (value.isObject())
        return QString::fromUtf8(json::compact(value.toObject()));
    if (value.isArray())
        return QString::fromUtf8(json::compact(value.toArray()));
    return {};
}

QString clipped(QString text)
{
    text = text.simplified();
    if (text.size() > kMaxMessageLength) {
        text.truncate(kMaxMessageLength);
        text += u"..."_s;
    }
    return text;
}

} // namespace

ErrorEnvelope parseErrorEnvelope(const QByteArray& body, const QString& secret)
{
    ErrorEnvelope envelope;
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (document.isObject()) {
        const QJsonObject root = document.object();
        const QJsonValue error = root.value("error"_L1);
        if (error.isObject()) {
            const QJsonObject e = error.toObject();
            envelope.type = asText(e.value("type"_L1));
            envelope.code = asText(e.value("code"_L1));
            envelope.message = asText(e.value("message"_L1));
            envelope.param = asText(e.value("param"_L1));
        } else if (error.isString()) {
            envelope.message = error.toString();
        }
        if (envelope.message.isEmpty())
            envelope.message = asText(root.value("message"_L1));
        if (envelope.message.isEmpty())
            envelope.message = asText(root.value("detail"_L1));
        if (envelope.message.isEmpty() && !root.isEmpty())
            envelope.message = QString::fromUtf8(json::compact(root));
    } else if (!body.trimmed().isEmpty()) {
        // Redaction happens below on the whole text, before clipping could cut a key in half.
        envelope.message = QString::fromUtf8(body);
    }

    envelope.type = clipped(redactSecret(envelope.type, secret));
    envelope.code = clipped(redactSecret(envelope.code, secret));
    envelope.message = clipped(redactSecret(envelope.message, secret));
    envelope.param = clipped(redactSecret(envelope.param, secret));
    return envelope;
}

} // namespace batchdeck
