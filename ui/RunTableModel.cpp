#include "RunTableModel.h"

#include <algorithm>

#include <QLocale>

#include "StatusStyle.h"
#include "TimeText.h"

namespace batchdeck {

namespace {

const QList<int> kChangedRoles = {Qt::DisplayRole, Qt::ToolTipRole, RunTableModel::SortRole, RunTableModel::CountsRole};

QString countsText(const StatusCounts& counts)
{
    QStringList parts;
    for (JobStatus status : allJobStatuses()) {
        if (const qint64 n = counts.count(status); n > 0)
            parts << QStringLiteral("%1 %2").arg(QLocale().toString(n), StatusStyle::label(status));
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

RunTableModel::RunTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

int RunTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const RunOverview* RunTableModel::find(const QString& runId) const
{
    const int row = rowOf(runId);
    return row < 0 ? nullptr : &m_runs.at(row);
}

QVariant RunTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunOverview& run = m_runs.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(run, index.column());
    case Qt::ToolTipRole:
        if (index.column() == StatusColumn)
            return countsText(run.counts);
        if (index.column() == CreatedColumn)
            return TimeText::dateTime(run.summary.createdAt);
        return displayData(run, index.column());
    case Qt::TextAlignmentRole:
        if (index.column() == ItemsColumn || index.column() == JobsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case RunIdRole:
        return run.summary.runId;
    case SortRole:
        switch (index.column()) {
        case RunColumn:
            return run.summary.runId;
        case CreatedColumn:
            return run.summary.createdAt;
        case ItemsColumn:
            return run.summary.items;
        case JobsColumn:
            return run.summary.jobs;
        case StatusColumn:
            // Runs with failures first when sorted descending: they need the operator.
            return run.counts.count(JobStatus::SubmissionFailed) * 1'000'000'000LL + run.summary.jobs;
        }
        return {};
    case CountsRole: {
        QVariantList counts;
        for (JobStatus status : allJobStatuses())
            counts.append(run.counts.count(status));
        return counts;
    }
    default:
        return {};
    }
}

QVariant RunTableModel::displayData(const RunOverview& run, int column) const
{
    switch (column) {
    case RunColumn:
        return run.summary.runId;
    case CreatedColumn:
        return TimeText::dateTime(run.summary.createdAt);
    case ItemsColumn:
        return QLocale().toString(run.summary.items);
    case JobsColumn:
        return QLocale().toString(run.summary.jobs);
    case StatusColumn:
        return countsText(run.counts);
    }
    return {};
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RunColumn:
        return tr("Run");
    case CreatedColumn:
        return tr("Created");
    case ItemsColumn:
        return tr("Items");
    case JobsColumn:
        return tr("Jobs");
    case StatusColumn:
        return tr("Jobs by status");
    }
    return {};
}

void RunTableModel::merge(const QList<RunOverview>& runs, const QStringList& removedIds)
{
    QList<RunOverview> added;
    QList<int> changed;
    for (const RunOverview& run : runs) {
        const int row = rowOf(run.summary.runId);
        if (row < 0) {
            added.append(run);
        } else if (!sameRun(m_runs.at(row), run)) {
            m_runs[row] = run;
            changed.append(row);
        }
    }
    std::sort(changed.begin(), changed.end());
    for (qsizetype first = 0, i = 1; i <= changed.size(); ++i) {
        if (i < changed.size() && changed.at(i) == changed.at(i - 1) + 1)
            continue;
        Q_EMIT dataChanged(index(changed.at(first), 0), index(changed.at(i - 1), ColumnCount - 1), kChangedRoles);
        first = i;
    }

    QList<int> removed;
    for (const QString& id : removedIds) {
        if (const int row = rowOf(id); row >= 0)
            removed.append(row);
    }
    if (!removed.isEmpty()) {
        // Bottom up, one removal per contiguous block, so the rows still to remove keep their numbers.
        std::sort(removed.begin(), removed.end(), std::greater<int>());
        for (qsizetype last = 0, i = 1; i <= removed.size(); ++i) {
            if (i < removed.size() && removed.at(i) == removed.at(i - 1) - 1)
                continue;
            const int top = removed.at(i - 1);
            const int bottom = removed.at(last);
            beginRemoveRows({}, top, bottom);
            m_runs.remove(top, bottom - top + 1);
            endRemoveRows();
            last = i;
        }
        m_rowById.clear();
        for (int i = 0; i < m_runs.size(); ++i)
            m_rowById.insert(m_runs.at(i).summary.runId, i);
    }

    if (!added.isEmpty()) {
        const int first = int(m_runs.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (const RunOverview& run : std::as_const(added)) {
            m_rowById.insert(run.summary.runId, int(m_runs.size()));
            m_runs.append(run);
        }
        endInsertRows();
    }
}

} // namespace batchdeck
