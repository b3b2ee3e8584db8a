#include "StatusBadgeDelegate.h"

#include <QApplication>
#include <QPainter>

#include "JobTableModel.h"
#include "StatusStyle.h"

namespace batchdeck {

namespace {
constexpr int kMargin = 4;
}

void StatusBadgeDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt(option);
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear(); // the style paints background, selection and focus; the badge is ours
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const auto status = JobStatus(index.data(JobTableModel::StatusRole).toInt());
    StatusStyle::paintBadge(
        painter, opt.rect.adjusted(kMargin, 1, -kMargin, -1), StatusStyle::color(status), text, opt.font);
}

QSize StatusBadgeDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const QSize badge = StatusStyle::badgeSize(index.data(Qt::DisplayRole).toString(), option.font);
    const QSize base = QStyledItemDelegate::sizeHint(option, index);
    return {badge.width() + 2 * kMargin, std::max(base.height(), badge.height() + 2)};
}

} // namespace batchdeck
