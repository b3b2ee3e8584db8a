#pragma once

#include <optional>

#include <QWidget>

#include "store/JobSnapshot.h"

class QLabel;
class QPlainTextEdit;
class QTableView;

namespace batchdeck {

class ConsoleActions;
class RequestErrorTableModel;
struct ResultPage;

// What went wrong with a job: its error_details (the message on top, the whole JSON, such as the
// provider's validation errors with line numbers, pretty-printed below), then the per-request errors
// among its stored results (line, custom_id, code, message), read on the engine thread when the tab
// is shown: the first kMaxRows of them, with a count of the rest.
class JobErrorsTab : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kMaxRows = 500;

    explicit JobErrorsTab(QWidget* parent = nullptr);

    void setActions(ConsoleActions* actions);
    void showJob(const JobSnapshot& job);
    void clear();

    QString summary() const;
    QString details() const;
    RequestErrorTableModel* requestErrors() const { return m_model; }
    QTableView* requestErrorView() const { return m_view; }
    QLabel* requestErrorSummary() const { return m_requestSummary; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    void showDetails(const JobSnapshot& job);
    void loadRequestErrors();
    void onPageLoaded(const batchdeck::ResultPage& page);

    ConsoleActions* m_actions = nullptr;
    QLabel* m_summary = nullptr;
    QPlainTextEdit* m_details = nullptr;
    QLabel* m_requestSummary = nullptr;
    QTableView* m_view = nullptr;
    RequestErrorTableModel* m_model = nullptr;
    std::optional<JobSnapshot> m_job;
    quint64 m_request = 0; // the page asked for; 0 when none is awaited
    bool m_stale = true;   // the table does not show the job's current errors
};

} // namespace batchdeck
