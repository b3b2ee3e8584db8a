// What the output lines hold, per endpoint: realistic bodies derived from each request,
// deterministic across batches, in shuffled order.
#include <cmath>

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>
#include <QtEndian>

#include "SimTestClient.h"
#include "simulator/SimulatorServer.h"

using namespace batchdeck::sim;
using namespace batchdeck::sim::test;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kPhase = 10 * 60 * 1000;

QByteArray requestLine(const QString& customId, const QString& url, const QJsonObject& body)
{
    return QJsonDocument(
               QJsonObject{{u"custom_id"_s, customId}, {u"method"_s, u"POST"_s}, {u"url"_s, url}, {u"body"_s, body}})
               .toJson(QJsonDocument::Compact) +
           '\n';
}

QJsonArray userMessage(const QString& text)
{
    return QJsonArray{QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"Be brief."_s}},
                      QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, text}}};
}

double norm(const QJsonArray& vector)
{
    double sum = 0;
    for (const QJsonValue& value : vector)
        sum += value.toDouble() * value.toDouble();
    return std::sqrt(sum);
}

} // namespace

class TestSimOutput : public QObject
{
    Q_OBJECT

private:
    struct Finished
    {
        QJsonObject batch;
        QList<QJsonObject> output; // in file order
        QList<QJsonObject> errors;
        QHash<QString, QJsonObject> byCustomId; // response bodies of output and error lines
    };

    Finished run(const QByteArray& lines, const QString& endpoint)
    {
        const HttpResult created = m_client->createBatch(m_client->uploadBatchFile(lines), endpoint);
        if (created.status != 200)
            qWarning() << created.body;
        m_server->advanceClock(3 * kPhase);
        Finished finished;
        finished.batch = m_client->batch(created.json().value(u"id").toString());
        if (!finished.batch.value(u"output_file_id").isNull())
            finished.output = jsonLines(m_client->fileContent(finished.batch.value(u"output_file_id").toString()));
        if (!finished.batch.value(u"error_file_id").isNull())
            finished.errors = jsonLines(m_client->fileContent(finished.batch.value(u"error_file_id").toString()));
        for (const QJsonObject& line : finished.output + finished.errors)
            finished.byCustomId.insert(line.value(u"custom_id").toString(),
                                       line.value(u"response").toObject().value(u"body").toObject());
        return finished;
    }

private Q_SLOTS:
    void init()
    {
        SimulatorOptions options;
        options.phaseMs = kPhase;
        m_server = std::make_unique<SimulatorServer>(options);
        QVERIFY(m_server->listen().ok());
        m_client = std::make_unique<SimTestClient>(m_server->baseUrl());
    }

    void cleanup()
    {
        m_client.reset();
        m_server.reset();
    }

