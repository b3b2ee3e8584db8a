#include "MainWindow.h"

#include <algorithm>

#include <QAction>
#include <QCloseEvent>
#include <QComboBox>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include "ConsoleActions.h"
#include "JobActionController.h"
#include "JobDetailsPanel.h"
#include "JobFilterProxyModel.h"
#include "JobTableModel.h"
#include "PollController.h"
#include "ProgressDelegate.h"
#include "RelativeTimeDelegate.h"
#include "RunStatusDelegate.h"
#include "RunTableModel.h"
#include "StatusBadgeDelegate.h"
#include "StatusFilterBar.h"
#include "StatusStyle.h"
#include "TableSetup.h"
#include "TimeText.h"

namespace batchdeck {

namespace {

const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
const QString kSplitterKey = QStringLiteral("window/splitter");
const QString kJobHeaderKey = QStringLiteral("window/jobHeader");
const QString kRunHeaderKey = QStringLiteral("window/runHeader");

QLabel* sectionTitle(const QString& text)
{
    auto* label = new QLabel(text);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

} // namespace

MainWindow::MainWindow(ConsoleContext context, PollController& poll, QSettings& settings, QWidget* parent)
    : QMainWindow(parent)
    , m_context(std::move(context))
    , m_poll(poll)
    , m_settings(settings)
    , m_jobs(new JobTableModel(this))
    , m_jobProxy(new JobFilterProxyModel(this))
    , m_runs(new RunTableModel(this))
    , m_runProxy(new QSortFilterProxyModel(this))
{
    setWindowTitle(m_context.demo ? tr("Batchdeck — Demo") : tr("Batchdeck — %1").arg(m_context.databaseLabel));
    m_jobProxy->setSourceModel(m_jobs);
    m_runProxy->setSourceModel(m_runs);
    m_runProxy->setSortRole(RunTableModel::SortRole);
    m_runProxy->setDynamicSortFilter(true);

    // Runs, jobs and details stacked, each the window's full width: the jobs table has ten columns
    // and the details three columns of fields; side by side, both would be cut off.
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->addWidget(buildRunsPanel());
    m_splitter->addWidget(buildJobsPanel());
    m_details = new JobDetailsPanel(m_splitter);
    m_details->setActions(m_context.actions);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 4);
    m_splitter->setStretchFactor(2, 2);
    m_splitter->setSizes({150, 440, 250});
    m_splitter->setChildrenCollapsible(false);
    setCentralWidget(m_splitter);
    buildActions();
    buildToolBar();
    buildStatusBar();
    restoreLayout();
    updateEmptyState();

    connect(&m_poll, &PollController::polled, this, &MainWindow::onPolled);
    connect(&m_poll, &PollController::pollFailed, this, &MainWindow::onPollFailed);
    connect(&m_poll, &PollController::recordsLoaded, m_details, &JobDetailsPanel::setRecords);
    connect(&m_poll, &PollController::recordsFailed, this, &MainWindow::onRecordsFailed);
    connect(m_details, &JobDetailsPanel::recordsWanted, &m_poll, &PollController::loadRecords);
    connect(
        m_jobView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] { onCurrentJobChanged(); });
    connect(
        m_jobView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] { onSelectionChanged(); });
    // A filter that hides the current job also changes what the details should show.
    connect(m_jobProxy, &JobFilterProxyModel::filterApplied, this, &MainWindow::onCurrentJobChanged);
    connect(m_jobProxy, &JobFilterProxyModel::filterApplied, this, &MainWindow::updateEmptyState);
    connect(
        m_runView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] { onRunSelectionChanged(); });

    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &MainWindow::onClockTicked);
    m_clock.start();
}

MainWindow::~MainWindow() = default;

QWidget* MainWindow::buildRunsPanel()
{
    auto* panel = new QWidget;
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->setSpacing(4);
    layout->addWidget(sectionTitle(tr("Runs")));
    m_runView = new QTableView(panel);
    setUpTable(m_runView);
    m_runView->setSortingEnabled(true);
    m_runView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_runView->setModel(m_runProxy);
    m_runView->setItemDelegateForColumn(RunTableModel::StatusColumn, new RunStatusDelegate(m_runView));
    m_runView->sortByColumn(RunTableModel::CreatedColumn, Qt::DescendingOrder);
    m_runView->horizontalHeader()->setStretchLastSection(true);
    m_runView->setColumnWidth(RunTableModel::RunColumn, 300);
    m_runView->setColumnWidth(RunTableModel::CreatedColumn, 150);
    m_runView->setColumnWidth(RunTableModel::ItemsColumn, 80);
    m_runView->setColumnWidth(RunTableModel::JobsColumn, 60);
    m_runView->setToolTip(tr("Select a run to show only its jobs"));
    layout->addWidget(m_runView);
    return panel;
}

