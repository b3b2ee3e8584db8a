#include "ResultsTab.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableView>
#include <QVBoxLayout>

#include "ConsoleActions.h"
#include "ResultTableModel.h"
#include "TableSetup.h"

namespace batchdeck {

ResultsTab::ResultsTab(QWidget* parent)
    : QWidget(parent)
    , m_model(new ResultTableModel(this))
    , m_view(new QTableView(this))
    , m_filter(new QComboBox(this))
    , m_summary(new QLabel(this))
{
    m_filter->addItem(tr("All results"), int(ResultFilter::Kind::All));
    m_filter->addItem(tr("Successes"), int(ResultFilter::Kind::Successes));
    m_filter->addItem(tr("Errors"), int(ResultFilter::Kind::Errors));
    m_view->setModel(m_model);
    setUpTable(m_view);
    m_view->setColumnWidth(ResultTableModel::CustomIdColumn, 160);
    m_view->setColumnWidth(ResultTableModel::OutcomeColumn, 120);
    m_view->setColumnWidth(ResultTableModel::InputTokensColumn, 100);
    m_view->setColumnWidth(ResultTableModel::OutputTokensColumn, 100);
    // The content takes what the ids and the token counts leave.
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(ResultTableModel::ContentColumn, QHeaderView::Stretch);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Show:"), this));
    top->addWidget(m_filter);
    top->addWidget(m_summary, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);

    connect(m_filter, &QComboBox::currentIndexChanged, this, [this] {
        m_stale = true;
        reload();
    });
    connect(
        m_model, &ResultTableModel::morePagesWanted, this, [this](qint64 jobId, ResultFilter::Kind kind, int offset) {
            if (m_actions)
                m_requests.insert(m_actions->loadResults(jobId, kind, offset, ResultTableModel::kPageSize));
        });
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_model, signal, this, &ResultsTab::updateSummary);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ResultsTab::updateSummary);
    updateSummary();
}

void ResultsTab::setActions(ConsoleActions* actions)
{
    m_actions = actions;
    if (m_actions) {
        connect(m_actions, &ConsoleActions::resultsLoaded, this, &ResultsTab::onPageLoaded);
        // Asked before the engine was up: ask again now.
        connect(m_actions, &ConsoleActions::started, this, [this] {
            m_stale = true;
            if (isVisible())
                reload();
        });
    }
}

void ResultsTab::showJob(const JobSnapshot& job)
{
    // Results change only when the job is processed: its counts or status say so.
    const bool changed = !m_job || m_job->id != job.id || m_job->status != job.status ||
                         m_job->resultsSaved != job.resultsSaved || m_job->resultErrors != job.resultErrors;
    m_job = job;
    if (!changed)
        return;
    m_stale = true;
    if (isVisible())
        reload();
}

void ResultsTab::clear()
{
    m_job.reset();
    m_model->clear();
}

void ResultsTab::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        reload();
}

void ResultsTab::reload()
{
    if (!m_job || !m_actions) {
        m_model->clear();
        return;
    }
    m_stale = false;
    m_model->reset(m_job->id, ResultFilter::Kind(m_filter->currentData().toInt()));
}

void ResultsTab::onPageLoaded(const ResultPage& page)
{
    if (!m_requests.remove(page.requestId))
        return; // another tab's read (the Errors tab's)
    m_model->appendPage(page);
    if (!page.error.isEmpty() && page.jobId == m_model->jobId())
        m_summary->setText(tr("Cannot read the results: %1").arg(page.error));
    else
        updateSummary();
}

void ResultsTab::updateSummary()
{
    if (!m_job) {
        m_summary->clear();
        return;
    }
    const QLocale locale;
    if (m_model->total() < 0) {
        m_summary->setText(m_job->resultsSaved > 0 || m_job->status == JobStatus::Completed ? tr("Reading…")
                                                                                            : QString());
        return;
    }
    if (m_model->total() == 0) {
        m_summary->setText(m_job->status == JobStatus::Completed
                               ? tr("No results through this filter.")
                               : tr("No results yet: they are stored when the job is processed."));
        return;
    }
    m_summary->setText(tr("%1 of %2 shown · %3 stored, %4 errors")
                           .arg(locale.toString(m_model->rowCount()),
                                locale.toString(m_model->total()),
                                locale.toString(m_job->resultsSaved),
                                locale.toString(m_job->resultErrors)));
}

} // namespace batchdeck
