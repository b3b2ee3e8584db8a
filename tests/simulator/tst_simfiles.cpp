// /v1/files over QNetworkAccessManager: multipart in both part orders, expires_after in bracket
// and dotted form, validation, list paging and filters, retrieve, delete, content, expiry.
#include <QJsonArray>
#include <QTest>

#include "SimTestClient.h"
#include "simulator/SimulatorServer.h"

using namespace batchdeck::sim;
using namespace batchdeck::sim::test;
using namespace Qt::StringLiterals;

class TestSimFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        SimulatorOptions options;
        options.maxBatchFileBytes = 1000; // the 200 MB check itself is in tst_simhttp
        m_server = std::make_unique<SimulatorServer>(options);
        QVERIFY(m_server->listen().ok());
        m_client = std::make_unique<SimTestClient>(m_server->baseUrl());
    }

    void cleanup()
    {
        m_client.reset();
        m_server.reset();
    }

    void uploadTakesPartsInEitherOrder_data()
    {
        QTest::addColumn<bool>("purposeFirst");
        QTest::newRow("purpose first (SDK 6)") << true;
        QTest::newRow("file first (SDK 7)") << false;
    }

    void uploadTakesPartsInEitherOrder()
    {
        QFETCH(bool, purposeFirst);
        const QByteArray content = chatLines(2);
        const FormField purpose{"purpose", "batch", {}};
        const FormField file{"file", content, "C:\\Users\\me\\data\\input.jsonl"};
        const HttpResult result =
            m_client->upload(purposeFirst ? QList<FormField>{purpose, file} : QList<FormField>{file, purpose});
        QCOMPARE(result.status, 200);
        const QJsonObject json = result.json();
        QVERIFY(json.value(u"id").toString().startsWith(u"file-"));
        QCOMPARE(json.value(u"id").toString().size(), 5 + 22);
        QCOMPARE(json.value(u"object").toString(), u"file"_s);
        QCOMPARE(json.value(u"bytes").toInteger(), content.size());
        QCOMPARE(json.value(u"filename").toString(), u"input.jsonl"_s); // the basename only
        QCOMPARE(json.value(u"purpose").toString(), u"batch"_s);
        QCOMPARE(json.value(u"status").toString(), u"processed"_s);
        QVERIFY(json.value(u"status_details").isNull());
        // purpose=batch files expire after 30 days by default
        QCOMPARE(json.value(u"expires_at").toInteger() - json.value(u"created_at").toInteger(), 30 * 24 * 3600);
        QVERIFY(result.headers.value("x-request-id").startsWith("req_"));
        QCOMPARE(m_client->fileContent(json.value(u"id").toString()), content);
    }

    void expiresAfterInBracketAndDottedForm_data()
    {
        QTest::addColumn<QByteArray>("anchorField");
        QTest::addColumn<QByteArray>("secondsField");
        QTest::newRow("brackets (SDKs)") << QByteArray("expires_after[anchor]") << QByteArray("expires_after[seconds]");
        QTest::newRow("dotted (Azure curl)")
            << QByteArray("expires_after.anchor") << QByteArray("expires_after.seconds");
    }

    void expiresAfterInBracketAndDottedForm()
    {
        QFETCH(QByteArray, anchorField);
        QFETCH(QByteArray, secondsField);
        const HttpResult result = m_client->upload({{"file", chatLines(1), "x.jsonl"},
                                                    {anchorField, "created_at", {}},
                                                    {secondsField, "7200", {}},
                                                    {"purpose", "batch", {}}});
        QCOMPARE(result.status, 200);
        QCOMPARE(result.json().value(u"expires_at").toInteger() - result.json().value(u"created_at").toInteger(), 7200);
    }

    void otherPurposesDoNotExpireByDefault()
    {
        const HttpResult result = m_client->uploadFile("hello", "notes.txt", "user_data");
        QCOMPARE(result.status, 200);
        QVERIFY(result.json().value(u"expires_at").isNull());
    }

    void uploadValidation_data()
    {
        QTest::addColumn<QList<FormField>>("fields");
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("message");
        const FormField file{"file", "{}\n", "in.jsonl"};
        QTest::newRow("no file") << QList<FormField>{{"purpose", "batch", {}}} << u"file"_s
                                 << u"Missing required parameter: 'file'."_s;
        QTest::newRow("no purpose") << QList<FormField>{file} << u"purpose"_s
                                    << u"Missing required parameter: 'purpose'."_s;
        QTest::newRow("bad purpose") << QList<FormField>{file, {"purpose", "batch_output", {}}} << u"purpose"_s
                                     << QString();
        QTest::newRow("not jsonl") << QList<FormField>{{"file", "{}\n", "in.csv"}, {"purpose", "batch", {}}}
                                   << QString() << u"Invalid file format for Batch API. Must be .jsonl"_s;
        QTest::newRow("too large") << QList<FormField>{{"file", QByteArray(1001, 'x'), "big.jsonl"},
                                                       {"purpose", "batch", {}}}
                                   << QString() << u"File is too large."_s;
        QTest::newRow("expiry too short") << QList<FormField>{file,
                                                              {"purpose", "batch", {}},
                                                              {"expires_after[anchor]", "created_at", {}},
                                                              {"expires_after[seconds]", "60", {}}}
                                          << u"expires_after.seconds"_s << QString();
        QTest::newRow("bad anchor") << QList<FormField>{file,
                                                        {"purpose", "batch", {}},
                                                        {"expires_after[anchor]", "last_active_at", {}},
                                                        {"expires_after[seconds]", "3600", {}}}
                                    << u"expires_after.anchor"_s << QString();
    }

    void uploadValidation()
    {
        QFETCH(QList<FormField>, fields);
        QFETCH(QString, param);
        QFETCH(QString, message);
        const HttpResult result = m_client->upload(fields);
        QCOMPARE(result.status, 400);
        const QJsonObject error = result.error();
        QCOMPARE(error.value(u"type").toString(), u"invalid_request_error"_s);
        QCOMPARE(error.value(u"param").toString(), param);
        QCOMPARE(error.value(u"param").isNull(), param.isEmpty());
        if (!message.isEmpty())
            QCOMPARE(error.value(u"message").toString(), message);
        QCOMPARE(m_client->get(u"files"_s).json().value(u"data").toArray().size(), 0);
    }

    void nonMultipartUploadIsRefused()
    {
        const HttpResult result = m_client->postJson(u"files"_s, QJsonObject{{u"purpose"_s, u"batch"_s}});
        QCOMPARE(result.status, 400);
        QCOMPARE(result.error().value(u"type").toString(), u"invalid_request_error"_s);
    }

    void truncatedMultipartIsRefused()
    {
        const HttpResult result = m_client->postRaw(
            u"files"_s,
            "multipart/form-data; boundary=zz",
            "--zz\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--zz\r\nContent-Dispo");
        QCOMPARE(result.status, 400);
    }

    void listOrdersPagesAndFilters()
    {
        QStringList ids;
        for (int i = 0; i < 5; ++i) {
            const HttpResult result = i % 2 == 0 ? m_client->uploadFile(chatLines(1), "f.jsonl", "batch")
                                                 : m_client->uploadFile("x", "f.txt", "user_data");
            QCOMPARE(result.status, 200);
            ids.append(result.json().value(u"id").toString());
        }
        const auto idsOf = [](const QJsonObject& page) {
            QStringList result;
            for (const QJsonValue& file : page.value(u"data").toArray())
                result.append(file.toObject().value(u"id").toString());
            return result;
        };
        // Newest first by default.
        const QJsonObject all = m_client->get(u"files"_s).json();
        QCOMPARE(all.value(u"object").toString(), u"list"_s);
        QCOMPARE(idsOf(all), (QStringList{ids[4], ids[3], ids[2], ids[1], ids[0]}));
        QCOMPARE(all.value(u"has_more").toBool(), false);
        QCOMPARE(all.value(u"first_id").toString(), ids[4]);
        QCOMPARE(all.value(u"last_id").toString(), ids[0]);

        const QJsonObject ascending = m_client->get(u"files?order=asc&limit=2"_s).json();
        QCOMPARE(idsOf(ascending), (QStringList{ids[0], ids[1]}));
        QCOMPARE(ascending.value(u"has_more").toBool(), true);
        const QJsonObject next = m_client->get(u"files?order=asc&limit=2&after="_s + ids[1]).json();
        QCOMPARE(idsOf(next), (QStringList{ids[2], ids[3]}));

        QCOMPARE(idsOf(m_client->get(u"files?purpose=batch"_s).json()), (QStringList{ids[4], ids[2], ids[0]}));
        const QJsonObject none = m_client->get(u"files?purpose=vision"_s).json();
        QVERIFY(none.value(u"data").toArray().isEmpty());
        QVERIFY(none.value(u"first_id").isNull());
        QVERIFY(none.value(u"last_id").isNull());

        QCOMPARE(m_client->get(u"files?limit=0"_s).status, 400);
        QCOMPARE(m_client->get(u"files?limit=10001"_s).status, 400);
        QCOMPARE(m_client->get(u"files?order=sideways"_s).status, 400);
    }

    void retrieveDeleteAndContent()
    {
        const QString id = m_client->uploadBatchFile(chatLines(3));
        QVERIFY(!id.isEmpty());
        QCOMPARE(m_client->get(u"files/"_s + id).json().value(u"id").toString(), id);

        const HttpResult content = m_client->get(u"files/%1/content"_s.arg(id), {{"Accept", "application/binary"}});
        QCOMPARE(content.status, 200);
        QCOMPARE(content.headers.value("content-type"), QByteArray("application/octet-stream"));
        QCOMPARE(content.body, chatLines(3));

        const HttpResult deleted = m_client->deleteResource(u"files/"_s + id);
        QCOMPARE(deleted.status, 200);
        QCOMPARE(deleted.json(), (QJsonObject{{u"id"_s, id}, {u"object"_s, u"file"_s}, {u"deleted"_s, true}}));

        for (const QString& path : QStringList{u"files/"_s + id, u"files/%1/content"_s.arg(id)}) {
            const HttpResult missing = m_client->get(path);
            QCOMPARE(missing.status, 404);
            QCOMPARE(missing.error().value(u"message").toString(), u"No such File object: "_s + id);
            QCOMPARE(missing.error().value(u"type").toString(), u"invalid_request_error"_s);
        }
        QCOMPARE(m_client->deleteResource(u"files/"_s + id).status, 404);
    }

    void expiredFilesAreGone()
    {
        const HttpResult result = m_client->upload({{"purpose", "batch", {}},
                                                    {"file", chatLines(1), "x.jsonl"},
                                                    {"expires_after[anchor]", "created_at", {}},
                                                    {"expires_after[seconds]", "3600", {}}});
        const QString id = result.json().value(u"id").toString();
        QCOMPARE(m_client->get(u"files/%1/content"_s.arg(id)).status, 200);
        m_server->advanceClock(3600 * 1000);
        QCOMPARE(m_client->get(u"files/%1/content"_s.arg(id)).status, 404);
        QCOMPARE(m_client->get(u"files/"_s + id).status, 404);
        QVERIFY(m_client->get(u"files"_s).json().value(u"data").toArray().isEmpty());
    }

private:
    std::unique_ptr<SimulatorServer> m_server;
    std::unique_ptr<SimTestClient> m_client;
};

QTEST_GUILESS_MAIN(TestSimFiles)
#include "tst_simfiles.moc"
