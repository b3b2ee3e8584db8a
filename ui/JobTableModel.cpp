#include "JobTableModel.h"

#include <algorithm>

#include <QLocale>

#include "StatusStyle.h"
#include "TimeText.h"
#include "store/JobFeed.h"

namespace batchdeck {

namespace {

// The OpenAI Batch API's only completion window.
constexpr qint64 kCompletionWindowMs = 24LL * 60 * 60 * 1000;

// Everything a live update can change in a row: views re-read these roles for a changed span.
const QList<int> kChangedRoles = {Qt::DisplayRole,
                                  Qt::ToolTipRole,
                                  JobTableModel::StatusRole,
                                  JobTableModel::ProgressRole,
                                  JobTableModel::RequestTotalRole,
                                  JobTableModel::RequestCompletedRole,
                                  JobTableModel::RequestFailedRole,
                                  JobTableModel::UpdatedAtRole,
                                  JobTableModel::ExpiresAtRole};

QString errorMessage(const JobSnapshot& job)
{
    return job.errorDetails.value(QStringLiteral("message")).toString();
}

} // namespace

JobTableModel::JobTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

int JobTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_jobs.size());
}

int JobTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const JobSnapshot* JobTableModel::find(qint64 jobId) const
{
    const int row = rowOf(jobId);
    return row < 0 ? nullptr : &m_jobs.at(row);
}

qint64 JobTableModel::expiresAt(const JobSnapshot& job)
{
    if (job.status != JobStatus::Submitted)
        return 0;
    if (job.providerExpiresAt > 0)
        return job.providerExpiresAt;
    return job.submittedAt > 0 ? job.submittedAt + kCompletionWindowMs : 0;
}

double JobTableModel::progress(const JobSnapshot& job)
{
    if (job.requestTotal <= 0)
        return -1.0;
    return std::clamp(double(job.requestCompleted + job.requestFailed) / double(job.requestTotal), 0.0, 1.0);
}

QVariant JobTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const JobSnapshot& job = m_jobs.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(job, index.column());
    case Qt::ToolTipRole:
        return toolTipData(job, index.column());
    case Qt::TextAlignmentRole:
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case JobIdRole:
        return job.id;
    case StatusRole:
        return int(job.status);
    case ProgressRole:
        return progress(job);
    case RequestTotalRole:
        return job.requestTotal;
    case RequestCompletedRole:
        return job.requestCompleted;
    case RequestFailedRole:
        return job.requestFailed;
    case CreatedAtRole:
        return job.createdAt;
    case UpdatedAtRole:
        return job.updatedAt;
    case ExpiresAtRole:
        return expiresAt(job);
    default:
        return {};
    }
}

QVariant JobTableModel::displayData(const JobSnapshot& job, int column) const
{
    const QLocale locale;
    switch (column) {
    case RunColumn:
        return job.runId;
    case BatchTypeColumn:
        return job.batchType;
    case StatusColumn:
        return StatusStyle::label(job.status);
    case ProviderStatusColumn:
        return job.providerStatus;
    case ProgressColumn:
        if (job.requestTotal <= 0)
            return QString();
        return tr("%1 / %2").arg(locale.toString(job.requestCompleted + job.requestFailed),
                                 locale.toString(job.requestTotal));
    case BatchIdColumn:
        return job.llmBatchId;
    case AttemptColumn:
        return job.attempt;
    case AgeColumn:
        return TimeText::dateTime(job.createdAt);
    case UpdatedColumn:
        return TimeText::dateTime(job.updatedAt);
    case ExpiresColumn:
        return TimeText::dateTime(expiresAt(job));
    default:
        return {};
    }
}

QVariant JobTableModel::toolTipData(const JobSnapshot& job, int column) const
{
    const QLocale locale;
    switch (column) {
    case StatusColumn: {
        const QString message = errorMessage(job);
        return message.isEmpty() ? StatusStyle::tooltip(job.status)
                                 : StatusStyle::tooltip(job.status) + QStringLiteral("\n") + message;
    }
    case ProgressColumn:
        if (job.requestTotal <= 0)
            return tr("No request counts from the provider yet");
        return tr("%1 completed, %2 failed, %3 requests in all")
            .arg(locale.toString(job.requestCompleted),
                 locale.toString(job.requestFailed),
                 locale.toString(job.requestTotal));
    case AgeColumn:
        return tr("Created %1").arg(TimeText::dateTime(job.createdAt));
    case UpdatedColumn:
        return tr("Last change %1").arg(TimeText::dateTime(job.updatedAt));
    case ExpiresColumn:
        if (expiresAt(job) <= 0)
            return {};
        return tr("The provider expires the batch at %1").arg(TimeText::dateTime(expiresAt(job)));
    default:
        return displayData(job, column);
    }
}

