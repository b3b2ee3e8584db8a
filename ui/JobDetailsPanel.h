#pragma once

#include <optional>

#include <QWidget>

#include "JobRecords.h"
#include "store/JobSnapshot.h"

class QLabel;
class QStackedWidget;
class QTabWidget;

namespace batchdeck {

class ConsoleActions;
class JobErrorsTab;
class JobEventsTab;
class JobOverviewTab;
class ProviderBatchesTab;
class RequestPreviewTab;
class ResultsTab;

// The details of the selected job: overview, errors, event history, provider batches, results and
// the request preview. Follows
// the job live: when a tick changes it, the tabs show the new state and its records (events,
// batches) are asked for again.
class JobDetailsPanel : public QWidget
{
    Q_OBJECT

public:
    enum Page
    {
        OverviewPage,
        ErrorsPage,
        EventsPage,
        BatchesPage,
        ResultsPage,
        RequestPreviewPage,
    };

    explicit JobDetailsPanel(QWidget* parent = nullptr);

    // The job to show, or nullptr for none.
    void showJob(const JobSnapshot* job);
    void setRecords(const JobRecords& records);
    // The engine that reads results and renders request previews; none: those tabs say so.
    void setActions(ConsoleActions* actions);
    std::optional<qint64> jobId() const;

    QTabWidget* tabs() const { return m_tabs; }
    JobOverviewTab* overview() const { return m_overview; }
    JobErrorsTab* errors() const { return m_errors; }
    JobEventsTab* events() const { return m_events; }
    ProviderBatchesTab* batches() const { return m_batches; }
    ResultsTab* results() const { return m_results; }
    RequestPreviewTab* requestPreview() const { return m_requestPreview; }

Q_SIGNALS:
    // The records of `jobId` are needed (another job was selected, or the job changed).
    void recordsWanted(qint64 jobId);

private:
    QLabel* m_title = nullptr;
    QStackedWidget* m_stack = nullptr;
    QTabWidget* m_tabs = nullptr;
    JobOverviewTab* m_overview = nullptr;
    JobErrorsTab* m_errors = nullptr;
    JobEventsTab* m_events = nullptr;
    ProviderBatchesTab* m_batches = nullptr;
    ResultsTab* m_results = nullptr;
    RequestPreviewTab* m_requestPreview = nullptr;
    std::optional<JobSnapshot> m_job;
};

} // namespace batchdeck
