#include "ProviderChoice.h"

namespace batchdeck::app {

using namespace Qt::StringLiterals;

namespace {

bool isSet(const QProcessEnvironment& environment, const QString& name)
{
    return !environment.value(name).trimmed().isEmpty();
}

void setIfUnset(QProcessEnvironment& environment, const QString& name, const QString& value)
{
    if (!value.isEmpty() && !isSet(environment, name))
        environment.insert(name, value);
}

} // namespace

QProcessEnvironment ProviderChoice::applyTo(QProcessEnvironment environment) const
{
    const bool environmentPicksProvider =
        isSet(environment, u"OPENAI_BASE_URL"_s) || isSet(environment, u"AZURE_OPENAI_ENDPOINT"_s);
    Kind effective = kind;
    if (environmentPicksProvider) {
        effective = isSet(environment, u"OPENAI_BASE_URL"_s) ? Kind::Compatible : Kind::Azure;
    } else {
        switch (kind) {
        case Kind::Compatible:
            setIfUnset(environment, u"OPENAI_BASE_URL"_s, baseUrl);
            break;
        case Kind::Azure:
            setIfUnset(environment, u"AZURE_OPENAI_ENDPOINT"_s, azureEndpoint);
            setIfUnset(environment, u"OPENAI_API_VERSION"_s, azureApiVersion);
            break;
        case Kind::OpenAi:
            break;
        }
    }
    // The key goes where fromEnvironment looks for it for the provider in effect.
    if (effective == Kind::Azure) {
        if (!isSet(environment, u"AZURE_OPENAI_AD_TOKEN"_s))
            setIfUnset(environment, u"AZURE_OPENAI_API_KEY"_s, storedKey);
    } else {
        setIfUnset(environment, u"OPENAI_API_KEY"_s, storedKey);
    }
    return environment;
}

} // namespace batchdeck::app