QWidget* MainWindow::buildJobsPanel()
{
    auto* panel = new QWidget;
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->setSpacing(4);

    auto* filters = new QHBoxLayout;
    filters->setSpacing(6);
    filters->addWidget(sectionTitle(tr("Jobs")));
    m_statusFilter = new StatusFilterBar(panel);
    filters->addWidget(m_statusFilter);
    filters->addStretch(1);
    m_runFilterButton = new QToolButton(panel);
    m_runFilterButton->setToolTip(tr("Show the jobs of every run"));
    m_runFilterButton->hide();
    filters->addWidget(m_runFilterButton);
    m_search = new QLineEdit(panel);
    m_search->setPlaceholderText(tr("Search run, batch type, batch id…"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(220);
    filters->addWidget(m_search);
    layout->addLayout(filters);

    m_jobView = new QTableView(panel);
    setUpTable(m_jobView);
    m_jobView->setSortingEnabled(true);
    m_jobView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_jobView->setModel(m_jobProxy);
    m_jobView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_jobView, &QWidget::customContextMenuRequested, this, &MainWindow::onJobContextMenu);
    configureJobView();
    layout->addWidget(buildBanner());
    layout->addWidget(m_jobView, 1);

    // An empty table says why it is empty: no jobs at all, or none through the filters.
    m_emptyLabel = new QLabel(m_jobView->viewport());
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setEnabled(false);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved}) {
        connect(m_jobProxy, signal, this, [this] { updateEmptyState(); });
    }
    connect(m_jobProxy, &QAbstractItemModel::modelReset, this, &MainWindow::updateEmptyState);
    connect(m_jobProxy, &QAbstractItemModel::layoutChanged, this, [this] { updateEmptyState(); });
    m_jobView->viewport()->installEventFilter(this);

    connect(m_statusFilter, &StatusFilterBar::statusChosen, this, &MainWindow::onStatusChosen);
    connect(m_search, &QLineEdit::textChanged, m_jobProxy, &JobFilterProxyModel::setSearchText);
    connect(m_runFilterButton, &QToolButton::clicked, this, &MainWindow::onClearRunFilter);
    auto* find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, m_search, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    addAction(find);
    return panel;
}

void MainWindow::configureJobView()
{
    m_jobView->setItemDelegateForColumn(JobTableModel::StatusColumn, new StatusBadgeDelegate(m_jobView));
    m_jobView->setItemDelegateForColumn(JobTableModel::ProgressColumn, new ProgressDelegate(m_jobView));
    m_jobView->setItemDelegateForColumn(
        JobTableModel::AgeColumn,
        new RelativeTimeDelegate(RelativeTimeDelegate::Mode::Duration, JobTableModel::CreatedAtRole, m_jobView));
    m_jobView->setItemDelegateForColumn(
        JobTableModel::UpdatedColumn,
        new RelativeTimeDelegate(RelativeTimeDelegate::Mode::Ago, JobTableModel::UpdatedAtRole, m_jobView));
    m_jobView->setItemDelegateForColumn(
        JobTableModel::ExpiresColumn,
        new RelativeTimeDelegate(RelativeTimeDelegate::Mode::Deadline, JobTableModel::ExpiresAtRole, m_jobView));
    const QList<QPair<int, int>> widths = {{JobTableModel::RunColumn, 300},
                                           {JobTableModel::BatchTypeColumn, 95},
                                           {JobTableModel::StatusColumn, 110},
                                           {JobTableModel::ProviderStatusColumn, 95},
                                           {JobTableModel::ProgressColumn, 150},
                                           {JobTableModel::BatchIdColumn, 170},
                                           {JobTableModel::AttemptColumn, 65},
                                           {JobTableModel::AgeColumn, 95},
                                           {JobTableModel::UpdatedColumn, 110}};
    for (const auto& [column, width] : widths)
        m_jobView->setColumnWidth(column, width);
    m_jobView->horizontalHeader()->setStretchLastSection(true);
    // Most recently changed first: what the operator came to see.
    m_jobView->sortByColumn(JobTableModel::UpdatedColumn, Qt::AscendingOrder);
}

