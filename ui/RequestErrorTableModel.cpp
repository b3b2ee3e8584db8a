#include "RequestErrorTableModel.h"

#include <algorithm>

#include <QLocale>

#include "StatusStyle.h"

namespace batchdeck {

RequestErrorTableModel::RequestErrorTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

int RequestErrorTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_errors.size());
}

int RequestErrorTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RequestErrorTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const BatchResult& error = m_errors.at(index.row());
    if (role == Qt::TextAlignmentRole && index.column() == LineColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && index.column() == CodeColumn)
        return StatusStyle::color(JobStatus::SubmissionFailed);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case LineColumn:
        return error.lineNumber > 0 ? QLocale().toString(error.lineNumber) : QString();
    case CustomIdColumn:
        return error.customId;
    case CodeColumn:
        if (!error.errorCode.isEmpty())
            return error.errorCode;
        return error.statusCode > 0 ? tr("HTTP %1").arg(error.statusCode) : tr("error");
    case MessageColumn: {
        if (role == Qt::ToolTipRole)
            return error.errorMessage;
        QString line = error.errorMessage;
        line.replace(QLatin1Char('\n'), QLatin1Char(' '));
        return line;
    }
    default:
        return {};
    }
}

QVariant RequestErrorTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole && section == LineColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && section == LineColumn)
        return tr("The line of the provider's output or error file the error came from");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case LineColumn:
        return tr("Line");
    case CustomIdColumn:
        return tr("custom_id");
    case CodeColumn:
        return tr("Code");
    case MessageColumn:
        return tr("Message");
    default:
        return {};
    }
}

void RequestErrorTableModel::setErrors(qint64 jobId, const QList<BatchResult>& errors, qint64 total)
{
    beginResetModel();
    m_jobId = jobId;
    m_errors = errors;
    // The store pages by custom_id; an operator reads errors against the provider's files, by line.
    std::stable_sort(m_errors.begin(), m_errors.end(), [](const BatchResult& a, const BatchResult& b) {
        return a.lineNumber < b.lineNumber;
    });
    m_total = qMax<qint64>(total, errors.size());
    endResetModel();
}

void RequestErrorTableModel::clear()
{
    setErrors(0, {}, 0);
}

} // namespace batchdeck