QVariant JobTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case RunColumn:
            return tr("Run");
        case BatchTypeColumn:
            return tr("Batch type");
        case StatusColumn:
            return tr("Status");
        case ProviderStatusColumn:
            return tr("Provider");
        case ProgressColumn:
            return tr("Progress");
        case BatchIdColumn:
            return tr("Batch id");
        case AttemptColumn:
            return tr("Attempt");
        case AgeColumn:
            return tr("Age");
        case UpdatedColumn:
            return tr("Updated");
        case ExpiresColumn:
            return tr("Expires");
        }
    } else if (role == Qt::ToolTipRole) {
        switch (section) {
        case ProviderStatusColumn:
            return tr("The batch's status at the provider, as last seen");
        case ProgressColumn:
            return tr("Requests finished at the provider (completed and failed) out of all requests");
        case AgeColumn:
            return tr("Time since the job was created");
        case UpdatedColumn:
            return tr("Time since the job last changed");
        case ExpiresColumn:
            return tr("Time left before the provider expires a submitted batch");
        }
    }
    return {};
}

JobTableModel::MergeStats JobTableModel::merge(const QList<JobSnapshot>& jobs, const QList<qint64>& removedIds)
{
    MergeStats stats;
    QList<int> changedRows;
    // New jobs by their place in `jobs`: copied once, straight into the model.
    QList<qsizetype> added;
    QHash<qint64, qsizetype> addedIndex;
    for (qsizetype i = 0; i < jobs.size(); ++i) {
        const JobSnapshot& job = jobs.at(i);
        const int row = rowOf(job.id);
        if (row < 0) {
            // A delta may name a new job twice (seen in two overlapping reads): keep the last.
            if (auto it = addedIndex.constFind(job.id); it != addedIndex.constEnd()) {
                added[*it] = i;
            } else {
                addedIndex.insert(job.id, added.size());
                added.append(i);
            }
            continue;
        }
        JobSnapshot& current = m_jobs[row];
        if (sameJobState(current, job))
            continue;
        current = job;
        changedRows.append(row);
    }
    stats.changed = int(changedRows.size());
    stats.spans = emitChangedSpans(changedRows);
    stats.removed = removeJobs(removedIds);
    insertJobs(jobs, added);
    stats.inserted = int(added.size());
    if (stats.changed > 0 || stats.removed > 0 || stats.inserted > 0)
        Q_EMIT merged(stats);
    return stats;
}

int JobTableModel::emitChangedSpans(QList<int>& rows)
{
    if (rows.isEmpty())
        return 0;
    std::sort(rows.begin(), rows.end());
    // When most of the table changed, one range costs views less than thousands of small ones.
    if (rows.size() * 2 > m_jobs.size()) {
        Q_EMIT dataChanged(index(rows.first(), 0), index(rows.last(), ColumnCount - 1), kChangedRoles);
        return 1;
    }
    int spans = 0;
    qsizetype first = 0;
    for (qsizetype i = 1; i <= rows.size(); ++i) {
        if (i < rows.size() && rows.at(i) == rows.at(i - 1) + 1)
            continue;
        Q_EMIT dataChanged(index(rows.at(first), 0), index(rows.at(i - 1), ColumnCount - 1), kChangedRoles);
        ++spans;
        first = i;
    }
    return spans;
}

int JobTableModel::removeJobs(const QList<qint64>& ids)
{
    QList<int> rows;
    for (qint64 id : ids) {
        const int row = rowOf(id);
        if (row >= 0)
            rows.append(row);
    }
    if (rows.isEmpty())
        return 0;
    // Bottom up, so the rows still to remove keep their numbers.
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    qsizetype last = 0;
    for (qsizetype i = 1; i <= rows.size(); ++i) {
        if (i < rows.size() && rows.at(i) == rows.at(i - 1) - 1)
            continue;
        const int top = rows.at(i - 1);
        const int bottom = rows.at(last);
        beginRemoveRows({}, top, bottom);
        for (int row = top; row <= bottom; ++row)
            m_rowById.remove(m_jobs.at(row).id);
        m_jobs.remove(top, bottom - top + 1);
        endRemoveRows();
        last = i;
    }
    reindexFrom(rows.last());
    return int(rows.size());
}

void JobTableModel::insertJobs(const QList<JobSnapshot>& jobs, const QList<qsizetype>& which)
{
    if (which.isEmpty())
        return;
    const int first = int(m_jobs.size());
    beginInsertRows({}, first, first + int(which.size()) - 1);
    if (m_jobs.isEmpty() && which.size() == jobs.size()) {
        m_jobs = jobs; // the first load: share the list instead of copying 100,000 jobs
    } else {
        // No reserve(): an exact reserve per delivery would move every job and rehash every id each
        // time; growing geometrically keeps a load in parts linear.
        for (qsizetype i : which)
            m_jobs.append(jobs.at(i));
    }
    reindexFrom(first);
    endInsertRows();
}

void JobTableModel::reindexFrom(int row)
{
    for (int i = row; i < m_jobs.size(); ++i)
        m_rowById.insert(m_jobs.at(i).id, i);
}

} // namespace batchdeck
