#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QStringList>

#include "RunOverview.h"

namespace batchdeck {

// The runs table. Like the jobs table it updates in place: dataChanged for the runs that changed,
// inserts for new ones and removals for gone ones, never a reset.
class RunTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        RunColumn,
        CreatedColumn,
        ItemsColumn,
        JobsColumn,
        StatusColumn,
        ColumnCount
    };

    enum Role
    {
        RunIdRole = Qt::UserRole + 1, // QString
        SortRole,                     // a value that sorts the column
        CountsRole,                   // QVariantList of qint64, jobs per status in allJobStatuses() order
    };

    explicit RunTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Applies new and changed runs and removes `removedIds`; runs equal to what the model holds
    // are skipped.
    void merge(const QList<RunOverview>& runs, const QStringList& removedIds = {});

    const RunOverview* find(const QString& runId) const;
    int rowOf(const QString& runId) const { return m_rowById.value(runId, -1); }

private:
    QVariant displayData(const RunOverview& run, int column) const;

    QList<RunOverview> m_runs;
    QHash<QString, int> m_rowById;
};

} // namespace batchdeck
