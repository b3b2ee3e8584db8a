#pragma once

#include <QStyledItemDelegate>

namespace batchdeck {

// Paints the status column as a coloured badge (StatusStyle), so failed and finished jobs stand
// out in a long table. Reads the status from JobTableModel::StatusRole.
class StatusBadgeDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace batchdeck
