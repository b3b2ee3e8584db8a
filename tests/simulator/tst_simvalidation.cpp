// Batch creation checks (synchronous 400s on the body) and input file validation (asynchronous:
// the batch is created, then fails with errors.data entries carrying 1-based line numbers).
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include "SimTestClient.h"
#include "simulator/SimulatorServer.h"

using namespace batchdeck::sim;
using namespace batchdeck::sim::test;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kPhase = 10 * 60 * 1000;

QByteArray line(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

QJsonObject request(const QString& customId, const QString& model = u"gpt-4o-mini"_s)
{
    return QJsonObject{
        {u"custom_id"_s, customId},
        {u"method"_s, u"POST"_s},
        {u"url"_s, u"/v1/chat/completions"_s},
        {u"body"_s,
         QJsonObject{{u"model"_s, model},
                     {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"hi"_s}}}}}}};
}

QJsonObject with(QJsonObject object, const QString& key, const QJsonValue& value)
{
    if (value.isUndefined())
        object.remove(key);
    else
        object.insert(key, value);
    return object;
}

} // namespace

using ErrorList = QList<std::pair<QString, int>>; // code, line (0 = null)
Q_DECLARE_METATYPE(ErrorList)

class TestSimValidation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        SimulatorOptions options;
        options.phaseMs = kPhase;
        m_server = std::make_unique<SimulatorServer>(options);
        QVERIFY(m_server->listen().ok());
        m_client = std::make_unique<SimTestClient>(m_server->baseUrl());
        m_fileId = m_client->uploadBatchFile(chatLines(1));
        QVERIFY(!m_fileId.isEmpty());
    }

    void cleanup()
    {
        m_client.reset();
        m_server.reset();
    }

    void createRejectsBadBodies_data()
    {
        QTest::addColumn<QJsonObject>("changes");
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("remove");
        QTest::newRow("no input_file_id")
            << QJsonObject() << u"input_file_id"_s << u"missing_required_parameter"_s << u"input_file_id"_s;
        QTest::newRow("no endpoint") << QJsonObject() << u"endpoint"_s << u"missing_required_parameter"_s
                                     << u"endpoint"_s;
        QTest::newRow("no window") << QJsonObject() << u"completion_window"_s << u"missing_required_parameter"_s
                                   << u"completion_window"_s;
        QTest::newRow("unknown endpoint")
            << QJsonObject{{u"endpoint"_s, u"/v1/audio/speech"_s}} << u"endpoint"_s << u"invalid_value"_s << QString();
        QTest::newRow("endpoint without /v1")
            << QJsonObject{{u"endpoint"_s, u"/chat/completions"_s}} << u"endpoint"_s << u"invalid_value"_s << QString();
        QTest::newRow("window 48h") << QJsonObject{{u"completion_window"_s, u"48h"_s}} << u"completion_window"_s
                                    << u"invalid_value"_s << QString();
        QJsonObject seventeen;
        for (int i = 0; i < 17; ++i)
            seventeen.insert(u"k%1"_s.arg(i), u"v"_s);
        QTest::newRow("17 metadata pairs") << QJsonObject{{u"metadata"_s, seventeen}} << u"metadata"_s
                                           << u"object_above_max_properties"_s << QString();
        QTest::newRow("metadata key 65") << QJsonObject{{u"metadata"_s, QJsonObject{{QString(65, u'k'), u"v"_s}}}}
                                         << u"metadata"_s << u"string_above_max_length"_s << QString();
        QTest::newRow("metadata value 513") << QJsonObject{{u"metadata"_s, QJsonObject{{u"k"_s, QString(513, u'v')}}}}
                                            << u"metadata.k"_s << u"string_above_max_length"_s << QString();
        QTest::newRow("metadata number") << QJsonObject{{u"metadata"_s, QJsonObject{{u"k"_s, 5}}}} << u"metadata.k"_s
                                         << u"invalid_type"_s << QString();
        QTest::newRow("metadata list") << QJsonObject{{u"metadata"_s, QJsonArray{1}}} << u"metadata"_s
                                       << u"invalid_type"_s << QString();
        QTest::newRow("output expiry short")
            << QJsonObject{{u"output_expires_after"_s, QJsonObject{{u"anchor"_s, u"created_at"_s}, {u"seconds"_s, 60}}}}
            << u"output_expires_after.seconds"_s << u"invalid_value"_s << QString();
        QTest::newRow("unknown field") << QJsonObject{{u"priority"_s, u"high"_s}} << u"priority"_s << QString()
                                       << QString();
    }

    void createRejectsBadBodies()
    {
        QFETCH(QJsonObject, changes);
        QFETCH(QString, remove);
        QFETCH(QString, param);
        QFETCH(QString, code);
        QJsonObject body{{u"input_file_id"_s, m_fileId},
                         {u"endpoint"_s, u"/v1/chat/completions"_s},
                         {u"completion_window"_s, u"24h"_s}};
        for (auto it = changes.begin(); it != changes.end(); ++it)
            body = with(body, it.key(), it.value());
        body.remove(remove);
        const HttpResult result = m_client->postJson(u"batches"_s, body);
        QCOMPARE(result.status, 400);
        QCOMPARE(result.error().value(u"type").toString(), u"invalid_request_error"_s);
        QCOMPARE(result.error().value(u"param").toString(), param);
        QCOMPARE(result.error().value(u"code").toString(), code);
        QCOMPARE(m_server->batchesCreated(), 0);
    }

    void createAcceptsTheLimits()
    {
        QJsonObject sixteen;
        for (int i = 0; i < 16; ++i)
            sixteen.insert(QString(64, QChar(u'a' + i)), QString(512, u'v'));
        const HttpResult result = m_client->createBatch(
            m_fileId,
            u"/v1/chat/completions"_s,
            {{u"metadata"_s, sixteen},
             {u"output_expires_after"_s, QJsonObject{{u"anchor"_s, u"created_at"_s}, {u"seconds"_s, 3600}}}});
        QCOMPARE(result.status, 200);
        QCOMPARE(result.json().value(u"metadata").toObject(), sixteen);
        QVERIFY(m_client->createBatch(m_fileId, u"/v1/chat/completions"_s, {{u"metadata"_s, QJsonValue()}})
                    .json()
                    .value(u"metadata")
                    .isNull());
    }

    void outputExpiresAfterSetsTheResultFilesExpiry()
    {
        const HttpResult result = m_client->createBatch(
            m_fileId,
            u"/v1/chat/completions"_s,
            {{u"output_expires_after"_s, QJsonObject{{u"anchor"_s, u"created_at"_s}, {u"seconds"_s, 7200}}}});
        m_server->advanceClock(3 * kPhase);
        const QJsonObject batch = m_client->batch(result.json().value(u"id").toString());
        const QJsonObject output = m_client->get(u"files/"_s + batch.value(u"output_file_id").toString()).json();
        QCOMPARE(output.value(u"expires_at").toInteger() - output.value(u"created_at").toInteger(), 7200);
    }

    void createChecksTheInputFile()
    {
        const HttpResult missing = m_client->createBatch(u"file-doesnotexist"_s);
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.error().value(u"param").toString(), u"input_file_id"_s);

        const QString other = m_client->uploadFile("x", "notes.txt", "user_data").json().value(u"id").toString();
        const HttpResult wrongPurpose = m_client->createBatch(other);
        QCOMPARE(wrongPurpose.status, 400);
        QCOMPARE(wrongPurpose.error().value(u"param").toString(), u"input_file_id"_s);

        const HttpResult notJson = m_client->postRaw(u"batches"_s, "application/json", "{nope");
        QCOMPARE(notJson.status, 400);
        QCOMPARE(m_server->batchesCreated(), 0);
    }

    void badFilesFailWithLineNumbers_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<ErrorList>("errors");
        const QByteArray good1 = line(request(u"a"_s));
        const QByteArray good2 = line(request(u"b"_s));
        QTest::newRow("invalid json") << good1 + "{\"custom_id\": \n" + good2 << ErrorList{{u"invalid_json_line"_s, 2}};
        QTest::newRow("not an object") << good1 + good2 + "[1,2]\n" << ErrorList{{u"invalid_json_line"_s, 3}};
        QTest::newRow("missing custom_id") << good1 + line(with(request(u"x"_s), u"custom_id"_s, QJsonValue::Undefined))
                                           << ErrorList{{u"missing_required_parameter"_s, 2}};
        QTest::newRow("duplicate custom_id")
            << good1 + good2 + line(request(u"a"_s)) << ErrorList{{u"duplicate_custom_id"_s, 3}};
        QTest::newRow("url mismatch") << line(with(request(u"a"_s), u"url"_s, u"/v1/embeddings"_s)) + good2
                                      << ErrorList{{u"url_mismatch"_s, 1}};
        QTest::newRow("wrong method") << good1 + line(with(request(u"b"_s), u"method"_s, u"GET"_s))
                                      << ErrorList{{u"invalid_request"_s, 2}};
        QTest::newRow("mixed models") << good1 + line(request(u"b"_s, u"gpt-4.1"_s)) + line(request(u"c"_s))
                                      << ErrorList{{u"model_mismatch"_s, 2}};
        QTest::newRow("no model") << line(with(request(u"a"_s), u"body"_s, QJsonObject{{u"messages"_s, QJsonArray()}}))
                                  << ErrorList{{u"missing_required_parameter"_s, 1}};
        QTest::newRow("streaming") << line(with(request(u"a"_s),
                                                u"body"_s,
                                                QJsonObject{{u"model"_s, u"gpt-4o-mini"_s},
                                                            {u"stream"_s, true},
                                                            {u"messages"_s, QJsonArray()}}))
                                   << ErrorList{{u"invalid_request"_s, 1}};
        QTest::newRow("empty file") << QByteArray("\n  \n") << ErrorList{{u"empty_file"_s, 0}};
        // Blank lines are skipped but counted, so the numbers match what an editor shows.
        QTest::newRow("several errors, blank lines counted")
            << good1 + "\n" + "oops\n" + line(request(u"a"_s)) + "\n" + line(request(u"z"_s, u"o3-mini"_s))
            << ErrorList{{u"invalid_json_line"_s, 3}, {u"duplicate_custom_id"_s, 4}, {u"model_mismatch"_s, 6}};
    }

    void badFilesFailWithLineNumbers()
    {
        QFETCH(QByteArray, content);
        QFETCH(ErrorList, errors);
        const QString fileId = m_client->uploadBatchFile(content);
        const HttpResult created = m_client->createBatch(fileId);
        QCOMPARE(created.status, 200); // file problems never fail the create call
        QCOMPARE(created.json().value(u"status").toString(), u"validating"_s);
        m_server->advanceClock(kPhase);
        const QJsonObject batch = m_client->batch(created.json().value(u"id").toString());
        QCOMPARE(batch.value(u"status").toString(), u"failed"_s);
        QVERIFY(!batch.value(u"failed_at").isNull());
        QVERIFY(batch.value(u"in_progress_at").isNull());
        QVERIFY(batch.value(u"output_file_id").isNull());
        QVERIFY(batch.value(u"error_file_id").isNull());
        QCOMPARE(batch.value(u"request_counts").toObject().value(u"total").toInt(), 0);
        const QJsonObject list = batch.value(u"errors").toObject();
        QCOMPARE(list.value(u"object").toString(), u"list"_s);
        const QJsonArray data = list.value(u"data").toArray();
        QCOMPARE(data.size(), errors.size());
        for (qsizetype i = 0; i < errors.size(); ++i) {
            const QJsonObject error = data.at(i).toObject();
            QCOMPARE(error.keys(), (QStringList{u"code"_s, u"line"_s, u"message"_s, u"param"_s}));
            QCOMPARE(error.value(u"code").toString(), errors.at(i).first);
            QVERIFY(!error.value(u"message").toString().isEmpty());
            if (errors.at(i).second == 0)
                QVERIFY(error.value(u"line").isNull());
            else
                QCOMPARE(error.value(u"line").toInt(), errors.at(i).second);
        }
        // A later clock changes nothing.
        m_server->advanceClock(5 * kPhase);
        QCOMPARE(m_client->batch(batch.value(u"id").toString()), batch);
    }

    void tooManyTasks()
    {
        QByteArray content;
        const QByteArray prefix = "{\"custom_id\":\"";
        const QByteArray suffix =
            "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\",\"messages\":[]}}\n";
        content.reserve(50001 * (prefix.size() + suffix.size() + 6));
        for (int i = 0; i < 50001; ++i)
            content += prefix + QByteArray::number(i) + suffix;
        const HttpResult created = m_client->createBatch(m_client->uploadBatchFile(content));
        m_server->advanceClock(kPhase);
        const QJsonObject batch = m_client->batch(created.json().value(u"id").toString());
        QCOMPARE(batch.value(u"status").toString(), u"failed"_s);
        const QJsonArray errors = batch.value(u"errors").toObject().value(u"data").toArray();
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.first().toObject().value(u"code").toString(), u"too_many_tasks"_s);
        QCOMPARE(errors.first().toObject().value(u"line").toInt(), 50001);
    }

    void tooManyEmbeddingInputs()
    {
        QJsonArray inputs;
        for (int i = 0; i < 30000; ++i)
            inputs.append(u"t"_s);
        QByteArray content;
        for (int i = 0; i < 2; ++i) {
            content += line(
                QJsonObject{{u"custom_id"_s, u"e%1"_s.arg(i)},
                            {u"method"_s, u"POST"_s},
                            {u"url"_s, u"/v1/embeddings"_s},
                            {u"body"_s, QJsonObject{{u"model"_s, u"text-embedding-3-small"_s}, {u"input"_s, inputs}}}});
        }
        const HttpResult created = m_client->createBatch(m_client->uploadBatchFile(content), u"/v1/embeddings"_s);
        m_server->advanceClock(kPhase);
        const QJsonObject batch = m_client->batch(created.json().value(u"id").toString());
        QCOMPARE(batch.value(u"status").toString(), u"failed"_s);
        const QJsonObject error = batch.value(u"errors").toObject().value(u"data").toArray().first().toObject();
        QCOMPARE(error.value(u"code").toString(), u"too_many_tasks"_s);
        QCOMPARE(error.value(u"line").toInt(), 2);
    }

private:
    std::unique_ptr<SimulatorServer> m_server;
    std::unique_ptr<SimTestClient> m_client;
    QString m_fileId;
};

QTEST_GUILESS_MAIN(TestSimValidation)
#include "tst_simvalidation.moc"
