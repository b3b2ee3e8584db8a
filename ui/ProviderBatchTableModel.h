#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "store/ProviderBatchStore.h"

namespace batchdeck {

// The provider batches of one job. For the same job, changed batches are announced with
// dataChanged and new ones inserted (a tick must not lose the selected batch); another job's
// batches replace the list.
class ProviderBatchTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        AttemptColumn,
        ShardColumn,
        BatchIdColumn,
        StatusColumn,
        ProgressColumn,
        InputFileColumn,
        OutputFileColumn,
        ErrorFileColumn,
        UpdatedColumn,
        ColumnCount
    };

    explicit ProviderBatchTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setBatches(qint64 jobId, const QList<ProviderBatchRecord>& batches);
    void clear();
    qint64 jobId() const { return m_jobId; }
    const ProviderBatchRecord& batchAt(int row) const { return m_batches.at(row); }

private:
    qint64 m_jobId = 0;
    QList<ProviderBatchRecord> m_batches;
};

} // namespace batchdeck
