#include "EventTableModel.h"

#include "StatusStyle.h"
#include "TimeText.h"

namespace batchdeck {

namespace {

QString statusText(const QString& name)
{
    const auto status = jobStatusFromString(name);
    return status ? StatusStyle::label(*status) : name;
}

bool extends(const QList<JobEvent>& longer, const QList<JobEvent>& shorter)
{
    if (longer.size() < shorter.size())
        return false;
    for (qsizetype i = 0; i < shorter.size(); ++i) {
        if (longer.at(i).id != shorter.at(i).id)
            return false;
    }
    return true;
}

} // namespace

EventTableModel::EventTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

int EventTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const JobEvent& event = m_events.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case WhenColumn:
            return TimeText::dateTime(event.at);
        case ActorColumn:
            return event.actor;
        case ChangeColumn:
            if (event.fromStatus.isEmpty())
                return tr("created as %1").arg(statusText(event.toStatus));
            if (event.fromStatus == event.toStatus)
                return tr("%1 (no change)").arg(statusText(event.toStatus));
            return tr("%1 → %2").arg(statusText(event.fromStatus), statusText(event.toStatus));
        case MessageColumn:
            return event.message;
        }
    } else if (role == Qt::ToolTipRole) {
        if (index.column() == ChangeColumn)
            return event.fromStatus.isEmpty() ? event.toStatus
                                              : event.fromStatus + QStringLiteral(" → ") + event.toStatus;
        return data(index, Qt::DisplayRole);
    }
    return {};
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case WhenColumn:
        return tr("When");
    case ActorColumn:
        return tr("Who");
    case ChangeColumn:
        return tr("Change");
    case MessageColumn:
        return tr("Why");
    }
    return {};
}

void EventTableModel::setEvents(qint64 jobId, const QList<JobEvent>& events)
{
    if (jobId == m_jobId && extends(events, m_events)) {
        if (events.size() == m_events.size())
            return;
        beginInsertRows({}, int(m_events.size()), int(events.size()) - 1);
        m_events = events;
        endInsertRows();
        return;
    }
    beginResetModel();
    m_jobId = jobId;
    m_events = events;
    endResetModel();
}

void EventTableModel::clear()
{
    setEvents(0, {});
}

} // namespace batchdeck
