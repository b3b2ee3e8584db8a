#pragma once

#include <QObject>
#include <QPointer>

#include "ConsoleSettings.h"
#include "SecretStore.h"

class QSettings;

namespace batchdeck {

class JobNotifier;
class MainWindow;
class PollController;
class SettingsDialog;

// Opens the settings dialog from the window (MainWindow::settingsRequested) and applies what can
// change while the console runs: the poll interval and the stuck-job threshold. The database and
// the language are read when the console starts; the window's status bar says so when they change.
class SettingsLauncher : public QObject
{
    Q_OBJECT

public:
    SettingsLauncher(MainWindow& window,
                     PollController& poll,
                     JobNotifier& notifier,
                     QSettings& settings,
                     SecretStore secrets = SecretStore());

    // The dialog, open and not modal to the rest of the desktop; one at a time.
    void open();
    SettingsDialog* dialog() const;
    void setServerNote(const QString& note) { m_serverNote = note; }

    // What the console applies at start from the settings file.
    static void applyAtStart(const ConsoleSettings& values, JobNotifier& notifier);

Q_SIGNALS:
    void dialogOpened(batchdeck::SettingsDialog* dialog);

private:
    void onSaved(const ConsoleSettings& values);

    MainWindow& m_window;
    PollController& m_poll;
    JobNotifier& m_notifier;
    QSettings& m_settings;
    SecretStore m_secrets;
    QString m_serverNote;
    ConsoleSettings m_atStart;
    QPointer<SettingsDialog> m_dialog;
};

} // namespace batchdeck