    void chatCompletions()
    {
        const QString url = u"/v1/chat/completions"_s;
        const QJsonObject schema{
            {u"type"_s, u"object"_s},
            {u"properties"_s,
             QJsonObject{
                 {u"sentiment"_s,
                  QJsonObject{{u"type"_s, u"string"_s}, {u"enum"_s, QJsonArray{u"positive"_s, u"negative"_s}}}},
                 {u"score"_s, QJsonObject{{u"type"_s, u"number"_s}}},
                 {u"tags"_s,
                  QJsonObject{{u"type"_s, u"array"_s}, {u"items"_s, QJsonObject{{u"$ref"_s, u"#/$defs/tag"_s}}}}}}},
            {u"required"_s, QJsonArray{u"sentiment"_s, u"score"_s, u"tags"_s}},
            {u"$defs"_s, QJsonObject{{u"tag"_s, QJsonObject{{u"type"_s, u"string"_s}}}}}};
        const QJsonObject tool{
            {u"type"_s, u"function"_s},
            {u"function"_s,
             QJsonObject{{u"name"_s, u"lookup"_s},
                         {u"parameters"_s,
                          QJsonObject{{u"type"_s, u"object"_s},
                                      {u"properties"_s,
                                       QJsonObject{{u"city"_s, QJsonObject{{u"type"_s, u"string"_s}}},
                                                   {u"days"_s, QJsonObject{{u"type"_s, u"integer"_s}}}}}}}}}};
        QByteArray lines;
        lines += requestLine(
            u"plain"_s, url, {{u"model"_s, u"gpt-4o-mini"_s}, {u"messages"_s, userMessage(u"What is   Qt?"_s)}});
        lines += requestLine(
            u"schema"_s,
            url,
            {{u"model"_s, u"gpt-4o-mini"_s},
             {u"messages"_s, userMessage(u"Rate this"_s)},
             {u"response_format"_s,
              QJsonObject{{u"type"_s, u"json_schema"_s},
                          {u"json_schema"_s, QJsonObject{{u"name"_s, u"rating"_s}, {u"schema"_s, schema}}}}}});
        lines += requestLine(u"json"_s,
                             url,
                             {{u"model"_s, u"gpt-4o-mini"_s},
                              {u"messages"_s, userMessage(u"Give JSON"_s)},
                              {u"response_format"_s, QJsonObject{{u"type"_s, u"json_object"_s}}}});
        lines += requestLine(u"tool"_s,
                             url,
                             {{u"model"_s, u"gpt-4o-mini"_s},
                              {u"messages"_s, userMessage(u"Weather?"_s)},
                              {u"tools"_s, QJsonArray{tool}},
                              {u"tool_choice"_s, u"required"_s}});
        lines += requestLine(
            u"two"_s, url, {{u"model"_s, u"gpt-4o-mini"_s}, {u"n"_s, 2}, {u"messages"_s, userMessage(u"Hi"_s)}});
        lines += requestLine(u"short"_s,
                             url,
                             {{u"model"_s, u"gpt-4o-mini"_s},
                              {u"max_completion_tokens"_s, 2},
                              {u"messages"_s, userMessage(u"Write a long essay about everything"_s)}});
        lines += requestLine(u"nomessages"_s, url, {{u"model"_s, u"gpt-4o-mini"_s}});

        const Finished finished = run(lines, url);
        QCOMPARE(finished.batch.value(u"status").toString(), u"completed"_s);
        QCOMPARE(finished.batch.value(u"request_counts").toObject().value(u"failed").toInt(), 1);

        const QJsonObject plain = finished.byCustomId.value(u"plain"_s);
        QCOMPARE(plain.value(u"object").toString(), u"chat.completion"_s);
        QVERIFY(plain.value(u"id").toString().startsWith(u"chatcmpl-"));
        QCOMPARE(plain.value(u"model").toString(), u"gpt-4o-mini-2024-07-18"_s);
        QCOMPARE(plain.value(u"created").toInteger(), finished.batch.value(u"in_progress_at").toInteger());
        const QJsonObject choice = plain.value(u"choices").toArray().first().toObject();
        QCOMPARE(choice.value(u"finish_reason").toString(), u"stop"_s);
        QCOMPARE(choice.value(u"message").toObject().value(u"role").toString(), u"assistant"_s);
        QCOMPARE(choice.value(u"message").toObject().value(u"content").toString(),
                 u"Simulated answer to: What is Qt?"_s);
        const QJsonObject usage = plain.value(u"usage").toObject();
        QVERIFY(usage.value(u"prompt_tokens").toInt() > 0);
        QVERIFY(usage.value(u"completion_tokens").toInt() > 0);
        QCOMPARE(usage.value(u"total_tokens").toInt(),
                 usage.value(u"prompt_tokens").toInt() + usage.value(u"completion_tokens").toInt());

        const QString structured = finished.byCustomId.value(u"schema"_s)
                                       .value(u"choices"_s)
                                       .toArray()
                                       .first()
                                       .toObject()
                                       .value(u"message"_s)
                                       .toObject()
                                       .value(u"content"_s)
                                       .toString();
        const QJsonObject parsed = QJsonDocument::fromJson(structured.toUtf8()).object();
        QCOMPARE(parsed.value(u"sentiment").toString(), u"positive"_s);
        QVERIFY(parsed.value(u"score").isDouble());
        QVERIFY(parsed.value(u"tags").toArray().first().isString());

        const QString json = finished.byCustomId.value(u"json"_s)
                                 .value(u"choices"_s)
                                 .toArray()
                                 .first()
                                 .toObject()
                                 .value(u"message"_s)
                                 .toObject()
                                 .value(u"content"_s)
                                 .toString();
        QVERIFY(QJsonDocument::fromJson(json.toUtf8()).isObject());

        const QJsonObject toolChoice =
            finished.byCustomId.value(u"tool"_s).value(u"choices").toArray().first().toObject();
        QCOMPARE(toolChoice.value(u"finish_reason").toString(), u"tool_calls"_s);
        const QJsonObject call =
            toolChoice.value(u"message").toObject().value(u"tool_calls").toArray().first().toObject();
        QCOMPARE(call.value(u"function").toObject().value(u"name").toString(), u"lookup"_s);
        const QJsonObject arguments =
            QJsonDocument::fromJson(call.value(u"function").toObject().value(u"arguments").toString().toUtf8())
                .object();
        QVERIFY(arguments.value(u"city").isString());
        QVERIFY(arguments.value(u"days").isDouble());

        QCOMPARE(finished.byCustomId.value(u"two"_s).value(u"choices").toArray().size(), 2);
        const QJsonObject truncated =
            finished.byCustomId.value(u"short"_s).value(u"choices").toArray().first().toObject();
        QCOMPARE(truncated.value(u"finish_reason").toString(), u"length"_s);
        QCOMPARE(finished.byCustomId.value(u"short"_s).value(u"usage").toObject().value(u"completion_tokens").toInt(),
                 2);

        const QJsonObject missing = finished.byCustomId.value(u"nomessages"_s).value(u"error").toObject();
        QCOMPARE(missing.value(u"param").toString(), u"messages"_s);
        QCOMPARE(missing.value(u"code").toString(), u"missing_required_parameter"_s);
    }

