#include "SettingsLauncher.h"

#include <QSettings>
#include <QStatusBar>

#include "JobNotifier.h"
#include "MainWindow.h"
#include "PollController.h"
#include "SettingsDialog.h"

namespace batchdeck {

SettingsLauncher::SettingsLauncher(
    MainWindow& window, PollController& poll, JobNotifier& notifier, QSettings& settings, SecretStore secrets)
    : QObject(&window)
    , m_window(window)
    , m_poll(poll)
    , m_notifier(notifier)
    , m_settings(settings)
    , m_secrets(std::move(secrets))
    , m_atStart(ConsoleSettings::load(settings))
{
    connect(&window, &MainWindow::settingsRequested, this, &SettingsLauncher::open);
}

SettingsDialog* SettingsLauncher::dialog() const
{
    return m_dialog.data();
}

void SettingsLauncher::applyAtStart(const ConsoleSettings& values, JobNotifier& notifier)
{
    notifier.setStuckAfterMs(qint64(values.stuckAfterMinutes) * 60'000);
}

void SettingsLauncher::open()
{
    if (m_dialog) {
        m_dialog->raise();
        m_dialog->activateWindow();
        return;
    }
    m_dialog = new SettingsDialog(m_settings, m_secrets, QProcessEnvironment::systemEnvironment(), &m_window);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog->setServerNote(m_serverNote);
    connect(m_dialog, &SettingsDialog::settingsSaved, this, &SettingsLauncher::onSaved);
    m_dialog->open();
    Q_EMIT dialogOpened(m_dialog);
}

void SettingsLauncher::onSaved(const ConsoleSettings& values)
{
    m_poll.setIntervalSeconds(values.pollIntervalSeconds);
    applyAtStart(values, m_notifier);
    if (values.databaseUrl != m_atStart.databaseUrl || values.language != m_atStart.language)
        m_window.statusBar()->showMessage(tr("Settings saved. The database and the language change when the "
                                             "console starts again."),
                                          15'000);
    else
        m_window.statusBar()->showMessage(tr("Settings saved."), 5'000);
}

} // namespace batchdeck
