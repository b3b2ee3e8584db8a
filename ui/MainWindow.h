#pragma once

#include <optional>

#include <QMainWindow>
#include <QTimer>

#include "ConsoleContext.h"
#include "PollResult.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSettings;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;
class QToolButton;

namespace batchdeck {

struct ActionOutcome;
class JobActionController;
class JobDetailsPanel;
class JobFilterProxyModel;
class JobTableModel;
class PollController;
class RunTableModel;
class StatusFilterBar;

// The console's window: runs on top; the jobs table with its status buttons and search box; the
// selected job's details below; the operator's actions in the toolbar, the Job menu and the jobs
// table's context menu. Everything in it is fed by the PollController and the ConsoleActions: the
// window never reads the database itself nor calls the provider, so it never waits on either.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(ConsoleContext context, PollController& poll, QSettings& settings, QWidget* parent = nullptr);
    ~MainWindow() override;

    // The parts tests and screenshots drive.
    JobTableModel* jobModel() const { return m_jobs; }
    JobFilterProxyModel* jobProxy() const { return m_jobProxy; }
    RunTableModel* runModel() const { return m_runs; }
    QTableView* jobView() const { return m_jobView; }
    QTableView* runView() const { return m_runView; }
    StatusFilterBar* statusFilter() const { return m_statusFilter; }
    QLineEdit* searchBox() const { return m_search; }
    QToolButton* runFilterButton() const { return m_runFilterButton; }
    QComboBox* intervalBox() const { return m_intervalBox; }
    JobDetailsPanel* details() const { return m_details; }
    JobActionController* jobActions() const { return m_actions; }
    // The banner above the jobs table that tells how an action failed; empty while hidden.
    QString bannerText() const;
    std::optional<qint64> currentJobId() const;
    // What the empty jobs table says instead of rows, or an empty text while it shows rows.
    QString emptyStateText() const;

Q_SIGNALS:
    // The toolbar's Settings action: app/ opens the dialog (SettingsLauncher).
    void settingsRequested();

protected:
    void closeEvent(QCloseEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* buildRunsPanel();
    QWidget* buildJobsPanel();
    void buildToolBar();
    void buildStatusBar();
    void buildActions();
    QWidget* buildBanner();
    void showBanner(const QString& text);
    void onJobContextMenu(const QPoint& position);
    void onSelectionChanged();
    void onActionSucceeded(const batchdeck::ActionOutcome& outcome);
    void onActionFailed(const batchdeck::ActionOutcome& outcome);
    void configureJobView();
    void restoreLayout();
    void saveLayout();

    void onPolled(const batchdeck::PollResult& result);
    void onPollFailed(const QString& message);
    void onRecordsFailed(qint64 jobId, const QString& message);
    void onCurrentJobChanged();
    void onRunSelectionChanged();
    void onStatusChosen(std::optional<batchdeck::JobStatus> status);
    void onIntervalChosen(int index);
    void onClearRunFilter();
    void onClockTicked();
    void updateStatusCounts();
    void updateDetails();
    void updateEmptyState();

    ConsoleContext m_context;
    PollController& m_poll;
    QSettings& m_settings;

    JobTableModel* m_jobs = nullptr;
    JobFilterProxyModel* m_jobProxy = nullptr;
    RunTableModel* m_runs = nullptr;
    QSortFilterProxyModel* m_runProxy = nullptr;

    QSplitter* m_splitter = nullptr;
    QTableView* m_runView = nullptr;
    QTableView* m_jobView = nullptr;
    StatusFilterBar* m_statusFilter = nullptr;
    QLineEdit* m_search = nullptr;
    QToolButton* m_runFilterButton = nullptr;
    JobDetailsPanel* m_details = nullptr;
    JobActionController* m_actions = nullptr;
    QWidget* m_banner = nullptr;
    QLabel* m_bannerText = nullptr;
    QComboBox* m_intervalBox = nullptr;
    QLabel* m_pollLabel = nullptr;
    QLabel* m_errorLabel = nullptr;
    QLabel* m_emptyLabel = nullptr;

    QTimer m_clock; // repaints relative times ("3 min ago") once a second
    StatusCounts m_counts;
    bool m_loading = true; // until the first result arrives
};

} // namespace batchdeck