    void reasoningModelsReportReasoningTokens()
    {
        const Finished finished = run(chatLines(3, u"o3-mini"_s), u"/v1/chat/completions"_s);
        const QJsonObject usage = finished.batch.value(u"usage").toObject();
        QVERIFY(usage.value(u"output_tokens_details").toObject().value(u"reasoning_tokens").toInt() > 0);
        QCOMPARE(finished.batch.value(u"model").toString(), u"o3-mini-2025-01-31"_s);
    }

    void responses()
    {
        const QString url = u"/v1/responses"_s;
        QByteArray lines = requestLine(
            u"r1"_s,
            url,
            {{u"model"_s, u"gpt-4.1"_s}, {u"instructions"_s, u"Be kind"_s}, {u"input"_s, u"Tell me a joke"_s}});
        lines += requestLine(
            u"r2"_s,
            url,
            {{u"model"_s, u"gpt-4.1"_s},
             {u"input"_s,
              QJsonArray{QJsonObject{
                  {u"role"_s, u"user"_s},
                  {u"content"_s,
                   QJsonArray{QJsonObject{{u"type"_s, u"input_text"_s}, {u"text"_s, u"Structured please"_s}}}}}}},
             {u"text"_s,
              QJsonObject{
                  {u"format"_s,
                   QJsonObject{{u"type"_s, u"json_schema"_s},
                               {u"name"_s, u"x"_s},
                               {u"schema"_s,
                                QJsonObject{{u"type"_s, u"object"_s},
                                            {u"properties"_s,
                                             QJsonObject{{u"ok"_s, QJsonObject{{u"type"_s, u"boolean"_s}}}}}}}}}}}});
        lines +=
            requestLine(u"r3"_s,
                        url,
                        {{u"model"_s, u"gpt-4.1"_s}, {u"max_output_tokens"_s, 1}, {u"input"_s, u"Write at length"_s}});
        const Finished finished = run(lines, url);
        const QJsonObject cut = finished.byCustomId.value(u"r3"_s);
        QCOMPARE(cut.value(u"status").toString(), u"incomplete"_s);
        QCOMPARE(cut.value(u"incomplete_details").toObject().value(u"reason").toString(), u"max_output_tokens"_s);
        QCOMPARE(cut.value(u"usage").toObject().value(u"output_tokens").toInt(), 1);
        QCOMPARE(finished.batch.value(u"status").toString(), u"completed"_s);
        const QJsonObject first = finished.byCustomId.value(u"r1"_s);
        QCOMPARE(first.value(u"object").toString(), u"response"_s);
        QVERIFY(first.value(u"id").toString().startsWith(u"resp_"));
        QCOMPARE(first.value(u"status").toString(), u"completed"_s);
        QCOMPARE(first.value(u"model").toString(), u"gpt-4.1-2025-04-14"_s);
        const QJsonObject content =
            first.value(u"output").toArray().first().toObject().value(u"content").toArray().first().toObject();
        QCOMPARE(content.value(u"type").toString(), u"output_text"_s);
        QCOMPARE(content.value(u"text").toString(), u"Simulated answer to: Tell me a joke"_s);
        QVERIFY(first.value(u"usage").toObject().value(u"input_tokens").toInt() > 0);
        const QString structured = finished.byCustomId.value(u"r2"_s)
                                       .value(u"output"_s)
                                       .toArray()
                                       .first()
                                       .toObject()
                                       .value(u"content"_s)
                                       .toArray()
                                       .first()
                                       .toObject()
                                       .value(u"text"_s)
                                       .toString();
        QCOMPARE(QJsonDocument::fromJson(structured.toUtf8()).object().value(u"ok"), QJsonValue(true));
        // Batch usage sums the Responses usage fields.
        qint64 input = 0;
        for (const QJsonObject& body : finished.byCustomId)
            input += body.value(u"usage").toObject().value(u"input_tokens").toInteger();
        QVERIFY(input > first.value(u"usage").toObject().value(u"input_tokens").toInteger());
        QCOMPARE(finished.batch.value(u"usage").toObject().value(u"input_tokens").toInteger(), input);
    }

