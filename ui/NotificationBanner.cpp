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
    layout->setContentsMargins(8, 4, 4, 4);
    m_label = new QLabel(strip);
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::PlainText);
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
    setStyleSheet(
        u"QToolBar#notificationBanner { background: %1; border: 1px solid %2; }"
        " QToolBar#notificationBanner QLabel { color: #111827; }"_s.arg(color.lighter(185).name(), color.name()));
    m_label->setText(title + u'\n' + body);
    show();
}

QString NotificationBanner::text() const
{
    return m_label->text();
}

} // namespace batchdeck
