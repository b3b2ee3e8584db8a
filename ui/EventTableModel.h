#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "store/JobSnapshot.h"

namespace batchdeck {

// A job's event history: when, who, from -> to, why. New events of the same job are appended as
// inserted rows (the history only grows); another job's history replaces the whole list.
class EventTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        WhenColumn,
        ActorColumn,
        ChangeColumn,
        MessageColumn,
        ColumnCount
    };

    explicit EventTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setEvents(qint64 jobId, const QList<JobEvent>& events);
    void clear();
    qint64 jobId() const { return m_jobId; }

private:
    qint64 m_jobId = 0;
    QList<JobEvent> m_events;
};

} // namespace batchdeck
