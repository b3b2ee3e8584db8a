#include "JobEventsTab.h"

#include <QHeaderView>
#include <QTableView>
#include <QVBoxLayout>

#include "EventTableModel.h"
#include "TableSetup.h"

namespace batchdeck {

JobEventsTab::JobEventsTab(QWidget* parent)
    : QWidget(parent)
    , m_model(new EventTableModel(this))
    , m_view(new QTableView(this))
{
    m_view->setModel(m_model);
    setUpTable(m_view);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(EventTableModel::WhenColumn, 150);
    m_view->setColumnWidth(EventTableModel::ActorColumn, 110);
    m_view->setColumnWidth(EventTableModel::ChangeColumn, 220);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

void JobEventsTab::setEvents(qint64 jobId, const QList<JobEvent>& events)
{
    const int before = m_model->rowCount();
    m_model->setEvents(jobId, events);
    if (m_model->rowCount() != before)
        m_view->scrollToBottom(); // the newest event is the one to read
}

void JobEventsTab::setLoading(qint64 jobId)
{
    // Another job's history must not linger while this one's loads.
    if (m_model->jobId() != jobId)
        m_model->clear();
}

void JobEventsTab::clear()
{
    m_model->clear();
}

} // namespace batchdeck
