#pragma once

#include <optional>

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include "core/Result.h"

namespace batchdeck {

// Where a batch type takes its items from: the run's imported items, or the kept results of an
// earlier batch type of the same run (a chained stage, written "results:<batch_type>").
//
// A results-sourced item is one result of the earlier stage. Its key is the result's custom_id
// (so a chain keeps the original item keys end to end) and its payload is
//     {"custom_id": "<key>", "content": "<extracted text or null>", "parsed": <parsed JSON or null>}
// which a template reads as {{item.content}}, {{item.parsed.FIELD}} and {{item.custom_id}}.
// Results that failed are not items of the next stage.
class BatchSource
{
public:
    BatchSource() = default; // the run's items

    static BatchSource items() { return {}; }
    static BatchSource resultsOf(const QString& batchType);

    // "items" or "results:<batch_type>" (the name is checked with validateBatchTypeName).
    static Result<BatchSource> parse(const QString& text);

    bool isItems() const { return m_batchType.isEmpty(); }
    bool isResults() const { return !m_batchType.isEmpty(); }
    QString batchType() const { return m_batchType; } // empty for items
    QString toString() const;

    // The payload of an item made from an earlier stage's result (see the class comment). An
    // absent text or parsed value becomes null, so a template that needs it fails loudly.
    static QJsonObject
    resultItemPayload(const QString& customId, const std::optional<QString>& content, const QJsonValue& parsed);
    // The fields such a payload has: a template of a results-sourced type may read only these.
    static QStringList resultItemFields();

    friend bool operator==(const BatchSource&, const BatchSource&) = default;

private:
    QString m_batchType;
};

} // namespace batchdeck
