#include "ConsoleSettings.h"

#include <algorithm>

#include <QSettings>

namespace batchdeck {

using namespace Qt::StringLiterals;

const QString ConsoleSettings::kProviderKeyName = u"provider-api-key"_s;
const QString ConsoleSettings::kServerTokenName = u"api-server-token"_s;

namespace {

// Stored as words, not enum numbers, so a hand-edited file reads well and reordering is safe.
const QString kProviderKind = u"provider/kind"_s;
const QString kProviderBaseUrl = u"provider/baseUrl"_s;
const QString kAzureEndpoint = u"provider/azureEndpoint"_s;
const QString kAzureApiVersion = u"provider/azureApiVersion"_s;
const QString kKeySource = u"provider/keySource"_s;
const QString kDatabaseUrl = u"database/url"_s;
const QString kPollInterval = u"poll/intervalSeconds"_s;
const QString kStuckAfter = u"notifications/stuckAfterMinutes"_s;
const QString kServerEnabled = u"server/enabled"_s;
const QString kServerAddress = u"server/address"_s;
const QString kServerPort = u"server/port"_s;
const QString kServerTokenInKeychain = u"server/tokenInKeychain"_s;
const QString kLanguage = u"general/language"_s;

QString kindName(ConsoleSettings::ProviderKind kind)
{
    switch (kind) {
    case ConsoleSettings::ProviderKind::Azure:
        return u"azure"_s;
    case ConsoleSettings::ProviderKind::Compatible:
        return u"compatible"_s;
    case ConsoleSettings::ProviderKind::OpenAi:
        break;
    }
    return u"openai"_s;
}

ConsoleSettings::ProviderKind kindFromName(const QString& name)
{
    if (name == u"azure"_s)
        return ConsoleSettings::ProviderKind::Azure;
    if (name == u"compatible"_s)
        return ConsoleSettings::ProviderKind::Compatible;
    return ConsoleSettings::ProviderKind::OpenAi;
}

} // namespace

ConsoleSettings ConsoleSettings::load(const QSettings& settings)
{
    ConsoleSettings values;
    values.providerKind = kindFromName(settings.value(kProviderKind).toString());
    values.providerBaseUrl = settings.value(kProviderBaseUrl).toString();
    values.azureEndpoint = settings.value(kAzureEndpoint).toString();
    values.azureApiVersion = settings.value(kAzureApiVersion).toString();
    values.keySource =
        settings.value(kKeySource).toString() == u"keychain"_s ? KeySource::Keychain : KeySource::Environment;
    values.databaseUrl = settings.value(kDatabaseUrl).toString();
    values.pollIntervalSeconds = settings.value(kPollInterval, values.pollIntervalSeconds).toInt();
    values.stuckAfterMinutes = std::max(1, settings.value(kStuckAfter, values.stuckAfterMinutes).toInt());
    values.serverEnabled = settings.value(kServerEnabled, false).toBool();
    values.serverAddress = settings.value(kServerAddress, values.serverAddress).toString();
    values.serverPort = settings.value(kServerPort, values.serverPort).toInt();
    values.serverTokenInKeychain = settings.value(kServerTokenInKeychain, false).toBool();
    values.language = settings.value(kLanguage).toString();
    return values;
}

void ConsoleSettings::save(QSettings& settings) const
{
    settings.setValue(kProviderKind, kindName(providerKind));
    settings.setValue(kProviderBaseUrl, providerBaseUrl);
    settings.setValue(kAzureEndpoint, azureEndpoint);
    settings.setValue(kAzureApiVersion, azureApiVersion);
    settings.setValue(kKeySource, keySource == KeySource::Keychain ? u"keychain"_s : u"environment"_s);
    settings.setValue(kDatabaseUrl, databaseUrl);
    settings.setValue(kPollInterval, pollIntervalSeconds);
    settings.setValue(kStuckAfter, stuckAfterMinutes);
    settings.setValue(kServerEnabled, serverEnabled);
    settings.setValue(kServerAddress, serverAddress);
    settings.setValue(kServerPort, serverPort);
    settings.setValue(kServerTokenInKeychain, serverTokenInKeychain);
    settings.setValue(kLanguage, language);
    settings.sync();
}

} // namespace batchdeck
