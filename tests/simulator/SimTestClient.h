#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace batchdeck::sim::test {

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QString networkError;                  // empty unless the exchange itself failed

    QJsonObject json() const;
    QJsonObject error() const { return json().value(u"error").toObject(); }
};

struct FormField
{
    QByteArray name;
    QByteArray value;
    QByteArray filename; // set for file parts
};

// A plain HTTP client over a real loopback socket (QNetworkAccessManager), waiting for each answer.
class SimTestClient
{
public:
    explicit SimTestClient(QUrl baseUrl, QByteArray apiKey = "sk-test");

    QUrl url(const QString& path) const; // path relative to /v1, or absolute from "/"
    HttpResult get(const QString& path, const QHash<QByteArray, QByteArray>& headers = {});
    HttpResult postJson(const QString& path, const QJsonObject& body);
    HttpResult postRaw(const QString& path, const QByteArray& contentType, const QByteArray& body);
    HttpResult postEmpty(const QString& path);
    HttpResult deleteResource(const QString& path);
    HttpResult send(const QByteArray& verb,
                    const QString& path,
                    const QByteArray& body = {},
                    const QHash<QByteArray, QByteArray>& headers = {},
                    int timeoutMs = 60000);

    // multipart/form-data in the given part order
    HttpResult upload(const QList<FormField>& fields);
    HttpResult uploadFile(const QByteArray& content,
                          const QByteArray& filename = "input.jsonl",
                          const QByteArray& purpose = "batch");
    QString uploadBatchFile(const QByteArray& content); // the id, or empty (with a warning) on failure

    HttpResult createBatch(const QString& fileId,
                           const QString& endpoint = QStringLiteral("/v1/chat/completions"),
                           const QJsonObject& extra = {});
    QJsonObject batch(const QString& id);
    // Polls until the batch has one of `statuses` (the timeout only guards against hanging).
    QJsonObject waitForStatus(const QString& id, const QStringList& statuses, int timeoutMs = 60000);
    QByteArray fileContent(const QString& fileId);

    void setApiKey(const QByteArray& key) { m_apiKey = key; }

private:
    QNetworkAccessManager m_network;
    QUrl m_baseUrl;
    QByteArray m_apiKey;
};

// Input lines for a chat batch: {"custom_id":"req-<i>",...,"messages":[{"role":"user","content":"<text i>"}]}.
QByteArray chatLines(int count,
                     const QString& model = QStringLiteral("gpt-4o-mini"),
                     const QString& textPrefix = QStringLiteral("Question number"));
QByteArray
chatLine(const QString& customId, const QString& content, const QString& model = QStringLiteral("gpt-4o-mini"));

QList<QJsonObject> jsonLines(const QByteArray& content);

} // namespace batchdeck::sim::test