QWidget* MainWindow::buildBanner()
{
    // How an action failed stays in sight until the operator closes it (or the next action succeeds):
    // a status bar message alone is gone before it is read.
    auto* banner = new QFrame;
    banner->setObjectName(QStringLiteral("actionBanner"));
    banner->setStyleSheet(
        QStringLiteral("#actionBanner { background: #fee2e2; border: 1px solid %1; border-radius: 3px; }"
                       " #actionBanner QLabel { color: #7f1d1d; }")
            .arg(StatusStyle::color(JobStatus::SubmissionFailed).name()));
    auto* layout = new QHBoxLayout(banner);
    layout->setContentsMargins(8, 4, 4, 4);
    auto* icon = new QLabel(banner);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(20, 20));
    m_bannerText = new QLabel(banner);
    m_bannerText->setWordWrap(true);
    m_bannerText->setTextFormat(Qt::PlainText);
    m_bannerText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* close = new QToolButton(banner);
    close->setText(QStringLiteral("✕"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Close this message"));
    connect(close, &QToolButton::clicked, banner, &QWidget::hide);
    layout->addWidget(icon, 0, Qt::AlignTop);
    layout->addWidget(m_bannerText, 1);
    layout->addWidget(close, 0, Qt::AlignTop);
    banner->hide();
    m_banner = banner;
    return banner;
}

void MainWindow::showBanner(const QString& text)
{
    m_bannerText->setText(text);
    m_banner->show();
}

QString MainWindow::bannerText() const
{
    return m_banner->isVisibleTo(this) ? m_bannerText->text() : QString();
}

void MainWindow::buildActions()
{
    m_actions = new JobActionController(
        m_context.actions,
        this,
        [this] {
            QList<SubmitDialog::RunChoice> runs;
            for (int row = 0; row < m_runs->rowCount(); ++row) {
                const QString runId = m_runs->index(row, 0).data(RunTableModel::RunIdRole).toString();
                if (const RunOverview* run = m_runs->find(runId))
                    runs.append({runId, run->summary.items});
            }
            std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.runId < b.runId; });
            return runs;
        },
        this);
    connect(m_actions, &JobActionController::actionStarted, this, [this](const QString& message) {
        statusBar()->showMessage(message, 10'000);
    });
    connect(m_actions, &JobActionController::actionSucceeded, this, &MainWindow::onActionSucceeded);
    connect(m_actions, &JobActionController::actionFailed, this, &MainWindow::onActionFailed);
    if (m_context.actions) {
        connect(m_context.actions, &ConsoleActions::startFailed, this, [this](const QString& message) {
            showBanner(tr("The engine did not start, so this console can only look: %1").arg(message));
        });
    }

    QMenu* menu = menuBar()->addMenu(tr("&Job"));
    menu->addActions(m_actions->allActions());
    menu->insertSeparator(m_actions->exportAction());
}

void MainWindow::buildToolBar()
{
    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    QAction* refresh = bar->addAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Refresh"));
    refresh->setShortcut(QKeySequence::Refresh);
    refresh->setToolTip(tr("Read every job again now (%1)").arg(refresh->shortcut().toString()));
    connect(refresh, &QAction::triggered, &m_poll, &PollController::refresh);
    bar->addSeparator();
    bar->addAction(m_actions->submitAction());
    bar->addAction(m_actions->retryAction());
    bar->addAction(m_actions->cancelAction());
    bar->addAction(m_actions->processAction());
    bar->addAction(m_actions->exportAction());
    bar->addSeparator();
    bar->addWidget(new QLabel(tr("Update every") + QLatin1Char(' ')));
    m_intervalBox = new QComboBox(bar);
    for (int seconds : PollController::intervalChoices())
        m_intervalBox->addItem(seconds == 0 ? tr("Off") : tr("%1 s").arg(seconds), seconds);
    m_intervalBox->setCurrentIndex(m_intervalBox->findData(m_poll.intervalSeconds()));
    m_intervalBox->setToolTip(tr("How often the console reads the database for changes"));
    bar->addWidget(m_intervalBox);
    connect(m_intervalBox, &QComboBox::activated, this, &MainWindow::onIntervalChosen);
    // The settings dialog changes the interval too.
    connect(&m_poll, &PollController::intervalChanged, m_intervalBox, [this](int seconds) {
        m_intervalBox->setCurrentIndex(m_intervalBox->findData(seconds));
    });
    bar->addSeparator();
    // The desktop's own settings icon where it has one; Qt's standard icons have no fitting one.
    QAction* settings = bar->addAction(QIcon::fromTheme(QStringLiteral("preferences-system")), tr("Settings…"));
    settings->setObjectName(QStringLiteral("settingsAction"));
    settings->setShortcut(QKeySequence::Preferences);
    connect(settings, &QAction::triggered, this, &MainWindow::settingsRequested);
}

