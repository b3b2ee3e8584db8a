#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

#include "core/Result.h"
#include "provider/RetryPolicy.h"

namespace batchdeck {

// How to reach an OpenAI-wire batch provider: OpenAI itself, Azure OpenAI (both URL shapes) or any
// compatible base URL such as the simulator.
struct OpenAiConfig
{
    enum class AuthStyle
    {
        Bearer,       // Authorization: Bearer <key> (OpenAI, compatible servers, Azure with an Entra token)
        ApiKeyHeader, // api-key: <key> (Azure OpenAI keys)
    };

    // Paths are appended to it: "/files", "/batches/{id}". It already holds the version segment:
    // OpenAI "https://api.openai.com/v1", Azure v1 "https://{resource}.openai.azure.com/openai/v1",
    // Azure legacy "https://{resource}.openai.azure.com/openai" with apiVersion set.
    QUrl baseUrl = QUrl(QStringLiteral("https://api.openai.com/v1"));
    QString apiKey;       // never logged, never in an error message
    QString organization; // OpenAI-Organization header, when set
    QString project;      // OpenAI-Project header, when set
    AuthStyle authStyle = AuthStyle::Bearer;
    QString apiVersion; // Azure legacy URL shape: sent as ?api-version=...; empty otherwise

    int transferTimeoutMs = 60'000; // an attempt fails when no byte moves for this long
    // File uploads to an http:// base URL that no proxy applies to go over a socket of their own
    // (PlainHttpUpload: several times faster over loopback); false: through QNetworkAccessManager like
    // every other call. HTTPS uploads always use QNetworkAccessManager.
    bool plainHttpUploads = true;
    RetryPolicy retry;
    QString userAgent = QStringLiteral("Batchdeck/" BATCHDECK_VERSION);

    // Azure OpenAI from its resource endpoint ("https://res.openai.azure.com"): with an apiVersion the
    // legacy shape "/openai/...?api-version=", without one the v1 shape "/openai/v1/...".
    static OpenAiConfig forAzure(const QUrl& resourceEndpoint, const QString& apiKey, const QString& apiVersion = {});

    // From the variables the official SDKs read:
    //   OPENAI_BASE_URL, OPENAI_API_KEY, OPENAI_ORG_ID (or OPENAI_ORGANIZATION), OPENAI_PROJECT_ID;
    //   Azure when AZURE_OPENAI_ENDPOINT is set and OPENAI_BASE_URL is not: AZURE_OPENAI_API_KEY
    //   (api-key header) or AZURE_OPENAI_AD_TOKEN (Bearer), OPENAI_API_VERSION for the legacy shape.
    // Also BATCHDECK_PROVIDER_TIMEOUT_MS, BATCHDECK_PROVIDER_MAX_ATTEMPTS and
    // BATCHDECK_PLAIN_HTTP_UPLOADS=0 (plainHttpUploads off) for operators.
    static OpenAiConfig fromEnvironment(const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment());

    // A base URL with a scheme and a host, sane timeouts and tries. A missing key is allowed:
    // compatible local servers often need none.
    Status validate() const;

    // One line for logs and settings screens: where requests go and how they authenticate. Says
    // whether a key is set, never the key.
    QString summary() const;

    bool isAzure() const { return authStyle == AuthStyle::ApiKeyHeader || !apiVersion.isEmpty(); }
};

} // namespace batchdeck
