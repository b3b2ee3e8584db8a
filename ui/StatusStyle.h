#pragma once

#include <QColor>
#include <QCoreApplication>
#include <QFont>
#include <QRect>
#include <QSize>
#include <QString>

#include "store/JobStatus.h"

class QPainter;

namespace batchdeck {

// How a job status looks in the console: one colour and one label per status, used by the badge,
// the filter buttons, the run chips and the details, so they always agree.
class StatusStyle
{
    Q_DECLARE_TR_FUNCTIONS(StatusStyle)

public:
    static QString label(JobStatus status);   // "Submission failed"
    static QString tooltip(JobStatus status); // what the status means for the operator
    static QColor color(JobStatus status);    // badge fill; text on it is white

    // A rounded badge of `text` on the status colour, left-aligned and vertically centred in
    // `cell`; returns the badge's rectangle. Shared by the table, the filter buttons and the details.
    static QRect paintBadge(QPainter* painter, const QRect& cell, const QColor& fill, const QString& text, QFont font);
    static QSize badgeSize(const QString& text, QFont font);
};

} // namespace batchdeck
