#pragma once

#include <QWidget>

#include "store/JobSnapshot.h"

class QLabel;
class QTableView;

namespace batchdeck {

class EventTableModel;

// A job's history of status changes and operator actions, oldest first.
class JobEventsTab : public QWidget
{
    Q_OBJECT

public:
    explicit JobEventsTab(QWidget* parent = nullptr);

    void setEvents(qint64 jobId, const QList<JobEvent>& events);
    void setLoading(qint64 jobId);
    void clear();
    EventTableModel* model() const { return m_model; }

private:
    EventTableModel* m_model = nullptr;
    QTableView* m_view = nullptr;
};

} // namespace batchdeck