void MainWindow::buildStatusBar()
{
    m_pollLabel = new QLabel(tr("Reading the database…"));
    m_errorLabel = new QLabel;
    m_errorLabel->setStyleSheet(
        QStringLiteral("color: %1; font-weight: bold;").arg(StatusStyle::color(JobStatus::SubmissionFailed).name()));
    m_errorLabel->hide();
    statusBar()->addWidget(m_pollLabel);
    statusBar()->addWidget(m_errorLabel, 1);
    if (m_context.demo) {
        auto* demo = new QLabel(tr("Demo: sample data"));
        demo->setStyleSheet(QStringLiteral("background: #f59e0b; color: #1f2937; font-weight: bold; padding: 1px 8px;"
                                           " border-radius: 3px;"));
        demo->setToolTip(tr("This console runs on a demo database: %1").arg(m_context.databaseLabel));
        statusBar()->addPermanentWidget(demo);
    }
    auto* database = new QLabel(m_context.databaseLabel);
    database->setTextInteractionFlags(Qt::TextSelectableByMouse);
    database->setToolTip(tr("The job database"));
    statusBar()->addPermanentWidget(database);
}

std::optional<qint64> MainWindow::currentJobId() const
{
    const QModelIndex current = m_jobView->selectionModel()->currentIndex();
    if (!current.isValid())
        return std::nullopt;
    return current.data(JobTableModel::JobIdRole).toLongLong();
}

void MainWindow::onJobContextMenu(const QPoint& position)
{
    // A right click on a row that is not selected acts on that row, as file managers do.
    const QModelIndex index = m_jobView->indexAt(position);
    if (index.isValid() && !m_jobView->selectionModel()->isRowSelected(index.row(), {}))
        m_jobView->selectRow(index.row());
    auto* menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->setObjectName(QStringLiteral("jobContextMenu"));
    menu->addActions(m_actions->allActions());
    menu->insertSeparator(m_actions->exportAction());
    menu->popup(m_jobView->viewport()->mapToGlobal(position));
}

void MainWindow::onSelectionChanged()
{
    QList<JobSnapshot> jobs;
    for (const QModelIndex& row : m_jobView->selectionModel()->selectedRows()) {
        if (const JobSnapshot* job = m_jobs->find(row.data(JobTableModel::JobIdRole).toLongLong()))
            jobs.append(*job);
    }
    m_actions->setSelection(jobs, m_jobProxy->runFilter());
}

