#pragma once

#include <optional>

#include <QSet>
#include <QWidget>

#include "store/JobSnapshot.h"

class QComboBox;
class QLabel;
class QTableView;

namespace batchdeck {

class ConsoleActions;
class ResultTableModel;
struct ResultPage;

// A job's stored results: custom_id, ok or the error code, a preview of the content (or the error
// message) and tokens, filtered by success or error, read a page at a time on the engine thread.
// Reloads only when the job's results changed (it was processed again), never on every tick.
class ResultsTab : public QWidget
{
    Q_OBJECT

public:
    explicit ResultsTab(QWidget* parent = nullptr);

    void setActions(ConsoleActions* actions);
    void showJob(const JobSnapshot& job);
    void clear();

    ResultTableModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QComboBox* filterBox() const { return m_filter; }
    QLabel* summary() const { return m_summary; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    void reload();
    void onPageLoaded(const batchdeck::ResultPage& page);
    void updateSummary();

    ConsoleActions* m_actions = nullptr;
    ResultTableModel* m_model = nullptr;
    QTableView* m_view = nullptr;
    QComboBox* m_filter = nullptr;
    QLabel* m_summary = nullptr;
    std::optional<JobSnapshot> m_job;
    QSet<quint64> m_requests; // pages asked for and not answered yet; other answers are not ours
    bool m_stale = true;      // the shown rows are not the job's current results
};

} // namespace batchdeck
