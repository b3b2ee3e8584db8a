#include "RunStatusDelegate.h"

#include <QApplication>
#include <QLocale>

#include "RunTableModel.h"
#include "StatusStyle.h"

namespace batchdeck {

namespace {

constexpr int kGap = 3;

// (status, count) for every status the run has jobs in, in lifecycle order.
QList<QPair<JobStatus, qint64>> nonZeroCounts(const QModelIndex& index)
{
    const QVariantList counts = index.data(RunTableModel::CountsRole).toList();
    const QList<JobStatus> statuses = allJobStatuses();
    QList<QPair<JobStatus, qint64>> result;
    for (qsizetype i = 0; i < counts.size() && i < statuses.size(); ++i) {
        if (const qint64 n = counts.at(i).toLongLong(); n > 0)
            result.append({statuses.at(i), n});
    }
    return result;
}

} // namespace

void RunStatusDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt(option);
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    QRect free = opt.rect.adjusted(4, 1, -4, -1);
    for (const auto& [status, count] : nonZeroCounts(index)) {
        if (free.width() <= 0)
            break;
        const QRect badge =
            StatusStyle::paintBadge(painter, free, StatusStyle::color(status), QLocale().toString(count), opt.font);
        free.setLeft(badge.right() + 1 + kGap);
    }
}

QSize RunStatusDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    int width = 8;
    int height = QStyledItemDelegate::sizeHint(option, index).height();
    for (const auto& [status, count] : nonZeroCounts(index)) {
        const QSize badge = StatusStyle::badgeSize(QLocale().toString(count), option.font);
        width += badge.width() + kGap;
        height = std::max(height, badge.height() + 2);
    }
    return {width, height};
}

} // namespace batchdeck
