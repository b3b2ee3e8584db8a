#include "OpenAiConfig.h"

namespace batchdeck {

using namespace Qt::StringLiterals;

namespace {

QUrl trimmedBase(QUrl url)
{
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path);
    return url;
}

QString firstSet(const QProcessEnvironment& env, std::initializer_list<QString> names)
{
    for (const QString& name : names) {
        const QString value = env.value(name).trimmed();
        if (!value.isEmpty())
            return value;
    }
    return {};
}

int positiveInt(const QProcessEnvironment& env, const QString& name, int fallback)
{
    bool ok = false;
    const int value = env.value(name).toInt(&ok);
    return ok && value > 0 ? value : fallback;
}

} // namespace

OpenAiConfig OpenAiConfig::forAzure(const QUrl& resourceEndpoint, const QString& apiKey, const QString& apiVersion)
{
    OpenAiConfig config;
    QUrl base = trimmedBase(resourceEndpoint);
    // Accept an endpoint given with or without the "/openai" (or "/openai/v1") suffix.
    QString path = base.path();
    if (path.endsWith(u"/openai/v1"_s))
        path.chop(3);
    if (!path.endsWith(u"/openai"_s))
        path += u"/openai"_s;
    if (apiVersion.isEmpty())
        path += u"/v1"_s;
    base.setPath(path);
    config.baseUrl = base;
    config.apiKey = apiKey;
    config.authStyle = AuthStyle::ApiKeyHeader;
    config.apiVersion = apiVersion;
    return config;
}

OpenAiConfig OpenAiConfig::fromEnvironment(const QProcessEnvironment& env)
{
    OpenAiConfig config;
    const QString baseUrl = firstSet(env, {u"OPENAI_BASE_URL"_s});
    const QString azureEndpoint = firstSet(env, {u"AZURE_OPENAI_ENDPOINT"_s});

    if (baseUrl.isEmpty() && !azureEndpoint.isEmpty()) {
        const QString azureKey = firstSet(env, {u"AZURE_OPENAI_API_KEY"_s});
        config = forAzure(QUrl(azureEndpoint), azureKey, firstSet(env, {u"OPENAI_API_VERSION"_s}));
        if (azureKey.isEmpty()) {
            // An Entra ID token goes in the Authorization header like an OpenAI key.
            config.apiKey = firstSet(env, {u"AZURE_OPENAI_AD_TOKEN"_s, u"OPENAI_API_KEY"_s});
            config.authStyle = AuthStyle::Bearer;
        }
    } else {
        if (!baseUrl.isEmpty())
            config.baseUrl = trimmedBase(QUrl(baseUrl));
        config.apiKey = firstSet(env, {u"OPENAI_API_KEY"_s});
        // An OpenAI-compatible base URL may still want an api-version (Azure v1 through a proxy does not).
        config.apiVersion = firstSet(env, {u"OPENAI_API_VERSION"_s});
    }
    config.organization = firstSet(env, {u"OPENAI_ORG_ID"_s, u"OPENAI_ORGANIZATION"_s});
    config.project = firstSet(env, {u"OPENAI_PROJECT_ID"_s, u"OPENAI_PROJECT"_s});
    config.transferTimeoutMs = positiveInt(env, u"BATCHDECK_PROVIDER_TIMEOUT_MS"_s, config.transferTimeoutMs);
    config.retry.maxAttempts = positiveInt(env, u"BATCHDECK_PROVIDER_MAX_ATTEMPTS"_s, config.retry.maxAttempts);
    // "0": every upload through QNetworkAccessManager, for a server or network that needs it.
    config.plainHttpUploads = env.value(u"BATCHDECK_PLAIN_HTTP_UPLOADS"_s) != u"0"_s;
    return config;
}

QString OpenAiConfig::summary() const
{
    QString text = baseUrl.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
    if (!apiVersion.isEmpty())
        text += u" (api-version "_s + apiVersion + u')';
    if (apiKey.isEmpty())
        text += u", no key"_s;
    else
        text += authStyle == AuthStyle::ApiKeyHeader ? u", api-key header"_s : u", bearer key"_s;
    if (!organization.isEmpty())
        text += u", organization "_s + organization;
    if (!project.isEmpty())
        text += u", project "_s + project;
    return text;
}

Status OpenAiConfig::validate() const
{
    if (!baseUrl.isValid() || baseUrl.host().isEmpty())
        return makeError(ErrorKind::InvalidInput, u"The provider base URL needs a scheme and a host"_s);
    const QString scheme = baseUrl.scheme();
    if (scheme != u"https"_s && scheme != u"http"_s)
        return makeError(ErrorKind::InvalidInput, u"The provider base URL must use http or https"_s);
    if (transferTimeoutMs <= 0)
        return makeError(ErrorKind::InvalidInput, u"The provider timeout must be positive"_s);
    if (retry.maxAttempts < 1)
        return makeError(ErrorKind::InvalidInput, u"The provider needs at least one attempt per call"_s);
    if (retry.backoffBaseMs < 0 || retry.backoffCapMs < 0)
        return makeError(ErrorKind::InvalidInput, u"Provider backoff times cannot be negative"_s);
    return {};
}

} // namespace batchdeck
