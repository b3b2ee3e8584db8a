#pragma once

#include <optional>

#include <QWidget>

#include "store/JobSnapshot.h"

class QLabel;
class QPlainTextEdit;

namespace batchdeck {

class ConsoleActions;
struct RequestPreviewPage;

// The first lines of the JSONL a job sent or would send. Sent (the job has an input file): the head of
// that file, read back from the provider on the engine thread, labelled "as sent". Not sent yet:
// rendered now, on the engine thread, from the run's items (or the earlier stage's results) with the
// job's batch type, as a submit renders them, labelled "as it will be sent". Read when the tab is
// shown, again when the job's attempt or input file changes.
class RequestPreviewTab : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kLines = 20;

    explicit RequestPreviewTab(QWidget* parent = nullptr);

    void setActions(ConsoleActions* actions);
    void showJob(const JobSnapshot& job);
    void clear();

    QString text() const;
    QLabel* header() const { return m_header; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    void load();
    void onLoaded(const batchdeck::RequestPreviewPage& page);

    ConsoleActions* m_actions = nullptr;
    QLabel* m_header = nullptr;
    QPlainTextEdit* m_text = nullptr;
    std::optional<JobSnapshot> m_job;
    quint64 m_request = 0;
    bool m_stale = true;
};

} // namespace batchdeck
