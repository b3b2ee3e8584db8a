#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "store/BatchResult.h"

namespace batchdeck {

// The per-request errors of one job, for the Errors tab: the line of the provider's file the error
// came from (when stored), custom_id, code and message. Holds a bounded first page (the tab asks for
// at most kMaxRows); the rest is a count.
class RequestErrorTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        LineColumn,
        CustomIdColumn,
        CodeColumn,
        MessageColumn,
        ColumnCount
    };

    explicit RequestErrorTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The errors of `jobId`; `total` counts them all, also those not held.
    void setErrors(qint64 jobId, const QList<BatchResult>& errors, qint64 total);
    void clear();

    qint64 jobId() const { return m_jobId; }
    qint64 total() const { return m_total; }
    const BatchResult& errorAt(int row) const { return m_errors.at(row); }

private:
    qint64 m_jobId = 0;
    qint64 m_total = 0;
    QList<BatchResult> m_errors;
};

} // namespace batchdeck
