#pragma once

#include <functional>

#include <QList>
#include <QObject>
#include <QSet>

#include "ConsoleActions.h"
#include "SubmitDialog.h"
#include "store/JobSnapshot.h"

class QAction;
class QWidget;

namespace batchdeck {

// The operator's actions on the selected jobs: Submit…, Retry, Cancel, Process results, Export
// results…, Copy batch id. One QAction each, shared by the toolbar, the Job menu and the jobs
// table's context menu, enabled only when some selected job's status allows it (JobActionRules).
// Asks what must be asked (a reason for retry and cancel, a confirmation for cancel, a file for
// export) in dialogs opened with open(), never exec(), sends the action to the engine thread and
// reports how each one ended.
class JobActionController : public QObject
{
    Q_OBJECT

public:
    using RunChoices = std::function<QList<SubmitDialog::RunChoice>()>;

    JobActionController(ConsoleActions* actions, QWidget* dialogParent, RunChoices runs, QObject* parent = nullptr);

    QAction* submitAction() const { return m_submit; }
    QAction* retryAction() const { return m_retry; }
    QAction* cancelAction() const { return m_cancel; }
    QAction* processAction() const { return m_process; }
    QAction* exportAction() const { return m_export; }
    QAction* copyBatchIdAction() const { return m_copyBatchId; }
    QList<QAction*> allActions() const;

    // The jobs the actions apply to, and the run the submit dialog starts with.
    void setSelection(const QList<JobSnapshot>& jobs, const QString& preferredRun);
    bool hasPendingActions() const { return !m_pending.isEmpty(); }

Q_SIGNALS:
    void actionStarted(const QString& message);
    void actionSucceeded(const batchdeck::ActionOutcome& outcome);
    void actionFailed(const batchdeck::ActionOutcome& outcome);

private:
    void updateEnabled();
    void onSubmit();
    void onRetry();
    void onCancel();
    void onProcess();
    void onExport();
    void onCopyBatchId();
    void onActionFinished(const batchdeck::ActionOutcome& outcome);
    QList<JobSnapshot> selectedWhere(bool (*allowed)(const JobSnapshot&)) const;
    void track(quint64 actionId, const QString& message);

    ConsoleActions* m_actions = nullptr;
    QWidget* m_dialogParent = nullptr;
    RunChoices m_runs;
    QList<JobSnapshot> m_selection;
    QString m_preferredRun;
    QSet<quint64> m_pending;

    QAction* m_submit = nullptr;
    QAction* m_retry = nullptr;
    QAction* m_cancel = nullptr;
    QAction* m_process = nullptr;
    QAction* m_export = nullptr;
    QAction* m_copyBatchId = nullptr;
};

} // namespace batchdeck
