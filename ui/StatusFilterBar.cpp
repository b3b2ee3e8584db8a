#include "StatusFilterBar.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QLocale>
#include <QPainter>
#include <QToolButton>

#include "StatusStyle.h"

namespace batchdeck {

namespace {

// Not -1: QButtonGroup takes -1 as "assign an id for me".
constexpr int kAllId = 1000;

QIcon dotIcon(const QColor& color)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(QRectF(1, 1, 10, 10));
    return QIcon(pixmap);
}

} // namespace

StatusFilterBar::StatusFilterBar(QWidget* parent)
    : QWidget(parent)
    , m_group(new QButtonGroup(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_group->setExclusive(true);

    auto addButton = [this, layout](int id, const QIcon& icon, const QString& tooltip) {
        auto* button = new QToolButton(this);
        button->setCheckable(true);
        button->setAutoRaise(true);
        button->setToolButtonStyle(icon.isNull() ? Qt::ToolButtonTextOnly : Qt::ToolButtonTextBesideIcon);
        button->setIcon(icon);
        button->setToolTip(tooltip);
        m_group->addButton(button, id);
        m_buttons.insert(id, button);
        layout->addWidget(button);
    };
    addButton(kAllId, {}, tr("Show jobs of every status"));
    for (JobStatus status : allJobStatuses())
        addButton(int(status), dotIcon(StatusStyle::color(status)), StatusStyle::tooltip(status));
    m_buttons.value(kAllId)->setChecked(true);
    connect(m_group, &QButtonGroup::idClicked, this, &StatusFilterBar::onClicked);
    updateTexts();
}

QToolButton* StatusFilterBar::button(std::optional<JobStatus> status) const
{
    return m_buttons.value(status ? int(*status) : kAllId);
}

void StatusFilterBar::setCounts(const StatusCounts& counts)
{
    if (counts == m_counts)
        return;
    m_counts = counts;
    updateTexts();
}

void StatusFilterBar::setStatus(std::optional<JobStatus> status)
{
    m_status = status;
    button(status)->setChecked(true);
}

void StatusFilterBar::onClicked(int id)
{
    const std::optional<JobStatus> status = id == kAllId ? std::nullopt : std::optional<JobStatus>(JobStatus(id));
    if (status == m_status)
        return;
    m_status = status;
    Q_EMIT statusChosen(status);
}

void StatusFilterBar::updateTexts()
{
    const QLocale locale;
    button(std::nullopt)->setText(tr("All %1").arg(locale.toString(m_counts.total())));
    for (JobStatus status : allJobStatuses())
        button(status)->setText(tr("%1 %2", "status label, count")
                                    .arg(StatusStyle::label(status), locale.toString(m_counts.count(status))));
}

} // namespace batchdeck
