// The simulator's parsers and generators on their own: multipart, input validation, failure
// markers, JSON Schema samples.
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include "simulator/InputValidator.h"
#include "simulator/JsonSchemaSample.h"
#include "simulator/MultipartParser.h"
#include "simulator/ResponseGenerator.h"

using namespace batchdeck;
using namespace batchdeck::sim;
using namespace Qt::StringLiterals;

class TestSimUnits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void boundaries()
    {
        QCOMPARE(multipartBoundary("multipart/form-data; boundary=abc").value(), QByteArray("abc"));
        QCOMPARE(multipartBoundary("Multipart/Form-Data;boundary=\"a b;c\"").value(), QByteArray("a b;c"));
        QVERIFY(!multipartBoundary("application/json").ok());
        QVERIFY(!multipartBoundary("multipart/form-data").ok());
    }

    void multipartParts()
    {
        const QByteArray body =
            "preamble\r\n--XX\r\n"
            "Content-Disposition: form-data; name=\"purpose\"\r\n\r\n"
            "batch\r\n"
            "--XX  \r\n"
            "content-disposition: form-data; name=\"file\"; filename=\"dir/a\\\"b;c.jsonl\"\r\n"
            "Content-Type: text/plain\r\n\r\n"
            "line1\r\n-XX\r\nline2--XX\r\n"
            "--XX\r\n"
            "Content-Disposition: form-data; name=\"other\"; filename*=UTF-8''na%C3%AFve.jsonl\r\n\r\n"
            "\r\n"
            "--XX--\r\nepilogue";
        const Result<QList<MultipartPart>> parts = parseMultipart(body, "XX");
        QVERIFY(parts.ok());
        QCOMPARE(parts->size(), 3);
        QCOMPARE(parts->at(0).name, u"purpose"_s);
        QVERIFY(!parts->at(0).hasFilename);
        QCOMPARE(parts->at(0).data, QByteArrayView("batch"));
        QCOMPARE(parts->at(1).name, u"file"_s);
        QCOMPARE(parts->at(1).filename, u"a\"b;c.jsonl"_s);
        QCOMPARE(parts->at(1).contentType, QByteArray("text/plain"));
        QCOMPARE(parts->at(1).data, QByteArrayView("line1\r\n-XX\r\nline2--XX"));
        QCOMPARE(parts->at(2).filename, u"naïve.jsonl"_s);
        QVERIFY(parts->at(2).data.isEmpty());
    }

    void malformedMultipart_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("no delimiter") << QByteArray("hello");
        QTest::newRow("truncated") << QByteArray("--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue");
        QTest::newRow("no name") << QByteArray("--XX\r\nContent-Type: text/plain\r\n\r\nv\r\n--XX--");
        QTest::newRow("no headers end") << QByteArray("--XX\r\nContent-Disposition: form-data; name=\"a\"");
    }

    void malformedMultipart()
    {
        QFETCH(QByteArray, body);
        QVERIFY(!parseMultipart(body, "XX").ok());
    }

    void validatorCollectsRequestsAndEstimates()
    {
        InputValidator validator(u"/v1/embeddings"_s);
        QList<InputRequest> requests;
        const QByteArray content = "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/"
                                   "embeddings\",\"body\":{\"model\":\"e\",\"input\":\"abcd\"}}\n"
                                   "\r\n"
                                   "{\"custom_id\":\"b\",\"method\":\"POST\",\"url\":\"/v1/"
                                   "embeddings\",\"body\":{\"model\":\"e\",\"input\":[1,2,3]}}";
        validator.run(content, [&](const InputRequest& request) { requests.append(request); });
        QVERIFY(validator.ok());
        QCOMPARE(validator.requestCount(), 2);
        QCOMPARE(validator.model(), u"e"_s);
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests.at(1).line, 3);
        QCOMPARE(requests.at(1).customId, u"b"_s);
        qint64 expected = 0;
        for (const InputRequest& request : requests)
            expected += estimateTokens(request.compactBody.size());
        QCOMPARE(validator.estimatedTokens(), expected);
    }

    void validatorReportsAtMostAHundredErrors()
    {
        QByteArray content;
        for (int i = 0; i < 150; ++i)
            content += "nope\n";
        InputValidator validator(u"/v1/chat/completions"_s);
        validator.run(content, [](const InputRequest&) { QFAIL("no request from a bad file"); });
        QCOMPARE(validator.errors().size(), InputValidator::kMaxReportedErrors);
        QCOMPARE(validator.errors().last().line.value_or(0), 100);
    }

    void failureMarker()
    {
        QCOMPARE(ResponseGenerator::failureMarker("{\"x\":\"[[sim:fail:429]]\"}").value_or(0), 429);
        QCOMPARE(ResponseGenerator::failureMarker("[[sim:fail:503]] and [[sim:fail:400]]").value_or(0), 503);
        QVERIFY(!ResponseGenerator::failureMarker("[[sim:fail:200]]").has_value()); // not a failure status
        QVERIFY(!ResponseGenerator::failureMarker("[[sim:fail:abc]]").has_value());
        QVERIFY(!ResponseGenerator::failureMarker("[[sim:fail:429").has_value());
        QVERIFY(!ResponseGenerator::failureMarker("no marker").has_value());
    }

    void schemaSamples()
    {
        // (A plain string: moc 6.4 stops finding classes in a file with this raw string literal.)
        const QJsonObject schema =
            QJsonDocument::fromJson(
                "{"
                "\"type\": \"object\","
                "\"properties\": {"
                "\"name\": {\"type\": \"string\"},"
                "\"when\": {\"type\": \"string\", \"format\": \"date\"},"
                "\"count\": {\"type\": \"integer\", \"minimum\": 3},"
                "\"maybe\": {\"type\": [\"null\", \"number\"]},"
                "\"kind\": {\"anyOf\": [{\"type\": \"null\"}, {\"const\": \"fixed\"}]},"
                "\"items\": {\"type\": \"array\", \"minItems\": 2, \"items\": {\"$ref\": \"#/$defs/item\"}},"
                "\"nested\": {\"properties\": {\"ok\": {\"type\": \"boolean\"}}}"
                "},"
                "\"$defs\": {\"item\": {\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"integer\"}}}}"
                "}")
                .object();
        const QJsonObject sample = sampleForSchema(schema, u"seed"_s).toObject();
        QVERIFY(sample.value(u"name").toString().contains(u"name"));
        QCOMPARE(sample.value(u"when").toString(), u"2026-01-01"_s);
        QCOMPARE(sample.value(u"count").toInt(), 3);
        QVERIFY(sample.value(u"maybe").isDouble());
        QCOMPARE(sample.value(u"kind").toString(), u"fixed"_s);
        QCOMPARE(sample.value(u"items").toArray().size(), 2);
        QCOMPARE(sample.value(u"items").toArray().first().toObject().value(u"id").toInt(), 1);
        QCOMPARE(sample.value(u"nested").toObject().value(u"ok").toBool(), true);
        // A self-referencing schema stops instead of recursing forever.
        const QJsonObject loop{{u"type"_s, u"object"_s},
                               {u"properties"_s, QJsonObject{{u"next"_s, QJsonObject{{u"$ref"_s, u"#"_s}}}}}};
        QVERIFY(sampleForSchema(loop, u"x"_s).isObject());
    }

    void resolvedModels()
    {
        QCOMPARE(resolvedModel(u"gpt-4o-mini"_s), u"gpt-4o-mini-2024-07-18"_s);
        QCOMPARE(resolvedModel(u"my-azure-deployment"_s), u"my-azure-deployment"_s);
    }
};

QTEST_GUILESS_MAIN(TestSimUnits)
#include "tst_simunits.moc"
