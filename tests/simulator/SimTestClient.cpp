#include "SimTestClient.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTest>
#include <QTimer>

namespace batchdeck::sim::test {

using namespace Qt::StringLiterals;

QJsonObject HttpResult::json() const
{
    return QJsonDocument::fromJson(body).object();
}

SimTestClient::SimTestClient(QUrl baseUrl, QByteArray apiKey)
    : m_baseUrl(std::move(baseUrl))
    , m_apiKey(std::move(apiKey))
{}

QUrl SimTestClient::url(const QString& path) const
{
    QUrl url = m_baseUrl;
    const qsizetype query = path.indexOf(u'?');
    const QString pathPart = query < 0 ? path : path.first(query);
    url.setPath(pathPart.startsWith(u'/') ? pathPart : m_baseUrl.path() + u'/' + pathPart);
    if (query >= 0)
        url.setQuery(path.sliced(query + 1));
    return url;
}

HttpResult SimTestClient::send(const QByteArray& verb,
                               const QString& path,
                               const QByteArray& body,
                               const QHash<QByteArray, QByteArray>& headers,
                               int timeoutMs)
{
    QNetworkRequest request(url(path));
    if (!m_apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_apiKey);
    for (auto it = headers.begin(); it != headers.end(); ++it)
        request.setRawHeader(it.key(), it.value());
    request.setTransferTimeout(timeoutMs);
    QNetworkReply* reply = m_network.sendCustomRequest(request, verb, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->isOpen())
        result.body = reply->readAll();
    for (const auto& [name, value] : reply->rawHeaderPairs())
        result.headers.insert(name.toLower(), value);
    if (reply->error() != QNetworkReply::NoError && result.status == 0)
        result.networkError = reply->errorString();
    reply->deleteLater();
    return result;
}

HttpResult SimTestClient::get(const QString& path, const QHash<QByteArray, QByteArray>& headers)
{
    return send("GET", path, {}, headers);
}

HttpResult SimTestClient::postJson(const QString& path, const QJsonObject& body)
{
    return send(
        "POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), {{"Content-Type", "application/json"}});
}

HttpResult SimTestClient::postRaw(const QString& path, const QByteArray& contentType, const QByteArray& body)
{
    return send("POST", path, body, {{"Content-Type", contentType}});
}

HttpResult SimTestClient::postEmpty(const QString& path)
{
    return send("POST", path, {}, {{"Content-Length", "0"}});
}

HttpResult SimTestClient::deleteResource(const QString& path)
{
    return send("DELETE", path);
}

HttpResult SimTestClient::upload(const QList<FormField>& fields)
{
    const QByteArray boundary = "----simtest-boundary-7f3a";
    QByteArray body;
    for (const FormField& field : fields) {
        body += "--" + boundary + "\r\n";
        body += "Content-Disposition: form-data; name=\"" + field.name + "\"";
        if (!field.filename.isEmpty())
            body += "; filename=\"" + field.filename + "\"\r\nContent-Type: application/octet-stream";
        body += "\r\n\r\n" + field.value + "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    return postRaw(u"files"_s, "multipart/form-data; boundary=" + boundary, body);
}

HttpResult SimTestClient::uploadFile(const QByteArray& content, const QByteArray& filename, const QByteArray& purpose)
{
    return upload({{"purpose", purpose, {}}, {"file", content, filename}});
}

QString SimTestClient::uploadBatchFile(const QByteArray& content)
{
    const HttpResult result = uploadFile(content);
    if (result.status != 200) {
        qWarning() << "upload failed:" << result.status << result.body;
        return {};
    }
    return result.json().value(u"id").toString();
}

HttpResult SimTestClient::createBatch(const QString& fileId, const QString& endpoint, const QJsonObject& extra)
{
    QJsonObject body{{u"input_file_id"_s, fileId}, {u"endpoint"_s, endpoint}, {u"completion_window"_s, u"24h"_s}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        body.insert(it.key(), it.value());
    return postJson(u"batches"_s, body);
}

QJsonObject SimTestClient::batch(const QString& id)
{
    return get(u"batches/"_s + id).json();
}

QJsonObject SimTestClient::waitForStatus(const QString& id, const QStringList& statuses, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    QJsonObject current = batch(id);
    while (!statuses.contains(current.value(u"status").toString()) && timer.elapsed() < timeoutMs) {
        QTest::qWait(5);
        current = batch(id);
    }
    return current;
}

QByteArray SimTestClient::fileContent(const QString& fileId)
{
    return get(u"files/%1/content"_s.arg(fileId), {{"Accept", "application/binary"}}).body;
}

QByteArray chatLine(const QString& customId, const QString& content, const QString& model)
{
    const QJsonObject line{
        {u"custom_id"_s, customId},
        {u"method"_s, u"POST"_s},
        {u"url"_s, u"/v1/chat/completions"_s},
        {u"body"_s,
         QJsonObject{{u"model"_s, model},
                     {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, content}}}}}}};
    return QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
}

QByteArray chatLines(int count, const QString& model, const QString& textPrefix)
{
    QByteArray lines;
    for (int i = 0; i < count; ++i)
        lines += chatLine(u"req-%1"_s.arg(i), u"%1 %2"_s.arg(textPrefix).arg(i), model);
    return lines;
}

QList<QJsonObject> jsonLines(const QByteArray& content)
{
    QList<QJsonObject> lines;
    for (const QByteArray& line : content.split('\n')) {
        if (!line.trimmed().isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    }
    return lines;
}

} // namespace batchdeck::sim::test
