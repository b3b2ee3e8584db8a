#include "BatchSource.h"

#include "core/Names.h"

namespace batchdeck {

namespace {

const QString kItems = QStringLiteral("items");
const QString kResultsPrefix = QStringLiteral("results:");

} // namespace

BatchSource BatchSource::resultsOf(const QString& batchType)
{
    BatchSource source;
    source.m_batchType = batchType;
    return source;
}

Result<BatchSource> BatchSource::parse(const QString& text)
{
    if (text == kItems)
        return items();
    if (!text.startsWith(kResultsPrefix))
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("'%1' is not a source (use \"items\" or \"results:<batch_type>\")").arg(text));
    const QString name = text.mid(kResultsPrefix.size());
    if (const Status valid = validateBatchTypeName(name); !valid)
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("'%1' does not name a batch type: %2").arg(text, valid.error().message));
    return resultsOf(name);
}

QString BatchSource::toString() const
{
    return isItems() ? kItems : kResultsPrefix + m_batchType;
}

QJsonObject
BatchSource::resultItemPayload(const QString& customId, const std::optional<QString>& content, const QJsonValue& parsed)
{
    return QJsonObject{
        {QStringLiteral("custom_id"), customId},
        {QStringLiteral("content"), content ? QJsonValue(*content) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("parsed"), parsed.isUndefined() ? QJsonValue(QJsonValue::Null) : parsed},
    };
}

QStringList BatchSource::resultItemFields()
{
    return {QStringLiteral("custom_id"), QStringLiteral("content"), QStringLiteral("parsed")};
}

} // namespace batchdeck
