#include "ResultTableModel.h"

#include <QLocale>

#include "StatusStyle.h"

namespace batchdeck {

ResultTableModel::ResultTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

int ResultTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ResultTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ResultTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const BatchResult& result = m_rows.at(index.row());
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case CustomIdColumn:
            return result.customId;
        case OutcomeColumn:
            if (result.ok)
                return tr("ok");
            return result.errorCode.isEmpty() ? tr("error") : result.errorCode;
        case ContentColumn: {
            const QString text = result.ok ? result.content : result.errorMessage;
            if (role == Qt::ToolTipRole)
                return text;
            QString line = text;
            line.replace(QLatin1Char('\n'), QLatin1Char(' '));
            return line;
        }
        case InputTokensColumn:
            return result.inputTokens > 0 ? QLocale().toString(result.inputTokens) : QString();
        case OutputTokensColumn:
            return result.outputTokens > 0 ? QLocale().toString(result.outputTokens) : QString();
        default:
            return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == OutcomeColumn)
        return StatusStyle::color(result.ok ? JobStatus::Completed : JobStatus::SubmissionFailed);
    if (role == Qt::TextAlignmentRole && (index.column() == InputTokensColumn || index.column() == OutputTokensColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant ResultTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole && (section == InputTokensColumn || section == OutputTokensColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case CustomIdColumn:
        return tr("custom_id");
    case OutcomeColumn:
        return tr("Result");
    case ContentColumn:
        return tr("Content or error");
    case InputTokensColumn:
        return tr("Input tokens");
    case OutputTokensColumn:
        return tr("Output tokens");
    default:
        return {};
    }
}

bool ResultTableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_jobId != 0 && !m_waiting && m_total >= 0 && m_rows.size() < m_total;
}

void ResultTableModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    m_waiting = true;
    Q_EMIT morePagesWanted(m_jobId, m_kind, int(m_rows.size()));
}

void ResultTableModel::reset(qint64 jobId, ResultFilter::Kind kind)
{
    beginResetModel();
    m_jobId = jobId;
    m_kind = kind;
    m_rows.clear();
    m_total = -1;
    m_waiting = jobId != 0;
    endResetModel();
    if (jobId != 0)
        Q_EMIT morePagesWanted(jobId, kind, 0);
}

void ResultTableModel::clear()
{
    reset(0, m_kind);
}

void ResultTableModel::appendPage(const ResultPage& page)
{
    if (page.jobId != m_jobId || page.kind != m_kind || page.offset != m_rows.size() || !m_waiting)
        return;
    m_total = page.error.isEmpty() ? page.total : m_rows.size();
    if (page.rows.isEmpty()) {
        m_waiting = false;
        return;
    }
    // Still waiting while the rows go in: a view (or QAbstractItemModelTester) that asks for more from
    // a rowsAboutToBeInserted handler would otherwise ask again for the offset being inserted.
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.rows.size() - 1));
    m_rows += page.rows;
    endInsertRows();
    m_waiting = false;
}

} // namespace batchdeck
