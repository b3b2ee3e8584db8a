#include "RelativeTimeDelegate.h"

#include <QDateTime>

#include "StatusStyle.h"
#include "TimeText.h"

namespace batchdeck {

namespace {
constexpr qint64 kUrgentMs = 60LL * 60 * 1000;
}

RelativeTimeDelegate::RelativeTimeDelegate(Mode mode, int timeRole, QObject* parent)
    : QStyledItemDelegate(parent)
    , m_mode(mode)
    , m_timeRole(timeRole)
    , m_now([] { return QDateTime::currentMSecsSinceEpoch(); })
{}

QString RelativeTimeDelegate::text(const QModelIndex& index) const
{
    const qint64 time = index.data(m_timeRole).toLongLong();
    if (time <= 0)
        return {};
    const qint64 now = m_now();
    switch (m_mode) {
    case Mode::Ago:
        return TimeText::ago(time, now);
    case Mode::Duration:
        return TimeText::duration(now - time);
    case Mode::Deadline:
        return TimeText::until(time, now);
    }
    return {};
}

void RelativeTimeDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    option->text = text(index);
    if (m_mode == Mode::Deadline) {
        const qint64 time = index.data(m_timeRole).toLongLong();
        if (time > 0 && time - m_now() < kUrgentMs) {
            const QColor urgent = StatusStyle::color(JobStatus::SubmissionFailed);
            option->palette.setColor(QPalette::Text, urgent);
            option->palette.setColor(QPalette::HighlightedText, urgent.lighter(170));
        }
    }
}

} // namespace batchdeck
