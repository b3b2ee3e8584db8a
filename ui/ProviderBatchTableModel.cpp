#include "ProviderBatchTableModel.h"

#include <QLocale>

#include "JobTableModel.h"
#include "TimeText.h"

namespace batchdeck {

namespace {

bool sameBatch(const ProviderBatchRecord& a, const ProviderBatchRecord& b)
{
    return a.updatedAt == b.updatedAt && a.providerStatus == b.providerStatus && a.llmBatchId == b.llmBatchId &&
           a.requestTotal == b.requestTotal && a.requestCompleted == b.requestCompleted &&
           a.requestFailed == b.requestFailed && a.inputFileId == b.inputFileId && a.outputFileId == b.outputFileId &&
           a.errorFileId == b.errorFileId && a.raw == b.raw;
}

} // namespace

ProviderBatchTableModel::ProviderBatchTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

int ProviderBatchTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_batches.size());
}

int ProviderBatchTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProviderBatchTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ProviderBatchRecord& batch = m_batches.at(index.row());
    // The request roles are JobTableModel's, so the jobs table's progress bar paints here too.
    switch (role) {
    case JobTableModel::RequestTotalRole:
        return batch.requestTotal;
    case JobTableModel::RequestCompletedRole:
        return batch.requestCompleted;
    case JobTableModel::RequestFailedRole:
        return batch.requestFailed;
    case Qt::ToolTipRole:
        if (index.column() == UpdatedColumn)
            return TimeText::dateTime(batch.updatedAt);
        return data(index, Qt::DisplayRole);
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    const QLocale locale;
    switch (index.column()) {
    case AttemptColumn:
        return batch.attempt;
    case ShardColumn:
        return batch.shard;
    case BatchIdColumn:
        return batch.llmBatchId;
    case StatusColumn:
        return batch.providerStatus;
    case ProgressColumn:
        if (batch.requestTotal <= 0)
            return QString();
        return tr("%1 / %2").arg(locale.toString(batch.requestCompleted + batch.requestFailed),
                                 locale.toString(batch.requestTotal));
    case InputFileColumn:
        return batch.inputFileId;
    case OutputFileColumn:
        return batch.outputFileId;
    case ErrorFileColumn:
        return batch.errorFileId;
    case UpdatedColumn:
        return TimeText::dateTime(batch.updatedAt);
    }
    return {};
}

QVariant ProviderBatchTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case AttemptColumn:
        return tr("Attempt");
    case ShardColumn:
        return tr("Shard");
    case BatchIdColumn:
        return tr("Batch id");
    case StatusColumn:
        return tr("Provider status");
    case ProgressColumn:
        return tr("Requests");
    case InputFileColumn:
        return tr("Input file");
    case OutputFileColumn:
        return tr("Output file");
    case ErrorFileColumn:
        return tr("Error file");
    case UpdatedColumn:
        return tr("Updated");
    }
    return {};
}

void ProviderBatchTableModel::setBatches(qint64 jobId, const QList<ProviderBatchRecord>& batches)
{
    if (jobId != m_jobId) {
        beginResetModel();
        m_jobId = jobId;
        m_batches = batches;
        endResetModel();
        return;
    }
    // The same job: its batches only grow (attempts and shards are never deleted) and change.
    QList<ProviderBatchRecord> added;
    for (const ProviderBatchRecord& batch : batches) {
        int row = -1;
        for (int i = 0; i < m_batches.size(); ++i) {
            if (m_batches.at(i).id == batch.id) {
                row = i;
                break;
            }
        }
        if (row < 0) {
            added.append(batch);
        } else if (!sameBatch(m_batches.at(row), batch)) {
            m_batches[row] = batch;
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        }
    }
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_batches.size()), int(m_batches.size() + added.size()) - 1);
        m_batches.append(added);
        endInsertRows();
    }
}

void ProviderBatchTableModel::clear()
{
    setBatches(0, {});
}

} // namespace batchdeck
