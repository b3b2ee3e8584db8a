#pragma once

#include <functional>

#include <QDialog>
#include <QProcessEnvironment>

#include "ConsoleSettings.h"
#include "SecretStore.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSettings;
class QSpinBox;
class QTabWidget;

namespace batchdeck {

class DatabaseSettingsPage;

// The console's settings: provider, database, polling, the HTTP server for Airflow and the language.
// OK stores the secrets typed in (the provider key, the server token) in the system keychain first
// and saves the rest to the settings file only when that worked: a key is never written to the
// file, and a keychain that does not answer (a headless machine) is said in the dialog, which stays
// open so the operator can choose the environment instead.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    enum Page
    {
        ProviderPage,
        DatabasePage,
        ServerPage,
        GeneralPage,
    };

    // `environment` tells the dialog which settings the environment overrides, so it can say so.
    SettingsDialog(QSettings& settings,
                   SecretStore secrets,
                   QProcessEnvironment environment = QProcessEnvironment::systemEnvironment(),
                   QWidget* parent = nullptr);
    ~SettingsDialog() override;

    // What the dialog shows now (saved or not).
    ConsoleSettings values() const;
    // Why the in-process server setting does nothing yet, or empty once the console runs it.
    void setServerNote(const QString& note);

    // The parts tests drive.
    QTabWidget* tabs() const { return m_tabs; }
    QComboBox* providerBox() const { return m_provider; }
    QLineEdit* baseUrlEdit() const { return m_baseUrl; }
    QLineEdit* azureEndpointEdit() const { return m_azureEndpoint; }
    QRadioButton* keyFromEnvironmentButton() const { return m_keyFromEnvironment; }
    QRadioButton* keyInKeychainButton() const { return m_keyInKeychain; }
    QLineEdit* keyEdit() const { return m_key; }
    DatabaseSettingsPage* databasePage() const { return m_database; }
    QCheckBox* serverBox() const { return m_serverEnabled; }
    QLineEdit* serverAddressEdit() const { return m_serverAddress; }
    QSpinBox* serverPortBox() const { return m_serverPort; }
    QLineEdit* serverTokenEdit() const { return m_serverToken; }
    QComboBox* intervalBox() const { return m_interval; }
    QSpinBox* stuckAfterBox() const { return m_stuckAfter; }
    QComboBox* languageBox() const { return m_language; }
    QLabel* messageLabel() const { return m_message; }
    QDialogButtonBox* buttons() const { return m_buttons; }
    bool isStoringSecrets() const { return m_storing; }

    void accept() override;

Q_SIGNALS:
    // The values are in the settings file (and the secrets in the keychain).
    void settingsSaved(const batchdeck::ConsoleSettings& values);
    // A keychain call failed; the message is shown in the dialog too.
    void secretsFailed(const QString& message);

private:
    QWidget* buildProviderPage();
    QWidget* buildServerPage();
    QWidget* buildGeneralPage();
    void load(const ConsoleSettings& values);
    void updateProviderFields();
    QString validate(Page* page) const;
    void storeNextSecret();
    void finishSaving();
    void showMessage(const QString& text, bool error);
    void setBusy(bool busy);

    QSettings& m_settings;
    SecretStore m_secrets;
    QProcessEnvironment m_environment;
    ConsoleSettings m_initial;

    QTabWidget* m_tabs = nullptr;
    QComboBox* m_provider = nullptr;
    QLabel* m_baseUrlLabel = nullptr;
    QLineEdit* m_baseUrl = nullptr;
    QLabel* m_azureEndpointLabel = nullptr;
    QLineEdit* m_azureEndpoint = nullptr;
    QLabel* m_azureVersionLabel = nullptr;
    QLineEdit* m_azureVersion = nullptr;
    QRadioButton* m_keyFromEnvironment = nullptr;
    QRadioButton* m_keyInKeychain = nullptr;
    QLineEdit* m_key = nullptr;
    QLabel* m_providerNote = nullptr;
    DatabaseSettingsPage* m_database = nullptr;
    QCheckBox* m_serverEnabled = nullptr;
    QLineEdit* m_serverAddress = nullptr;
    QSpinBox* m_serverPort = nullptr;
    QLineEdit* m_serverToken = nullptr;
    QLabel* m_serverNote = nullptr;
    QComboBox* m_interval = nullptr;
    QSpinBox* m_stuckAfter = nullptr;
    QComboBox* m_language = nullptr;
    QLabel* m_message = nullptr;
    QDialogButtonBox* m_buttons = nullptr;

    // The keychain writes OK waits for, one after the other: (name, secret).
    QList<std::pair<QString, QString>> m_pendingSecrets;
    ConsoleSettings m_saving;
    bool m_storing = false;
};

} // namespace batchdeck
