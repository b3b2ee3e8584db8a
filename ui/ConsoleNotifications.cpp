#include "ConsoleNotifications.h"

#include <QApplication>
#include <QMainWindow>
#include <QStyle>
#include <QSystemTrayIcon>

#include "JobNotifier.h"
#include "NotificationBanner.h"
#include "PollController.h"

namespace batchdeck {

namespace {

constexpr int kListedNotices = 5;
constexpr int kTrayMessageMs = 10'000;

QString oneLine(const JobNotice& notice)
{
    const QString job = QStringLiteral("%1 · %2").arg(notice.runId, notice.batchType);
    switch (notice.kind) {
    case JobNotice::Kind::Completed:
        return ConsoleNotifications::tr("Completed: %1").arg(job);
    case JobNotice::Kind::Failed:
        return ConsoleNotifications::tr("Failed: %1").arg(job);
    case JobNotice::Kind::Stuck:
        break;
    }
    return ConsoleNotifications::tr("Stuck: %1").arg(job);
}

bool allGood(const QList<JobNotice>& notices)
{
    return std::all_of(notices.begin(), notices.end(), [](const JobNotice& notice) {
        return notice.kind == JobNotice::Kind::Completed;
    });
}

} // namespace

ConsoleNotifications::ConsoleNotifications(QMainWindow& window, PollController& poll, Presenter presenter)
    : QObject(&window)
    , m_notifier(new JobNotifier(this))
{
    qRegisterMetaType<QList<JobNotice>>("QList<batchdeck::JobNotice>");
    if (presenter == Presenter::Automatic && QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(this);
        QIcon icon = window.windowIcon();
        if (icon.isNull())
            icon = window.style()->standardIcon(QStyle::SP_ComputerIcon);
        m_tray->setIcon(icon);
        m_tray->setToolTip(window.windowTitle());
        m_tray->show();
        connect(m_tray, &QSystemTrayIcon::messageClicked, &window, [&window] {
            window.showNormal();
            window.raise();
            window.activateWindow();
        });
    } else {
        m_banner = new NotificationBanner(&window);
        window.addToolBarBreak(Qt::TopToolBarArea);
        window.addToolBar(Qt::TopToolBarArea, m_banner);
        m_banner->hide();
    }
    connect(&poll, &PollController::polled, m_notifier, &JobNotifier::onPolled);
    connect(m_notifier, &JobNotifier::noticesRaised, this, &ConsoleNotifications::onNoticesRaised);
}

ConsoleNotifications::~ConsoleNotifications() = default;

std::pair<QString, QString> ConsoleNotifications::messageFor(const QList<JobNotice>& notices)
{
    if (notices.size() == 1) {
        const JobNotice& notice = notices.first();
        const QString job = QStringLiteral("%1 · %2").arg(notice.runId, notice.batchType);
        QString title;
        switch (notice.kind) {
        case JobNotice::Kind::Completed:
            title = tr("Job completed: %1").arg(job);
            break;
        case JobNotice::Kind::Failed:
            title = tr("Job failed: %1").arg(job);
            break;
        case JobNotice::Kind::Stuck:
            title = tr("Job stuck: %1").arg(job);
            break;
        }
        return {title, notice.detail};
    }
    qsizetype completed = 0;
    qsizetype failed = 0;
    qsizetype stuck = 0;
    for (const JobNotice& notice : notices) {
        completed += notice.kind == JobNotice::Kind::Completed;
        failed += notice.kind == JobNotice::Kind::Failed;
        stuck += notice.kind == JobNotice::Kind::Stuck;
    }
    const QString title = tr("Jobs: %1 completed, %2 failed, %3 stuck").arg(completed).arg(failed).arg(stuck);
    QStringList lines;
    for (qsizetype i = 0; i < notices.size() && i < kListedNotices; ++i)
        lines << oneLine(notices.at(i));
    if (notices.size() > kListedNotices)
        lines << tr("and %1 more").arg(notices.size() - kListedNotices);
    return {title, lines.join(u'\n')};
}

void ConsoleNotifications::onNoticesRaised(const QList<JobNotice>& notices)
{
    const auto [title, body] = messageFor(notices);
    const bool good = allGood(notices);
    if (m_tray) {
        m_tray->showMessage(
            title, body, good ? QSystemTrayIcon::Information : QSystemTrayIcon::Warning, kTrayMessageMs);
    } else {
        m_banner->showMessage(title, body, good ? NotificationBanner::Tone::Good : NotificationBanner::Tone::Bad);
    }
}

} // namespace batchdeck
