#pragma once

#include <functional>

#include <QStyledItemDelegate>

namespace batchdeck {

// Shows an epoch time of the model (a role) relative to now: "3 min ago", "2 h" or "in 5 h 10 min".
// Computed at paint time, so the view stays current by repainting; the model emits nothing for the
// passing of time. A deadline less than an hour away, or past, is painted red.
class RelativeTimeDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    enum class Mode
    {
        Ago,      // "3 min ago"
        Duration, // "3 min" (an age)
        Deadline, // "in 2 h 5 m", "expired 3 min ago"
    };

    RelativeTimeDelegate(Mode mode, int timeRole, QObject* parent = nullptr);

    // Where "now" comes from; the wall clock unless a test or a screenshot sets it.
    void setNow(std::function<qint64()> now) { m_now = std::move(now); }

    QString text(const QModelIndex& index) const;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;

private:
    Mode m_mode;
    int m_timeRole;
    std::function<qint64()> m_now;
};

} // namespace batchdeck
