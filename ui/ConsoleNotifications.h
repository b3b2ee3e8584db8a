#pragma once

#include <QObject>

#include "JobNotice.h"

class QMainWindow;
class QSystemTrayIcon;

namespace batchdeck {

class JobNotifier;
class NotificationBanner;
class PollController;

// Tells the operator what JobNotifier finds: a system tray message where the desktop has a tray,
// else a banner across the window. Several notices from one poll become one message.
class ConsoleNotifications : public QObject
{
    Q_OBJECT

public:
    enum class Presenter
    {
        Automatic, // the tray when QSystemTrayIcon::isSystemTrayAvailable(), else the banner
        Banner,
    };

    ConsoleNotifications(QMainWindow& window, PollController& poll, Presenter presenter = Presenter::Automatic);
    ~ConsoleNotifications() override;

    JobNotifier* notifier() const { return m_notifier; }
    NotificationBanner* banner() const { return m_banner; } // null when the tray is used
    bool usesTray() const { return m_tray != nullptr; }

    // The title and text one message says for these notices.
    static std::pair<QString, QString> messageFor(const QList<JobNotice>& notices);

private:
    void onNoticesRaised(const QList<batchdeck::JobNotice>& notices);

    JobNotifier* m_notifier = nullptr;
    NotificationBanner* m_banner = nullptr;
    QSystemTrayIcon* m_tray = nullptr;
};

} // namespace batchdeck