    void embeddings()
    {
        const QString url = u"/v1/embeddings"_s;
        QByteArray lines =
            requestLine(u"one"_s, url, {{u"model"_s, u"text-embedding-3-small"_s}, {u"input"_s, u"hello world"_s}});
        lines += requestLine(u"many"_s,
                             url,
                             {{u"model"_s, u"text-embedding-3-small"_s},
                              {u"input"_s, QJsonArray{u"hello world"_s, u"other"_s}},
                              {u"dimensions"_s, 8}});
        lines += requestLine(u"b64"_s,
                             url,
                             {{u"model"_s, u"text-embedding-3-small"_s},
                              {u"input"_s, u"hello world"_s},
                              {u"encoding_format"_s, u"base64"_s}});
        const Finished finished = run(lines, url);
        QCOMPARE(finished.batch.value(u"status").toString(), u"completed"_s);

        const QJsonObject one = finished.byCustomId.value(u"one"_s);
        QCOMPARE(one.value(u"object").toString(), u"list"_s);
        const QJsonArray vector = one.value(u"data").toArray().first().toObject().value(u"embedding").toArray();
        QCOMPARE(vector.size(), 1536);
        QVERIFY(std::abs(norm(vector) - 1.0) < 1e-3);
        QVERIFY(one.value(u"usage").toObject().value(u"prompt_tokens").toInt() > 0);

        // One model per batch: the large model in a batch of its own.
        const Finished large =
            run(requestLine(u"large"_s, url, {{u"model"_s, u"text-embedding-3-large"_s}, {u"input"_s, u"x"_s}}), url);
        QCOMPARE(large.byCustomId.value(u"large"_s)
                     .value(u"data"_s)
                     .toArray()
                     .first()
                     .toObject()
                     .value(u"embedding"_s)
                     .toArray()
                     .size(),
                 3072);
        const QJsonArray many = finished.byCustomId.value(u"many"_s).value(u"data").toArray();
        QCOMPARE(many.size(), 2);
        QCOMPARE(many.at(1).toObject().value(u"index").toInt(), 1);
        QCOMPARE(many.at(0).toObject().value(u"embedding").toArray().size(), 8);

        const QByteArray packed = QByteArray::fromBase64(finished.byCustomId.value(u"b64"_s)
                                                             .value(u"data"_s)
                                                             .toArray()
                                                             .first()
                                                             .toObject()
                                                             .value(u"embedding"_s)
                                                             .toString()
                                                             .toLatin1());
        QCOMPARE(packed.size(), 1536 * 4);
        for (int i = 0; i < 4; ++i) {
            const float value = qFromLittleEndian<float>(packed.constData() + i * 4);
            QVERIFY(std::abs(value - vector.at(i).toDouble()) < 1e-6);
        }
    }

