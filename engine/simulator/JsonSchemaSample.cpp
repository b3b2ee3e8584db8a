#include "JsonSchemaSample.h"

#include <QJsonArray>

namespace batchdeck::sim {

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxDepth = 8;

class Sampler
{
public:
    Sampler(const QJsonObject& root, const QString& seedText)
        : m_root(root)
        , m_seedText(seedText)
    {}

    QJsonValue sample(const QJsonObject& schema, const QString& name, int depth) const
    {
        if (depth > kMaxDepth)
            return QJsonValue();
        if (schema.contains(u"const"))
            return schema.value(u"const");
        if (const QJsonArray values = schema.value(u"enum").toArray(); !values.isEmpty())
            return values.first();
        if (const QString ref = schema.value(u"$ref").toString(); !ref.isEmpty())
            return sample(resolve(ref), name, depth + 1);
        for (const auto key : {u"anyOf", u"oneOf", u"allOf"}) {
            if (const QJsonArray choices = schema.value(key).toArray(); !choices.isEmpty())
                return sample(firstNonNull(choices), name, depth + 1);
        }

        QString type = schema.value(u"type").toString();
        if (schema.value(u"type").isArray()) {
            for (const QJsonValue& candidate : schema.value(u"type").toArray()) {
                type = candidate.toString();
                if (type != u"null")
                    break;
            }
        }
        if (type.isEmpty() && schema.contains(u"properties"))
            type = u"object"_s;

        if (type == u"object") {
            QJsonObject object;
            const QJsonObject properties = schema.value(u"properties").toObject();
            for (auto it = properties.begin(); it != properties.end(); ++it)
                object.insert(it.key(), sample(it.value().toObject(), it.key(), depth + 1));
            return object;
        }
        if (type == u"array") {
            QJsonArray array;
            const int count = qMax(1, schema.value(u"minItems").toInt(1));
            for (int i = 0; i < count; ++i)
                array.append(sample(schema.value(u"items").toObject(), name, depth + 1));
            return array;
        }
        if (type == u"integer")
            return schema.contains(u"minimum") ? schema.value(u"minimum").toInteger() : 1;
        if (type == u"number")
            return schema.contains(u"minimum") ? schema.value(u"minimum").toDouble() : 0.5;
        if (type == u"boolean")
            return true;
        if (type == u"null")
            return QJsonValue();
        return sampleString(schema, name);
    }

private:
    QJsonValue sampleString(const QJsonObject& schema, const QString& name) const
    {
        const QString format = schema.value(u"format").toString();
        if (format == u"date-time")
            return u"2026-01-01T00:00:00Z"_s;
        if (format == u"date")
            return u"2026-01-01"_s;
        if (format == u"email")
            return u"user@example.com"_s;
        if (format == u"uri")
            return u"https://example.com/"_s;
        if (format == u"uuid")
            return u"00000000-0000-4000-8000-000000000000"_s;
        const QString label = name.isEmpty() ? u"value"_s : name;
        return u"simulated %1 for %2"_s.arg(label, m_seedText);
    }

    QJsonObject resolve(const QString& ref) const
    {
        for (const QString& container : {u"$defs"_s, u"definitions"_s}) {
            const QString prefix = u"#/"_s + container + u"/"_s;
            if (ref.startsWith(prefix))
                return m_root.value(container).toObject().value(ref.mid(prefix.size())).toObject();
        }
        return ref == u"#" ? m_root : QJsonObject();
    }

    static QJsonObject firstNonNull(const QJsonArray& choices)
    {
        for (const QJsonValue& choice : choices) {
            if (choice.toObject().value(u"type").toString() != u"null")
                return choice.toObject();
        }
        return choices.first().toObject();
    }

    QJsonObject m_root;
    QString m_seedText;
};

} // namespace

QJsonValue sampleForSchema(const QJsonObject& schema, const QString& seedText)
{
    return Sampler(schema, seedText).sample(schema, QString(), 0);
}

} // namespace batchdeck::sim
