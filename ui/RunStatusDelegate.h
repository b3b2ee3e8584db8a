#pragma once

#include <QStyledItemDelegate>

namespace batchdeck {

// Paints a run's jobs per status as a row of small coloured counts (the badge colours), so a run
// with failures shows red at a glance. Reads RunTableModel::CountsRole; the tooltip names them.
class RunStatusDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace batchdeck
