#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include "store/JobSnapshot.h"

namespace batchdeck {

// The jobs table: one row per job, in the order jobs first appeared; sorting and filtering are
// the proxy's. Live updates arrive as deltas (merge()): changed rows are announced with one
// dataChanged per contiguous span, new jobs are inserted, gone jobs removed. It never resets on
// an update, so views keep their selection, current row and scroll position.
//
// The model holds no clock: times are epoch values in roles, and delegates turn them into
// "3 min ago" when they paint, so the passing of time costs no model signal.
class JobTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        RunColumn,
        BatchTypeColumn,
        StatusColumn,
        ProviderStatusColumn,
        ProgressColumn,
        BatchIdColumn,
        AttemptColumn,
        AgeColumn,
        UpdatedColumn,
        ExpiresColumn,
        ColumnCount
    };

    enum Role
    {
        JobIdRole = Qt::UserRole + 1, // qint64
        StatusRole,                   // int, a JobStatus
        ProgressRole,                 // double 0..1 of requests finished (completed + failed), -1 when unknown
        RequestTotalRole,             // qint64
        RequestCompletedRole,         // qint64
        RequestFailedRole,            // qint64
        CreatedAtRole,                // qint64 epoch ms
        UpdatedAtRole,                // qint64 epoch ms
        ExpiresAtRole,                // qint64 epoch ms; 0 when the job has no provider deadline
    };

    // What one merge did; `spans` counts the dataChanged signals it emitted.
    struct MergeStats
    {
        int changed = 0;
        int inserted = 0;
        int removed = 0;
        int spans = 0;
    };

    explicit JobTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Applies new and changed jobs and removes `removedIds`. Jobs equal to what the model already
    // holds are skipped, so a delta may safely repeat jobs.
    MergeStats merge(const QList<JobSnapshot>& jobs, const QList<qint64>& removedIds = {});

    const JobSnapshot& jobAt(int row) const { return m_jobs.at(row); }
    int rowOf(qint64 jobId) const { return m_rowById.value(jobId, -1); }
    const JobSnapshot* find(qint64 jobId) const;

    // When a submitted batch must be done by: the provider's expires_at, else 24 h (the Batch API's
    // completion window) after submission. 0 when the job is not waiting on the provider.
    static qint64 expiresAt(const JobSnapshot& job);
    // Requests finished (completed or failed) out of the total, or -1 when the total is unknown.
    static double progress(const JobSnapshot& job);

Q_SIGNALS:
    void merged(const batchdeck::JobTableModel::MergeStats& stats);

private:
    QVariant displayData(const JobSnapshot& job, int column) const;
    QVariant toolTipData(const JobSnapshot& job, int column) const;
    int emitChangedSpans(QList<int>& rows);
    int removeJobs(const QList<qint64>& ids);
    void insertJobs(const QList<JobSnapshot>& jobs, const QList<qsizetype>& which);
    void reindexFrom(int row);

    QList<JobSnapshot> m_jobs;
    QHash<qint64, int> m_rowById;
};

} // namespace batchdeck
