#include "JobErrorsTab.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QTableView>
#include <QVBoxLayout>

#include "ConsoleActions.h"
#include "RequestErrorTableModel.h"
#include "StatusStyle.h"
#include "TableSetup.h"

namespace batchdeck {

JobErrorsTab::JobErrorsTab(QWidget* parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_details(new QPlainTextEdit(this))
    , m_requestSummary(new QLabel(this))
    , m_view(new QTableView(this))
    , m_model(new RequestErrorTableModel(this))
{
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_requestSummary->setWordWrap(true);
    m_view->setModel(m_model);
    setUpTable(m_view);
    m_view->setColumnWidth(RequestErrorTableModel::LineColumn, 60);
    m_view->setColumnWidth(RequestErrorTableModel::CustomIdColumn, 160);
    m_view->setColumnWidth(RequestErrorTableModel::CodeColumn, 160);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_requestSummary->hide();
    m_view->hide();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addWidget(m_summary);
    layout->addWidget(m_details, 1);
    layout->addWidget(m_requestSummary);
    layout->addWidget(m_view, 2);
}

void JobErrorsTab::setActions(ConsoleActions* actions)
{
    m_actions = actions;
    if (!m_actions)
        return;
    connect(m_actions, &ConsoleActions::resultsLoaded, this, &JobErrorsTab::onPageLoaded);
    // Asked before the engine was up: ask again now.
    connect(m_actions, &ConsoleActions::started, this, [this] {
        m_stale = true;
        if (isVisible())
            loadRequestErrors();
    });
}

void JobErrorsTab::showJob(const JobSnapshot& job)
{
    // The stored errors change only when the job is processed (again): its counts or status say so.
    const bool changed = !m_job || m_job->id != job.id || m_job->status != job.status ||
                         m_job->resultErrors != job.resultErrors || m_job->attempt != job.attempt;
    const bool otherJob = !m_job || m_job->id != job.id;
    m_job = job;
    showDetails(job);
    if (!changed)
        return;
    if (otherJob)
        m_model->clear(); // another job's errors must not linger while this one's load
    m_stale = true;
    if (isVisible())
        loadRequestErrors();
    else if (job.resultErrors <= 0)
        loadRequestErrors(); // nothing to read: says so at once
}

void JobErrorsTab::clear()
{
    m_job.reset();
    m_request = 0;
    m_model->clear();
    m_summary->clear();
    m_details->clear();
    m_requestSummary->hide();
    m_view->hide();
}

void JobErrorsTab::showDetails(const JobSnapshot& job)
{
    if (job.errorDetails.isEmpty()) {
        m_summary->setText(job.resultErrors > 0
                               ? tr("The job itself has no error details; some of its requests failed.")
                               : tr("No errors recorded for this job."));
        m_summary->setStyleSheet({});
        m_details->clear();
        m_details->hide();
        return;
    }
    const QString code = job.errorDetails.value(QStringLiteral("code")).toString();
    const QString message = job.errorDetails.value(QStringLiteral("message")).toString();
    QString summary = message.isEmpty() ? tr("Error details") : message;
    if (!code.isEmpty())
        summary = QStringLiteral("%1: %2").arg(code, summary);
    m_summary->setText(summary);
    m_summary->setStyleSheet(
        QStringLiteral("font-weight: bold; color: %1;").arg(StatusStyle::color(JobStatus::SubmissionFailed).name()));
    const QString text = QString::fromUtf8(QJsonDocument(job.errorDetails).toJson(QJsonDocument::Indented));
    if (m_details->toPlainText() != text)
        m_details->setPlainText(text); // unchanged text keeps the operator's selection and scroll
    m_details->show();
}

void JobErrorsTab::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        loadRequestErrors();
}

void JobErrorsTab::loadRequestErrors()
{
    if (!m_job)
        return;
    m_stale = false;
    if (m_job->resultErrors <= 0) {
        m_request = 0;
        m_model->clear();
        m_requestSummary->hide();
        m_view->hide();
        return;
    }
    m_requestSummary->show();
    m_view->show();
    if (!m_actions || !m_actions->isReady()) {
        m_request = 0;
        m_requestSummary->setText(
            tr("%n request(s) failed; listing them needs the engine, which is not running in this console.",
               nullptr,
               int(m_job->resultErrors)));
        m_stale = true;
        return;
    }
    m_requestSummary->setText(tr("Reading the failed requests…"));
    m_request = m_actions->loadResults(m_job->id, ResultFilter::Kind::Errors, 0, kMaxRows);
}

void JobErrorsTab::onPageLoaded(const ResultPage& page)
{
    if (m_request == 0 || page.requestId != m_request)
        return; // the Results tab's page, or an answer for a job no longer shown
    m_request = 0;
    if (!page.error.isEmpty()) {
        m_requestSummary->setText(tr("Cannot read the failed requests: %1").arg(page.error));
        return;
    }
    m_model->setErrors(page.jobId, page.rows, page.total);
    const QLocale locale;
    if (page.total > page.rows.size())
        m_requestSummary->setText(tr("Failed requests: the first %1 of %2 (%3 more; export the errors for all).")
                                      .arg(locale.toString(page.rows.size()),
                                           locale.toString(page.total),
                                           locale.toString(page.total - page.rows.size())));
    else
        m_requestSummary->setText(tr("Failed requests: %1.").arg(locale.toString(page.total)));
}

QString JobErrorsTab::summary() const
{
    return m_summary->text();
}

QString JobErrorsTab::details() const
{
    return m_details->toPlainText();
}

} // namespace batchdeck