void MainWindow::onActionSucceeded(const ActionOutcome& outcome)
{
    statusBar()->showMessage(tr("%1: %2").arg(actionName(outcome.kind), outcome.message), 15'000);
    m_banner->hide();
    // The job changed in the database: show it now, not at the next tick.
    m_poll.tick();
    // What the operator processed is what they want to see next.
    if (outcome.kind == ActionKind::Process && currentJobId() == outcome.jobId)
        m_details->tabs()->setCurrentIndex(JobDetailsPanel::ResultsPage);
}

void MainWindow::onActionFailed(const ActionOutcome& outcome)
{
    const QString job = outcome.runId.isEmpty() ? (outcome.jobId ? tr("job %1").arg(outcome.jobId) : QString())
                                                : tr("'%1' of run %2").arg(outcome.batchType, outcome.runId);
    statusBar()->showMessage(tr("%1 failed: %2").arg(actionName(outcome.kind), outcome.message), 15'000);
    showBanner(tr("%1 failed for %2 [%3]: %4").arg(actionName(outcome.kind), job, outcome.errorCode, outcome.message));
    m_poll.tick();
}

void MainWindow::onPolled(const PollResult& result)
{
    m_loading = false;
    m_jobs->merge(result.jobs, result.removedIds);
    m_runs->merge(result.runs, result.removedRunIds);
    if (result.counts)
        m_counts = *result.counts;
    updateStatusCounts();
    updateDetails();
    updateEmptyState();
    onSelectionChanged(); // the selected jobs' statuses decide which actions are enabled
    m_errorLabel->hide();
    const QLocale locale;
    if (result.partial) {
        m_pollLabel->setText(tr("Loading jobs: %1 of %2 listed…")
                                 .arg(locale.toString(result.jobCount), locale.toString(m_counts.total())));
    } else {
        m_pollLabel->setText(
            tr("%1 jobs · updated %2").arg(locale.toString(result.jobCount), TimeText::dateTime(result.polledAt)));
    }
    m_pollLabel->setToolTip(tr("The last read took %1 ms").arg(result.readMs));
}

void MainWindow::onPollFailed(const QString& message)
{
    m_errorLabel->setText(tr("Cannot read the database: %1").arg(message));
    m_errorLabel->setToolTip(message);
    m_errorLabel->show();
}

void MainWindow::onRecordsFailed(qint64 jobId, const QString& message)
{
    m_errorLabel->setText(tr("Cannot read the history of job %1: %2").arg(jobId).arg(message));
    m_errorLabel->setToolTip(message);
    m_errorLabel->show();
}

void MainWindow::onCurrentJobChanged()
{
    updateDetails();
}

void MainWindow::updateDetails()
{
    const std::optional<qint64> id = currentJobId();
    m_details->showJob(id ? m_jobs->find(*id) : nullptr);
}

void MainWindow::onRunSelectionChanged()
{
    const QModelIndexList rows = m_runView->selectionModel()->selectedRows();
    const QString runId = rows.isEmpty() ? QString() : rows.first().data(RunTableModel::RunIdRole).toString();
    m_jobProxy->setRunFilter(runId);
    m_runFilterButton->setText(tr("Run: %1  ✕").arg(runId));
    m_runFilterButton->setVisible(!runId.isEmpty());
    updateStatusCounts();
    onSelectionChanged(); // the Submit dialog starts with the chosen run
}

void MainWindow::onClearRunFilter()
{
    m_runView->clearSelection();
}

void MainWindow::onStatusChosen(std::optional<JobStatus> status)
{
    m_jobProxy->setStatusFilter(status);
}

void MainWindow::onIntervalChosen(int index)
{
    m_poll.setIntervalSeconds(m_intervalBox->itemData(index).toInt());
}

void MainWindow::updateStatusCounts()
{
    const QString runId = m_jobProxy->runFilter();
    if (runId.isEmpty()) {
        m_statusFilter->setCounts(m_counts);
    } else {
        const RunOverview* run = m_runs->find(runId);
        m_statusFilter->setCounts(run ? run->counts : StatusCounts());
    }
}

QString MainWindow::emptyStateText() const
{
    return m_emptyLabel->isVisibleTo(m_jobView) ? m_emptyLabel->text() : QString();
}

void MainWindow::updateEmptyState()
{
    if (m_jobProxy->rowCount() > 0) {
        m_emptyLabel->hide();
        return;
    }
    if (m_loading)
        m_emptyLabel->setText(tr("Reading the jobs…"));
    else if (m_jobs->rowCount() == 0)
        m_emptyLabel->setText(tr("No jobs yet. A job appears here as soon as Airflow, batchdeck-cli or another "
                                 "console submits a batch type for a run."));
    else
        m_emptyLabel->setText(tr("No job matches the status, run and search filters."));
    m_emptyLabel->setGeometry(m_jobView->viewport()->rect().adjusted(24, 24, -24, -24));
    m_emptyLabel->show();
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_jobView->viewport() && event->type() == QEvent::Resize && m_emptyLabel->isVisible())
        m_emptyLabel->setGeometry(m_jobView->viewport()->rect().adjusted(24, 24, -24, -24));
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::onClockTicked()
{
    if (isVisible())
        m_jobView->viewport()->update();
}

void MainWindow::restoreLayout()
{
    restoreGeometry(m_settings.value(kGeometryKey).toByteArray());
    restoreState(m_settings.value(kStateKey).toByteArray());
    m_splitter->restoreState(m_settings.value(kSplitterKey).toByteArray());
    m_jobView->horizontalHeader()->restoreState(m_settings.value(kJobHeaderKey).toByteArray());
    m_runView->horizontalHeader()->restoreState(m_settings.value(kRunHeaderKey).toByteArray());
}

void MainWindow::saveLayout()
{
    m_settings.setValue(kGeometryKey, saveGeometry());
    m_settings.setValue(kStateKey, saveState());
    m_settings.setValue(kSplitterKey, m_splitter->saveState());
    m_settings.setValue(kJobHeaderKey, m_jobView->horizontalHeader()->saveState());
    m_settings.setValue(kRunHeaderKey, m_runView->horizontalHeader()->saveState());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveLayout();
    QMainWindow::closeEvent(event);
}

} // namespace batchdeck
