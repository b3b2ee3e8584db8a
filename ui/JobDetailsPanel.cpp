#include "JobDetailsPanel.h"

#include <QLabel>
#include <QLocale>
#include <QStackedWidget>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include "JobErrorsTab.h"
#include "JobEventsTab.h"
#include "JobOverviewTab.h"
#include "ProviderBatchesTab.h"
#include "RequestPreviewTab.h"
#include "ResultsTab.h"
#include "StatusStyle.h"
#include "store/JobFeed.h"

namespace batchdeck {

JobDetailsPanel::JobDetailsPanel(QWidget* parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_stack(new QStackedWidget(this))
    , m_tabs(new QTabWidget(this))
    , m_overview(new JobOverviewTab(this))
    , m_errors(new JobErrorsTab(this))
    , m_events(new JobEventsTab(this))
    , m_batches(new ProviderBatchesTab(this))
    , m_results(new ResultsTab(this))
    , m_requestPreview(new RequestPreviewTab(this))
{
    m_tabs->addTab(m_overview, tr("Overview"));
    m_tabs->addTab(m_errors, tr("Errors"));
    m_tabs->addTab(m_events, tr("Events"));
    m_tabs->addTab(m_batches, tr("Provider batches"));
    m_tabs->addTab(m_results, tr("Results"));
    m_tabs->addTab(m_requestPreview, tr("Request preview"));
    m_tabs->setDocumentMode(true);

    auto* empty = new QLabel(tr("Select a job to see its details."), this);
    empty->setAlignment(Qt::AlignCenter);
    empty->setEnabled(false);
    m_stack->addWidget(empty);
    m_stack->addWidget(m_tabs);

    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->hide();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 0);
    layout->setSpacing(4);
    layout->addWidget(m_title);
    layout->addWidget(m_stack, 1);
}

std::optional<qint64> JobDetailsPanel::jobId() const
{
    return m_job ? std::optional<qint64>(m_job->id) : std::nullopt;
}

void JobDetailsPanel::showJob(const JobSnapshot* job)
{
    if (!job) {
        m_job.reset();
        m_title->hide();
        m_stack->setCurrentIndex(0);
        m_errors->clear();
        m_events->clear();
        m_batches->clear();
        m_results->clear();
        m_requestPreview->clear();
        return;
    }
    if (m_job && sameJobState(*m_job, *job))
        return; // a tick that did not touch this job: keep the panel (and its text selection) as it is
    const bool otherJob = !m_job || m_job->id != job->id;
    m_job = *job;
    m_title->setText(tr("Job %1 · %2 · %3").arg(QString::number(job->id), job->runId, job->batchType));
    m_title->show();
    m_stack->setCurrentIndex(1);
    m_overview->showJob(*job);
    m_errors->showJob(*job);
    m_results->showJob(*job);
    m_requestPreview->showJob(*job);
    m_tabs->setTabText(ResultsPage,
                       job->resultsSaved > 0 ? tr("Results (%1)").arg(QLocale().toString(job->resultsSaved))
                                             : tr("Results"));
    m_tabs->setTabText(ErrorsPage,
                       job->resultErrors > 0 ? tr("Errors (%1)").arg(QLocale().toString(job->resultErrors))
                                             : tr("Errors"));
    const bool hasErrors = !job->errorDetails.isEmpty() || job->resultErrors > 0;
    // A red tab title says "look here" without switching away from the tab the operator chose.
    m_tabs->tabBar()->setTabTextColor(ErrorsPage,
                                      hasErrors ? StatusStyle::color(JobStatus::SubmissionFailed) : QColor());
    if (otherJob) {
        // Another job's records must not linger while this one's load.
        m_events->setLoading(job->id);
        m_batches->clear();
    }
    Q_EMIT recordsWanted(job->id);
}

void JobDetailsPanel::setActions(ConsoleActions* actions)
{
    m_errors->setActions(actions);
    m_results->setActions(actions);
    m_requestPreview->setActions(actions);
}

void JobDetailsPanel::setRecords(const JobRecords& records)
{
    if (!m_job || m_job->id != records.jobId)
        return; // an answer for a job no longer shown
    m_events->setEvents(records.jobId, records.events);
    m_batches->setBatches(records.jobId, records.batches);
    m_tabs->setTabText(BatchesPage,
                       records.batches.isEmpty() ? tr("Provider batches")
                                                 : tr("Provider batches (%1)").arg(records.batches.size()));
}

} // namespace batchdeck
