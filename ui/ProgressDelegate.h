#pragma once

#include <QStyledItemDelegate>

namespace batchdeck {

// Paints the progress column as a bar from the provider's request_counts: green for completed
// requests, red for failed ones, with "done / total" on top. Reads JobTableModel's request roles.
class ProgressDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace batchdeck
