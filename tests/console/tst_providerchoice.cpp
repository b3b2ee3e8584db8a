// The console's provider settings reach the engine as the environment OpenAiConfig::fromEnvironment
// reads, so the console and batchdeck-cli configure one provider the same way, and the real
// environment wins over the settings.
#include <QTest>

#include "ProviderChoice.h"
#include "provider/OpenAiConfig.h"

using namespace batchdeck;
using app::ProviderChoice;

namespace {

OpenAiConfig configFor(const ProviderChoice& choice, const QProcessEnvironment& environment = {})
{
    return OpenAiConfig::fromEnvironment(choice.applyTo(environment));
}

QProcessEnvironment environmentWith(std::initializer_list<std::pair<QString, QString>> variables)
{
    QProcessEnvironment environment;
    for (const auto& [name, value] : variables)
        environment.insert(name, value);
    return environment;
}

} // namespace

class ProviderChoiceTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void openAiWithAKeyFromTheKeychain()
    {
        ProviderChoice choice;
        choice.storedKey = QStringLiteral("sk-stored");
        const OpenAiConfig config = configFor(choice);
        QCOMPARE(config.baseUrl, QUrl(QStringLiteral("https://api.openai.com/v1")));
        QCOMPARE(config.apiKey, QStringLiteral("sk-stored"));
        QCOMPARE(config.authStyle, OpenAiConfig::AuthStyle::Bearer);
    }

    void aCompatibleServer()
    {
        ProviderChoice choice;
        choice.kind = ProviderChoice::Kind::Compatible;
        choice.baseUrl = QStringLiteral("http://localhost:8000/v1/");
        const OpenAiConfig config = configFor(choice);
        QCOMPARE(config.baseUrl, QUrl(QStringLiteral("http://localhost:8000/v1")));
        QVERIFY(config.apiKey.isEmpty());
        QVERIFY(config.validate().ok());
    }

    void azureInBothUrlShapes()
    {
        ProviderChoice choice;
        choice.kind = ProviderChoice::Kind::Azure;
        choice.azureEndpoint = QStringLiteral("https://res.openai.azure.com");
        choice.storedKey = QStringLiteral("azure-key");
        OpenAiConfig config = configFor(choice);
        QCOMPARE(config.baseUrl, QUrl(QStringLiteral("https://res.openai.azure.com/openai/v1")));
        QCOMPARE(config.authStyle, OpenAiConfig::AuthStyle::ApiKeyHeader);
        QCOMPARE(config.apiKey, QStringLiteral("azure-key"));

        choice.azureApiVersion = QStringLiteral("2024-10-21");
        config = configFor(choice);
        QCOMPARE(config.baseUrl, QUrl(QStringLiteral("https://res.openai.azure.com/openai")));
        QCOMPARE(config.apiVersion, QStringLiteral("2024-10-21"));
    }

    void theEnvironmentWinsOverTheSettings()
    {
        ProviderChoice choice;
        choice.kind = ProviderChoice::Kind::Azure;
        choice.azureEndpoint = QStringLiteral("https://res.openai.azure.com");
        choice.storedKey = QStringLiteral("stored");

        // OPENAI_BASE_URL picks the provider; the stored key is used only because no key variable is set.
        OpenAiConfig config = configFor(
            choice, environmentWith({{QStringLiteral("OPENAI_BASE_URL"), QStringLiteral("http://sim:1/v1")}}));
        QCOMPARE(config.baseUrl, QUrl(QStringLiteral("http://sim:1/v1")));
        QCOMPARE(config.apiKey, QStringLiteral("stored"));
        QCOMPARE(config.authStyle, OpenAiConfig::AuthStyle::Bearer);

        // A key in the environment is the key.
        config = configFor(choice, environmentWith({{QStringLiteral("AZURE_OPENAI_API_KEY"), QStringLiteral("env")}}));
        QCOMPARE(config.apiKey, QStringLiteral("env"));
        QCOMPARE(config.baseUrl, QUrl(QStringLiteral("https://res.openai.azure.com/openai/v1")));

        // Operators' knobs still come through.
        config = configFor(choice,
                           environmentWith({{QStringLiteral("BATCHDECK_PROVIDER_MAX_ATTEMPTS"), QStringLiteral("7")}}));
        QCOMPARE(config.retry.maxAttempts, 7);
    }
};

QTEST_GUILESS_MAIN(ProviderChoiceTest)
#include "tst_providerchoice.moc"
