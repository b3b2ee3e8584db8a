#include "StatusStyle.h"

#include <QFontMetrics>
#include <QPainter>

namespace batchdeck {

QString StatusStyle::label(JobStatus status)
{
    switch (status) {
    case JobStatus::PendingSubmission:
        return tr("Pending");
    case JobStatus::Submitted:
        return tr("Submitted");
    case JobStatus::SubmissionFailed:
        return tr("Failed");
    case JobStatus::PendingProcessing:
        return tr("Ready");
    case JobStatus::Processing:
        return tr("Processing");
    case JobStatus::Completed:
        return tr("Completed");
    }
    return statusName(status);
}

QString StatusStyle::tooltip(JobStatus status)
{
    switch (status) {
    case JobStatus::PendingSubmission:
        return tr("PENDING_SUBMISSION: not sent to the provider yet");
    case JobStatus::Submitted:
        return tr("SUBMITTED: the provider is working on the batch");
    case JobStatus::SubmissionFailed:
        return tr("SUBMISSION_FAILED: refused, failed, cancelled or expired at the provider");
    case JobStatus::PendingProcessing:
        return tr("PENDING_PROCESSING: the provider finished; results are ready to process");
    case JobStatus::Processing:
        return tr("PROCESSING: results are being stored");
    case JobStatus::Completed:
        return tr("COMPLETED: results stored");
    }
    return statusName(status);
}

QColor StatusStyle::color(JobStatus status)
{
    // Dark enough for white text on every theme; failed is the only red, completed the only green.
    switch (status) {
    case JobStatus::PendingSubmission:
        return QColor(0x64, 0x74, 0x8b);
    case JobStatus::Submitted:
        return QColor(0x25, 0x63, 0xeb);
    case JobStatus::SubmissionFailed:
        return QColor(0xdc, 0x26, 0x26);
    case JobStatus::PendingProcessing:
        return QColor(0xc2, 0x6d, 0x05);
    case JobStatus::Processing:
        return QColor(0x7c, 0x3a, 0xed);
    case JobStatus::Completed:
        return QColor(0x16, 0xa3, 0x4a);
    }
    return QColor(Qt::gray);
}

namespace {

constexpr int kBadgePaddingX = 8;
constexpr int kBadgePaddingY = 2;

QFont badgeFont(QFont font)
{
    font.setBold(true);
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * 0.85);
    return font;
}

} // namespace

QSize StatusStyle::badgeSize(const QString& text, QFont font)
{
    const QFontMetrics metrics(badgeFont(font));
    return {metrics.horizontalAdvance(text) + 2 * kBadgePaddingX, metrics.height() + 2 * kBadgePaddingY};
}

QRect StatusStyle::paintBadge(QPainter* painter, const QRect& cell, const QColor& fill, const QString& text, QFont font)
{
    const QSize size = badgeSize(text, font).boundedTo(cell.size());
    font = badgeFont(font);
    const QRect badge(QPoint(cell.left(), cell.top() + (cell.height() - size.height()) / 2), size);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(fill);
    painter->drawRoundedRect(badge, badge.height() / 2.0, badge.height() / 2.0);
    painter->setPen(Qt::white);
    painter->setFont(font);
    const QFontMetrics metrics(font);
    painter->drawText(badge, Qt::AlignCenter, metrics.elidedText(text, Qt::ElideRight, badge.width() - 4));
    painter->restore();
    return badge;
}

} // namespace batchdeck
