#include "JobActionController.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QStandardPaths>
#include <QStyle>
#include <QWidget>

#include "JobActionRules.h"
#include "ReasonDialog.h"

namespace batchdeck {

namespace {

QString jobList(const QList<JobSnapshot>& jobs)
{
    QStringList names;
    for (const JobSnapshot& job : jobs) {
        if (names.size() == 5) {
            names.append(QCoreApplication::translate("JobActionController", "… and %1 more").arg(jobs.size() - 5));
            break;
        }
        names.append(QStringLiteral("• %1 · %2 (%3)").arg(job.runId, job.batchType, statusName(job.status)));
    }
    return names.join(QLatin1Char('\n'));
}

} // namespace

JobActionController::JobActionController(ConsoleActions* actions,
                                         QWidget* dialogParent,
                                         RunChoices runs,
                                         QObject* parent)
    : QObject(parent)
    , m_actions(actions)
    , m_dialogParent(dialogParent)
    , m_runs(std::move(runs))
{
    QStyle* style = dialogParent->style();
    m_submit = new QAction(style->standardIcon(QStyle::SP_ArrowUp), tr("Submit…"), this);
    m_submit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    m_submit->setToolTip(tr("Submit a batch type for a run: items, a preview of the requests, then send (Ctrl+N)"));
    m_retry = new QAction(style->standardIcon(QStyle::SP_BrowserReload), tr("Retry"), this);
    m_retry->setToolTip(tr("Send a failed job again as a new attempt"));
    m_cancel = new QAction(style->standardIcon(QStyle::SP_DialogCancelButton), tr("Cancel"), this);
    m_cancel->setToolTip(tr("Cancel the job: at the provider when it is submitted"));
    m_process = new QAction(style->standardIcon(QStyle::SP_DialogApplyButton), tr("Process results"), this);
    m_process->setToolTip(tr("Download the batch's output and store its results"));
    m_export = new QAction(style->standardIcon(QStyle::SP_DialogSaveButton), tr("Export results…"), this);
    m_export->setToolTip(tr("Write the job's results to a CSV or JSONL file"));
    m_copyBatchId = new QAction(tr("Copy batch id"), this);
    m_copyBatchId->setToolTip(tr("Copy the provider batch id of the job to the clipboard"));

    connect(m_submit, &QAction::triggered, this, &JobActionController::onSubmit);
    connect(m_retry, &QAction::triggered, this, &JobActionController::onRetry);
    connect(m_cancel, &QAction::triggered, this, &JobActionController::onCancel);
    connect(m_process, &QAction::triggered, this, &JobActionController::onProcess);
    connect(m_export, &QAction::triggered, this, &JobActionController::onExport);
    connect(m_copyBatchId, &QAction::triggered, this, &JobActionController::onCopyBatchId);
    if (m_actions) {
        connect(m_actions, &ConsoleActions::actionFinished, this, &JobActionController::onActionFinished);
        connect(m_actions, &ConsoleActions::started, this, &JobActionController::updateEnabled);
    }
    updateEnabled();
}

QList<QAction*> JobActionController::allActions() const
{
    return {m_submit, m_retry, m_cancel, m_process, m_export, m_copyBatchId};
}

void JobActionController::setSelection(const QList<JobSnapshot>& jobs, const QString& preferredRun)
{
    m_selection = jobs;
    m_preferredRun = preferredRun;
    updateEnabled();
}

QList<JobSnapshot> JobActionController::selectedWhere(bool (*allowed)(const JobSnapshot&)) const
{
    QList<JobSnapshot> jobs;
    for (const JobSnapshot& job : m_selection) {
        if (allowed(job))
            jobs.append(job);
    }
    return jobs;
}

void JobActionController::updateEnabled()
{
    const bool engine = m_actions && m_actions->isReady();
    const QString noEngine = tr("This console only looks: it has no engine to act with.");
    m_submit->setEnabled(engine);
    m_retry->setEnabled(engine && !selectedWhere(jobactions::canRetry).isEmpty());
    m_cancel->setEnabled(engine && !selectedWhere(jobactions::canCancel).isEmpty());
    m_process->setEnabled(engine && !selectedWhere(jobactions::canProcess).isEmpty());
    m_export->setEnabled(engine && !selectedWhere(jobactions::canExport).isEmpty());
    m_copyBatchId->setEnabled(!selectedWhere(jobactions::canCopyBatchId).isEmpty());
    if (!m_actions)
        m_submit->setStatusTip(noEngine);
}

void JobActionController::track(quint64 actionId, const QString& message)
{
    m_pending.insert(actionId);
    Q_EMIT actionStarted(message);
}

void JobActionController::onSubmit()
{
    if (!m_actions || !m_actions->isReady())
        return;
    QString batchType;
    QString runId = m_preferredRun;
    if (!m_selection.isEmpty()) {
        runId = m_selection.first().runId;
        batchType = m_selection.first().batchType;
    }
    auto* dialog = new SubmitDialog(
        *m_actions, m_runs ? m_runs() : QList<SubmitDialog::RunChoice>(), runId, batchType, m_dialogParent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("submitDialog"));
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const SubmitRequest request = dialog->request();
        track(m_actions->submit(request), tr("Submitting '%1' for run %2…").arg(request.batchType, request.runId));
    });
    dialog->open();
}

