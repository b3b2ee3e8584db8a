#pragma once

#include <optional>

#include <QSortFilterProxyModel>
#include <QStringList>
#include <QTimer>

#include "store/JobStatus.h"

namespace batchdeck {

class JobTableModel;

// Sorts and filters the jobs table: by status, by run and by words typed in the search box.
// Sorting is dynamic, so a job that changes moves to its place at once. Typing refilters only
// after a short pause: refiltering 100,000 rows per keystroke would make typing stutter.
class JobFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    static constexpr int kSearchDelayMs = 200;

    explicit JobFilterProxyModel(QObject* parent = nullptr);

    void setSourceModel(QAbstractItemModel* model) override;

    void setStatusFilter(std::optional<JobStatus> status);
    std::optional<JobStatus> statusFilter() const { return m_status; }

    void setRunFilter(const QString& runId);
    QString runFilter() const { return m_runId; }

    // Every word must appear (case-insensitive) in the run, batch type, batch or file ids, provider
    // status, status or job id. Applied after kSearchDelayMs; flushSearch() applies it at once.
    void setSearchText(const QString& text);
    QString searchText() const { return m_pendingText; }
    void flushSearch();

Q_SIGNALS:
    void filterApplied();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    void refilter();

    const JobTableModel* m_jobs = nullptr;
    std::optional<JobStatus> m_status;
    QString m_runId;
    QString m_pendingText;
    QStringList m_words;
    QTimer m_searchDelay;
};

} // namespace batchdeck
