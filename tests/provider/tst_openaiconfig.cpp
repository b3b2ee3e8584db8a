// Configuration from the environment, the URLs and headers each request gets (OpenAI, Azure legacy and
// v1 shapes), the create-batch body, error envelopes and key redaction. No network.
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "provider/ErrorEnvelope.h"
#include "provider/OpenAiConfig.h"
#include "provider/OpenAiProvider.h"
#include "provider/OpenAiTransport.h"
#include "provider/ProviderError.h"

using namespace batchdeck;
using namespace Qt::StringLiterals;

namespace {

QProcessEnvironment environment(std::initializer_list<std::pair<QString, QString>> values)
{
    QProcessEnvironment env;
    for (const auto& [name, value] : values)
        env.insert(name, value);
    return env;
}

HttpCall call(const QString& path)
{
    HttpCall c;
    c.operation = u"test"_s;
    c.method = "GET";
    c.path = path;
    return c;
}

const QString kSecret = u"sk-test-SECRET-0123456789abcdef"_s;

} // namespace

class TestOpenAiConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults()
    {
        const OpenAiConfig config;
        QCOMPARE(config.baseUrl, QUrl(u"https://api.openai.com/v1"_s));
        QCOMPARE(config.authStyle, OpenAiConfig::AuthStyle::Bearer);
        QVERIFY(config.userAgent.startsWith(u"Batchdeck/"_s));
        QVERIFY(config.transferTimeoutMs > 0);
        QCOMPARE(config.retry.maxAttempts, 3);
        QVERIFY(config.validate().ok());
        QVERIFY(!config.isAzure());
    }

    void openAiFromEnvironment()
    {
        const OpenAiConfig config = OpenAiConfig::fromEnvironment(environment({
            {u"OPENAI_API_KEY"_s, kSecret},
            {u"OPENAI_BASE_URL"_s, u"http://127.0.0.1:8080/v1/"_s},
            {u"OPENAI_ORGANIZATION"_s, u"org-abc"_s},
            {u"OPENAI_PROJECT_ID"_s, u"proj_xyz"_s},
            {u"BATCHDECK_PROVIDER_TIMEOUT_MS"_s, u"1234"_s},
            {u"BATCHDECK_PROVIDER_MAX_ATTEMPTS"_s, u"5"_s},
        }));
        QCOMPARE(config.apiKey, kSecret);
        QCOMPARE(config.baseUrl, QUrl(u"http://127.0.0.1:8080/v1"_s));
        QCOMPARE(config.organization, u"org-abc"_s);
        QCOMPARE(config.project, u"proj_xyz"_s);
        QCOMPARE(config.transferTimeoutMs, 1234);
        QCOMPARE(config.retry.maxAttempts, 5);
        QCOMPARE(config.authStyle, OpenAiConfig::AuthStyle::Bearer);
    }

    void summaryNamesTheTargetButNotTheKey()
    {
        OpenAiConfig config = OpenAiConfig::forAzure(QUrl(u"https://res.openai.azure.com"_s), kSecret, u"2024-10-21"_s);
        config.project = u"proj_1"_s;
        const QString summary = config.summary();
        QVERIFY(summary.startsWith(u"https://res.openai.azure.com/openai"_s));
        QVERIFY(summary.contains(u"api-version 2024-10-21"_s));
        QVERIFY(summary.contains(u"api-key header"_s));
        QVERIFY(summary.contains(u"proj_1"_s));
        QVERIFY(!summary.contains(kSecret));
        QVERIFY(OpenAiConfig().summary().contains(u"no key"_s));
    }

    void orgIdWinsOverOrganization()
    {
        const OpenAiConfig config = OpenAiConfig::fromEnvironment(
            environment({{u"OPENAI_ORG_ID"_s, u"org-1"_s}, {u"OPENAI_ORGANIZATION"_s, u"org-2"_s}}));
        QCOMPARE(config.organization, u"org-1"_s);
    }

    void emptyEnvironmentGivesOpenAiDefaults()
    {
        const OpenAiConfig config = OpenAiConfig::fromEnvironment(QProcessEnvironment());
        QCOMPARE(config.baseUrl, QUrl(u"https://api.openai.com/v1"_s));
        QVERIFY(config.apiKey.isEmpty());
    }

    void azureLegacyFromEnvironment()
    {
        const OpenAiConfig config = OpenAiConfig::fromEnvironment(environment({
            {u"AZURE_OPENAI_ENDPOINT"_s, u"https://myres.openai.azure.com/"_s},
            {u"AZURE_OPENAI_API_KEY"_s, kSecret},
            {u"OPENAI_API_VERSION"_s, u"2024-10-21"_s},
        }));
        QCOMPARE(config.baseUrl, QUrl(u"https://myres.openai.azure.com/openai"_s));
        QCOMPARE(config.apiVersion, u"2024-10-21"_s);
        QCOMPARE(config.authStyle, OpenAiConfig::AuthStyle::ApiKeyHeader);
        QVERIFY(config.isAzure());

        OpenAiTransport transport(config);
        QCOMPARE(transport.urlFor(call(u"/files"_s)),
                 QUrl(u"https://myres.openai.azure.com/openai/files?api-version=2024-10-21"_s));
        HttpCall list = call(u"/batches"_s);
        list.query.append({u"limit"_s, u"5"_s});
        QCOMPARE(transport.urlFor(list),
                 QUrl(u"https://myres.openai.azure.com/openai/batches?api-version=2024-10-21&limit=5"_s));
        const QNetworkRequest request = transport.requestFor(call(u"/files"_s));
        QCOMPARE(request.rawHeader("api-key"), kSecret.toUtf8());
        QVERIFY(!request.hasRawHeader("Authorization"));
    }

    void azureV1FromEnvironment()
    {
        const OpenAiConfig config = OpenAiConfig::fromEnvironment(environment({
            {u"AZURE_OPENAI_ENDPOINT"_s, u"https://myres.openai.azure.com"_s},
            {u"AZURE_OPENAI_API_KEY"_s, kSecret},
        }));
        QCOMPARE(config.baseUrl, QUrl(u"https://myres.openai.azure.com/openai/v1"_s));
        QVERIFY(config.apiVersion.isEmpty());
        OpenAiTransport transport(config);
        QCOMPARE(transport.urlFor(call(u"/batches/batch_1"_s)),
                 QUrl(u"https://myres.openai.azure.com/openai/v1/batches/batch_1"_s));
    }

    void azureEndpointWithSuffixIsNotDoubled()
    {
        QCOMPARE(OpenAiConfig::forAzure(QUrl(u"https://r.openai.azure.com/openai/v1/"_s), kSecret).baseUrl,
                 QUrl(u"https://r.openai.azure.com/openai/v1"_s));
        QCOMPARE(OpenAiConfig::forAzure(QUrl(u"https://r.openai.azure.com/openai"_s), kSecret, u"2025-04-01-preview"_s)
                     .baseUrl,
                 QUrl(u"https://r.openai.azure.com/openai"_s));
    }

    void azureEntraTokenUsesBearer()
    {
        const OpenAiConfig config = OpenAiConfig::fromEnvironment(environment({
            {u"AZURE_OPENAI_ENDPOINT"_s, u"https://myres.openai.azure.com"_s},
            {u"AZURE_OPENAI_AD_TOKEN"_s, u"eyJ0eXAi.token"_s},
        }));
        QCOMPARE(config.authStyle, OpenAiConfig::AuthStyle::Bearer);
        QCOMPARE(config.apiKey, u"eyJ0eXAi.token"_s);
    }

    void explicitBaseUrlBeatsAzureEndpoint()
    {
        const OpenAiConfig config = OpenAiConfig::fromEnvironment(environment({
            {u"OPENAI_BASE_URL"_s, u"http://localhost:9/v1"_s},
            {u"AZURE_OPENAI_ENDPOINT"_s, u"https://myres.openai.azure.com"_s},
        }));
        QCOMPARE(config.baseUrl, QUrl(u"http://localhost:9/v1"_s));
        QCOMPARE(config.authStyle, OpenAiConfig::AuthStyle::Bearer);
    }

    void validation()
    {
        OpenAiConfig config;
        config.baseUrl = QUrl(u"not a url"_s);
        QVERIFY(!config.validate().ok());
        config.baseUrl = QUrl(u"ftp://host/v1"_s);
        QVERIFY(!config.validate().ok());
        config = OpenAiConfig();
        config.retry.maxAttempts = 0;
        QVERIFY(!config.validate().ok());
        config = OpenAiConfig();
        config.transferTimeoutMs = 0;
        QVERIFY(!config.validate().ok());
    }

    void openAiHeaders()
    {
        OpenAiConfig config;
        config.apiKey = kSecret;
        config.organization = u"org-abc"_s;
        config.project = u"proj_xyz"_s;
        config.transferTimeoutMs = 4321;
        OpenAiTransport transport(config);
        HttpCall create = call(u"/batches"_s);
        create.method = "POST";
        create.jsonBody = QByteArray("{}");
        const QNetworkRequest request = transport.requestFor(create);
        QCOMPARE(request.url(), QUrl(u"https://api.openai.com/v1/batches"_s));
        QCOMPARE(request.rawHeader("Authorization"), "Bearer " + kSecret.toUtf8());
        QCOMPARE(request.rawHeader("OpenAI-Organization"), QByteArray("org-abc"));
        QCOMPARE(request.rawHeader("OpenAI-Project"), QByteArray("proj_xyz"));
        QCOMPARE(request.rawHeader("Accept"), QByteArray("application/json"));
        QVERIFY(request.header(QNetworkRequest::UserAgentHeader).toString().startsWith(u"Batchdeck/"_s));
        QCOMPARE(request.header(QNetworkRequest::ContentTypeHeader).toString(), u"application/json"_s);
        QCOMPARE(request.transferTimeout(), 4321);
        QCOMPARE(request.attribute(QNetworkRequest::RedirectPolicyAttribute).toInt(),
                 int(QNetworkRequest::SameOriginRedirectPolicy));
    }

    void noKeyNoAuthorization()
    {
        OpenAiTransport transport{OpenAiConfig()};
        const QNetworkRequest request = transport.requestFor(call(u"/batches"_s));
        QVERIFY(!request.hasRawHeader("Authorization"));
        QVERIFY(!request.hasRawHeader("api-key"));
        QVERIFY(!request.hasRawHeader("OpenAI-Organization"));
    }

    void idsArePercentEncoded()
    {
        OpenAiConfig config;
        config.baseUrl = QUrl(u"http://127.0.0.1:1/v1"_s);
        OpenAiTransport transport(config);
        HttpCall c = call(u"/batches/"_s + QString::fromLatin1(QUrl::toPercentEncoding(u"a/b c?"_s)));
        c.query.append({u"after"_s, u"batch_1&x=2"_s});
        const QUrl url = transport.urlFor(c);
        QCOMPARE(url.path(QUrl::FullyEncoded), u"/v1/batches/a%2Fb%20c%3F"_s);
        QCOMPARE(url.query(QUrl::FullyEncoded), u"after=batch_1%26x%3D2"_s);
    }

    void createBatchBody()
    {
        CreateBatchRequest request;
        request.inputFileId = u"file-1"_s;
        request.endpoint = u"/v1/chat/completions"_s;
        request.metadata = {{u"job_id"_s, u"7"_s}, {u"attempt"_s, u"2"_s}};
        request.outputExpiresAfterSeconds = 7200;
        Result<QByteArray> body = OpenAiProvider::createBatchBody(request);
        QVERIFY(body.ok());
        const QJsonObject json = QJsonDocument::fromJson(body.value()).object();
        QCOMPARE(json.value("input_file_id"_L1).toString(), u"file-1"_s);
        QCOMPARE(json.value("endpoint"_L1).toString(), u"/v1/chat/completions"_s);
        QCOMPARE(json.value("completion_window"_L1).toString(), u"24h"_s);
        QCOMPARE(json.value("metadata"_L1).toObject().value("job_id"_L1).toString(), u"7"_s);
        QCOMPARE(json.value("output_expires_after"_L1).toObject().value("anchor"_L1).toString(), u"created_at"_s);
        QCOMPARE(json.value("output_expires_after"_L1).toObject().value("seconds"_L1).toInteger(), 7200);

        CreateBatchRequest plain = request;
        plain.metadata.clear();
        plain.outputExpiresAfterSeconds.reset();
        const QJsonObject minimal = QJsonDocument::fromJson(OpenAiProvider::createBatchBody(plain).value()).object();
        QVERIFY(!minimal.contains("metadata"_L1));
        QVERIFY(!minimal.contains("output_expires_after"_L1));
    }

    void createBatchBodyRefusesBadInput()
    {
        CreateBatchRequest request;
        request.endpoint = u"/v1/chat/completions"_s;
        QCOMPARE(OpenAiProvider::createBatchBody(request).error().kind, ErrorKind::InvalidInput);
        request.inputFileId = u"file-1"_s;
        for (int i = 0; i < 17; ++i)
            request.metadata.insert(u"k%1"_s.arg(i), u"v"_s);
        QVERIFY(!OpenAiProvider::createBatchBody(request).ok());
        request.metadata = {{QString(65, u'k'), u"v"_s}};
        QVERIFY(!OpenAiProvider::createBatchBody(request).ok());
        request.metadata = {{u"k"_s, QString(513, u'v')}};
        QVERIFY(!OpenAiProvider::createBatchBody(request).ok());
    }

    void errorEnvelopes_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("param");
        QTest::newRow("openai") << QByteArray(R"({"error":{"message":"No batch found","type":"invalid_request_error",
                                                 "param":"batch_id","code":"not_found"}})")
                                << u"invalid_request_error"_s << u"not_found"_s << u"No batch found"_s << u"batch_id"_s;
        QTest::newRow("null code and param")
            << QByteArray(R"({"error":{"message":"File is too large.","type":"invalid_request_error","param":null,
                                       "code":null}})")
            << u"invalid_request_error"_s << QString() << u"File is too large."_s << QString();
        QTest::newRow("string error") << QByteArray(R"({"error":"boom"})") << QString() << QString() << u"boom"_s
                                      << QString();
        QTest::newRow("fastapi detail") << QByteArray(R"({"detail":"Not Found"})") << QString() << QString()
                                        << u"Not Found"_s << QString();
        QTest::newRow("html page") << QByteArray("<html><body>\n  502 Bad   Gateway\n</body></html>") << QString()
                                   << QString() << u"<html><body> 502 Bad Gateway </body></html>"_s << QString();
        QTest::newRow("empty") << QByteArray() << QString() << QString() << QString() << QString();
    }

    void errorEnvelopes()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, type);
        QFETCH(QString, code);
        QFETCH(QString, message);
        QFETCH(QString, param);
        const ErrorEnvelope envelope = parseErrorEnvelope(body, kSecret);
        QCOMPARE(envelope.type, type);
        QCOMPARE(envelope.code, code);
        QCOMPARE(envelope.message, message);
        QCOMPARE(envelope.param, param);
    }

    void theKeyIsRedactedFromProviderText()
    {
        // Built with QJsonObject rather than a raw string literal: moc mis-reads raw strings cut by '+'.
        const QJsonObject inner{{u"message"_s, QString(u"Incorrect API key provided: "_s + kSecret + u"."_s)},
                                {u"type"_s, u"invalid_request_error"_s},
                                {u"code"_s, u"invalid_api_key"_s},
                                {u"param"_s, kSecret}};
        const QByteArray echo = QJsonDocument(QJsonObject{{u"error"_s, inner}}).toJson();
        const ErrorEnvelope envelope = parseErrorEnvelope(echo, kSecret);
        QVERIFY(!envelope.message.contains(kSecret));
        QVERIFY(!envelope.param.contains(kSecret));
        QVERIFY(envelope.message.contains(u"[redacted]"_s));

        // A long HTML page with the key near the clipping point must not leak a part of it.
        const QByteArray page = QByteArray(495, 'x') + kSecret.toUtf8() + QByteArray(1000, 'y');
        const ErrorEnvelope clipped = parseErrorEnvelope(page, kSecret);
        QVERIFY(!clipped.message.contains(kSecret.left(8)));
    }

    void describeNeverStartsWithAStatusCode()
    {
        ProviderError error;
        error.operation = u"create batch"_s;
        error.httpStatus = 429;
        error.type = u"rate_limit_exceeded"_s;
        error.message = u"Rate limit reached"_s;
        error.requestId = u"req_123"_s;
        error.attempts = 3;
        error.retryable = true;
        const QString text = error.describe();
        QVERIFY(text.startsWith(u"create batch failed: Rate limit reached"_s));
        QVERIFY(text.contains(u"HTTP 429"_s));
        QVERIFY(text.contains(u"req_123"_s));
        QVERIFY(text.contains(u"3 attempts"_s));
        QCOMPARE(error.toError().kind, ErrorKind::ProviderTransient);
        error.retryable = false;
        QCOMPARE(error.toError().kind, ErrorKind::ProviderPermanent);
    }

    void providerResultIsAResult()
    {
        ProviderError error;
        error.operation = u"get batch"_s;
        error.httpStatus = 404;
        const ProviderResult<int> failed(error);
        const Result<int>& plain = failed;
        QVERIFY(!plain.ok());
        QCOMPARE(plain.error().kind, ErrorKind::ProviderPermanent);
        QCOMPARE(failed.providerError()->httpStatus, 404);
        const ProviderResult<int> local(makeError(ErrorKind::Io, u"disk"_s));
        QVERIFY(!local.providerError().has_value());
        const ProviderResult<int> ok(5);
        QCOMPARE(ok.value(), 5);
    }
};

QTEST_GUILESS_MAIN(TestOpenAiConfig)
#include "tst_openaiconfig.moc"