void JobActionController::onRetry()
{
    const QList<JobSnapshot> jobs = selectedWhere(jobactions::canRetry);
    if (jobs.isEmpty())
        return;
    auto* dialog = new ReasonDialog(tr("Retry jobs"),
                                    tr("Send %n failed job(s) again as a new attempt?", nullptr, int(jobs.size())) +
                                        QStringLiteral("\n\n") + jobList(jobs),
                                    tr("Retry"),
                                    false,
                                    m_dialogParent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("retryDialog"));
    connect(dialog, &QDialog::accepted, this, [this, dialog, jobs] {
        for (const JobSnapshot& job : jobs)
            track(m_actions->retry(job.runId, job.batchType, dialog->reason()), tr("Retrying job %1…").arg(job.id));
    });
    dialog->open();
}

void JobActionController::onCancel()
{
    const QList<JobSnapshot> jobs = selectedWhere(jobactions::canCancel);
    if (jobs.isEmpty())
        return;
    auto* dialog = new ReasonDialog(
        tr("Cancel jobs"),
        tr("Cancel %n job(s)? A submitted batch is cancelled at the provider: requests it has not run are lost, "
           "and the job must be retried to send them again.",
           nullptr,
           int(jobs.size())) +
            QStringLiteral("\n\n") + jobList(jobs),
        tr("Cancel %n job(s)", nullptr, int(jobs.size())),
        true,
        m_dialogParent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("cancelDialog"));
    connect(dialog, &QDialog::accepted, this, [this, dialog, jobs] {
        for (const JobSnapshot& job : jobs)
            track(m_actions->cancel(job.runId, job.batchType, dialog->reason()), tr("Cancelling job %1…").arg(job.id));
    });
    dialog->open();
}

void JobActionController::onProcess()
{
    for (const JobSnapshot& job : selectedWhere(jobactions::canProcess))
        track(m_actions->process(job.runId, job.batchType, jobactions::isHarvest(job)),
              tr("Processing the results of job %1…").arg(job.id));
}

void JobActionController::onExport()
{
    const QList<JobSnapshot> jobs = selectedWhere(jobactions::canExport);
    if (jobs.isEmpty())
        return;
    const JobSnapshot job = jobs.first();
    const QString csv = tr("CSV (*.csv)");
    const QString jsonl = tr("JSON Lines (*.jsonl)");
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty())
        folder = QDir::homePath();
    QString name = QStringLiteral("%1-%2-results.csv").arg(job.runId, job.batchType);
    name.replace(QLatin1Char(':'), QLatin1Char('_'));
    auto* dialog = new QFileDialog(m_dialogParent, tr("Export the results of job %1").arg(job.id), folder);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("exportDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setOption(QFileDialog::DontUseNativeDialog);
    dialog->setNameFilters({csv, jsonl});
    dialog->selectFile(name);
    connect(dialog, &QFileDialog::filterSelected, dialog, [dialog, csv](const QString& filter) {
        dialog->setDefaultSuffix(filter == csv ? QStringLiteral("csv") : QStringLiteral("jsonl"));
    });
    dialog->setDefaultSuffix(QStringLiteral("csv"));
    connect(dialog, &QFileDialog::fileSelected, this, [this, job, jsonl, dialog](const QString& path) {
        const bool asJsonl = QFileInfo(path).suffix().compare(QLatin1String("jsonl"), Qt::CaseInsensitive) == 0 ||
                             (QFileInfo(path).suffix().isEmpty() && dialog->selectedNameFilter() == jsonl);
        track(m_actions->exportResults(
                  job.id, path, asJsonl ? ExportFormat::Jsonl : ExportFormat::Csv, ResultFilter::Kind::All),
              tr("Exporting the results of job %1…").arg(job.id));
    });
    dialog->open();
}

void JobActionController::onCopyBatchId()
{
    QStringList ids;
    for (const JobSnapshot& job : selectedWhere(jobactions::canCopyBatchId))
        ids.append(job.llmBatchId);
    if (ids.isEmpty())
        return;
    QApplication::clipboard()->setText(ids.join(QLatin1Char('\n')));
    Q_EMIT actionStarted(tr("Copied %1").arg(ids.join(QStringLiteral(", "))));
}

void JobActionController::onActionFinished(const ActionOutcome& outcome)
{
    if (!m_pending.remove(outcome.actionId))
        return;
    if (outcome.ok)
        Q_EMIT actionSucceeded(outcome);
    else
        Q_EMIT actionFailed(outcome);
}

} // namespace batchdeck
