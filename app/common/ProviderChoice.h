#pragma once

#include <QProcessEnvironment>
#include <QString>

namespace batchdeck::app {

// The provider an operator chose in the console's settings (the key read from the keychain), given
// to AppEngine as environment variables, so the settings feed the same OpenAiConfig::fromEnvironment
// as batchdeck-cli does. The real environment wins over the choice, as design.md orders it
// (command line, environment, settings file, defaults): when OPENAI_BASE_URL or
// AZURE_OPENAI_ENDPOINT is set the environment picks the provider, and a key variable that is set
// is the key.
struct ProviderChoice
{
    enum class Kind
    {
        OpenAi,
        Azure,
        Compatible,
    };

    Kind kind = Kind::OpenAi;
    QString baseUrl;         // Compatible
    QString azureEndpoint;   // Azure
    QString azureApiVersion; // Azure; empty for the v1 URL shape
    QString storedKey;       // from the keychain; empty when the key comes from the environment

    QProcessEnvironment applyTo(QProcessEnvironment environment) const;
};

} // namespace batchdeck::app
