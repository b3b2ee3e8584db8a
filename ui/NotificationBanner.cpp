#include "NotificationBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

#include "StatusStyle.h"

namespace batchdeck {

using namespace Qt::StringLiterals;

NotificationBanner::NotificationBanner(QWidget* parent)
    : QToolBar(parent)
{
    setObjectName(u"notificationBanner"_s);
    setWindowTitle(tr("Notifications"));
    setMovable(false);
    setFloatable(false);
    // Not in the toolbar context menu: it shows itself when there is news.
    toggleViewAction()->setVisible(false);

    auto* strip = new QWidget(this);
    auto* layout = new QHBoxLayout(strip);
    layout->setContentsMargins(8, 0, 0, 0);
    m_label = new QLabel(strip);
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::RichText);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_label, 1);
    m_close = new QToolButton(strip);
    m_close->setText(u"✕"_s);
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Close"));
    layout->addWidget(m_close);
    addWidget(strip);
    connect(m_close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void NotificationBanner::showMessage(const QString& title, const QString& body, Tone tone)
{
    const QColor color = StatusStyle::color(tone == Tone::Good ? JobStatus::Completed : JobStatus::SubmissionFailed);
    // A pale tint of the status colour with a border of the colour itself: noticeable, still readable.
    const auto tint = [&color](int channel) { return 255 - (255 - channel) / 6; };
    const QColor fill(tint(color.red()), tint(color.green()), tint(color.blue()));
    setStyleSheet(u"QToolBar#notificationBanner { background: %1; border: 1px solid %2; border-radius: 3px; }"
                  " QToolBar#notificationBanner QLabel { color: #111827; }"_s.arg(fill.name(), color.name()));
    m_text = title + u'\n' + body;
    m_label->setText(
        u"<b>%1</b>&nbsp;&nbsp;%2"_s.arg(title.toHtmlEscaped(), body.toHtmlEscaped().replace(u'\n', u"<br>"_s)));
    show();
}

QString NotificationBanner::text() const
{
    return m_text;
}

} // namespace batchdeck