    void completionsModerationsImagesVideos()
    {
        const Finished completions =
            run(requestLine(
                    u"c"_s,
                    u"/v1/completions"_s,
                    {{u"model"_s, u"gpt-3.5-turbo-instruct"_s}, {u"prompt"_s, u"Once upon"_s}, {u"max_tokens"_s, 100}}),
                u"/v1/completions"_s);
        const QJsonObject completion = completions.byCustomId.value(u"c"_s);
        QCOMPARE(completion.value(u"object").toString(), u"text_completion"_s);
        QVERIFY(
            completion.value(u"choices").toArray().first().toObject().value(u"text").toString().contains(u"Once upon"));

        const Finished moderations =
            run(requestLine(u"m"_s,
                            u"/v1/moderations"_s,
                            {{u"model"_s, u"omni-moderation-latest"_s}, {u"input"_s, QJsonArray{u"a"_s, u"b"_s}}}),
                u"/v1/moderations"_s);
        const QJsonArray results = moderations.byCustomId.value(u"m"_s).value(u"results").toArray();
        QCOMPARE(results.size(), 2);
        QCOMPARE(results.first().toObject().value(u"flagged").toBool(true), false);

        const Finished images =
            run(requestLine(
                    u"i"_s, u"/v1/images/generations"_s, {{u"model"_s, u"gpt-image-1"_s}, {u"prompt"_s, u"a cat"_s}}),
                u"/v1/images/generations"_s);
        const QByteArray png = QByteArray::fromBase64(images.byCustomId.value(u"i"_s)
                                                          .value(u"data"_s)
                                                          .toArray()
                                                          .first()
                                                          .toObject()
                                                          .value(u"b64_json"_s)
                                                          .toString()
                                                          .toLatin1());
        QVERIFY(png.startsWith("\x89PNG"));

        const Finished videos =
            run(requestLine(u"v"_s, u"/v1/videos"_s, {{u"model"_s, u"sora-2"_s}, {u"prompt"_s, u"waves"_s}}),
                u"/v1/videos"_s);
        QCOMPARE(videos.byCustomId.value(u"v"_s).value(u"object").toString(), u"video"_s);
    }

    void deterministicAcrossBatchesAndShuffled()
    {
        QByteArray lines = chatLines(30);
        lines += requestLine(u"fails"_s,
                             u"/v1/chat/completions"_s,
                             {{u"model"_s, u"gpt-4o-mini"_s}, {u"messages"_s, userMessage(u"[[sim:fail:500]]"_s)}});
        const Finished first = run(lines, u"/v1/chat/completions"_s);
        const Finished second = run(lines, u"/v1/chat/completions"_s);
        QCOMPARE(first.output.size(), 30);
        QCOMPARE(first.byCustomId.keys().size(), 31);
        const auto stable = [](QJsonObject body) {
            body.remove(u"id"_s); // ids and times are per batch
            body.remove(u"created"_s);
            return body;
        };
        for (auto it = first.byCustomId.begin(); it != first.byCustomId.end(); ++it)
            QCOMPARE(stable(second.byCustomId.value(it.key())), stable(it.value()));
        QCOMPARE(first.batch.value(u"usage"), second.batch.value(u"usage"));

        // Output lines carry batch-specific, unique ids, and come in no particular order.
        QSet<QString> lineIds;
        for (const QJsonObject& line : first.output + second.output)
            lineIds.insert(line.value(u"id").toString());
        QCOMPARE(lineIds.size(), 60);
        QStringList inputOrder;
        for (int i = 0; i < 30; ++i)
            inputOrder.append(u"req-%1"_s.arg(i));
        QStringList firstOrder;
        QStringList secondOrder;
        for (int i = 0; i < 30; ++i) {
            firstOrder.append(first.output.at(i).value(u"custom_id").toString());
            secondOrder.append(second.output.at(i).value(u"custom_id").toString());
        }
        QVERIFY(firstOrder != inputOrder);
        QVERIFY(secondOrder != inputOrder);
        QVERIFY(firstOrder != secondOrder);
    }

private:
    std::unique_ptr<SimulatorServer> m_server;
    std::unique_ptr<SimTestClient> m_client;
};

QTEST_GUILESS_MAIN(TestSimOutput)
#include "tst_simoutput.moc"
