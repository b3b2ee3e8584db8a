#pragma once

#include <optional>

#include <QHash>
#include <QWidget>

#include "store/JobFeed.h"

class QButtonGroup;
class QToolButton;

namespace batchdeck {

// The counts per status as one row of buttons: "All 1,204", "Submitted 37", "Failed 3"... One
// click shows only that status. The counts are of what the table would show without a status
// filter (all jobs, or the selected run's).
class StatusFilterBar : public QWidget
{
    Q_OBJECT

public:
    explicit StatusFilterBar(QWidget* parent = nullptr);

    void setCounts(const StatusCounts& counts);
    void setStatus(std::optional<JobStatus> status);
    std::optional<JobStatus> status() const { return m_status; }

    // The button of one status, or of "All" for std::nullopt.
    QToolButton* button(std::optional<JobStatus> status) const;

Q_SIGNALS:
    void statusChosen(std::optional<batchdeck::JobStatus> status);

private:
    void onClicked(int id);
    void updateTexts();

    QButtonGroup* m_group = nullptr;
    QHash<int, QToolButton*> m_buttons; // by button id: int(JobStatus), or one id for All
    StatusCounts m_counts;
    std::optional<JobStatus> m_status;
};

} // namespace batchdeck
