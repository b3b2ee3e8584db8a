#include "ProgressDelegate.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

#include "JobTableModel.h"

namespace batchdeck {

void ProgressDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt(option);
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const qint64 total = index.data(JobTableModel::RequestTotalRole).toLongLong();
    if (total <= 0)
        return; // no counts from the provider yet: an empty cell says so better than an empty bar
    const qint64 completed = index.data(JobTableModel::RequestCompletedRole).toLongLong();
    const qint64 failed = index.data(JobTableModel::RequestFailedRole).toLongLong();

    const QRect bar = opt.rect.adjusted(4, 3, -4, -3);
    QPainterPath track;
    track.addRoundedRect(bar, 3, 3);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setClipPath(track);
    painter->fillRect(bar, QColor(0xe5, 0xe7, 0xeb));
    const int completedWidth = int(double(bar.width()) * double(std::min(completed, total)) / double(total));
    const int failedWidth =
        int(double(bar.width()) * double(std::min(failed, total - std::min(completed, total))) / double(total));
    // Pastel fills: the figures on top stay readable and the status badge stays the loudest thing.
    const QColor done(0x86, 0xef, 0xac);
    const QColor bad(0xfc, 0xa5, 0xa5);
    painter->fillRect(QRect(bar.left(), bar.top(), completedWidth, bar.height()), done);
    painter->fillRect(QRect(bar.left() + completedWidth, bar.top(), failedWidth, bar.height()), bad);
    painter->setClipping(false);
    painter->setPen(QColor(0xc4, 0xc9, 0xd0));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(track);
    // The bar's colours are light on every theme, so the figures are always dark.
    painter->setPen(QColor(0x1f, 0x29, 0x37));
    painter->setFont(opt.font);
    painter->drawText(bar, Qt::AlignCenter, text);
    painter->restore();
}

} // namespace batchdeck
