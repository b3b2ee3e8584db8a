#pragma once

#include <QString>

class QSettings;

namespace batchdeck {

// The console's settings, typed, with their keys and defaults in one place (KeePassXC's Config). It
// reads and writes a QSettings the caller owns: the user's console.ini, or a temporary file in tests.
// Secrets are not here: the provider key and the server token live in the system keychain
// (SecretStore) or in the environment, never in the settings file.
struct ConsoleSettings
{
    enum class ProviderKind
    {
        OpenAi,     // https://api.openai.com/v1
        Azure,      // an Azure OpenAI resource endpoint
        Compatible, // any OpenAI-compatible base URL
    };
    enum class KeySource
    {
        Environment, // OPENAI_API_KEY (or AZURE_OPENAI_API_KEY)
        Keychain,    // stored with SecretStore under kProviderKeyName
    };

    // Names of the secrets in the keychain.
    static const QString kProviderKeyName;
    static const QString kServerTokenName;

    ProviderKind providerKind = ProviderKind::OpenAi;
    QString providerBaseUrl; // Compatible: "http://localhost:8000/v1"
    QString azureEndpoint;   // Azure: "https://resource.openai.azure.com"
    QString azureApiVersion; // Azure: empty for the v1 URL shape
    KeySource keySource = KeySource::Environment;

    QString databaseUrl; // empty: $BATCHDECK_DB, else the default SQLite file

    int pollIntervalSeconds = 5; // the key PollController reads and writes too
    int stuckAfterMinutes = 30;  // a submitted job that has not moved for this long is announced as stuck

    bool serverEnabled = false; // the in-process HTTP API for Airflow
    QString serverAddress = QStringLiteral("127.0.0.1");
    int serverPort = 8080;
    bool serverTokenInKeychain = false;

    QString language; // a locale name ("en", "pt_BR"); empty follows the system

    static ConsoleSettings load(const QSettings& settings);
    void save(QSettings& settings) const;

    bool operator==(const ConsoleSettings&) const = default;
};

} // namespace batchdeck
