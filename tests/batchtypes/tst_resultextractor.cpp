// Response bodies of each endpoint: the text, the JSON in it, the embedding, the token usage, and
// what makes a result unusable under each keep mode.
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include "batchtypes/ResultExtractor.h"

using namespace batchdeck;
using namespace Qt::StringLiterals;

namespace {

QJsonObject body(const char* json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", qPrintable(error.errorString()));
    return document.object();
}

QJsonObject chat(const QJsonValue& content, const QString& finish = u"stop"_s)
{
    QJsonObject message{{u"role"_s, u"assistant"_s}, {u"content"_s, content}};
    return QJsonObject{
        {u"object"_s, u"chat.completion"_s},
        {u"choices"_s, QJsonArray{QJsonObject{{u"index"_s, 0}, {u"message"_s, message}, {u"finish_reason"_s, finish}}}},
        {u"usage"_s, QJsonObject{{u"prompt_tokens"_s, 20}, {u"completion_tokens"_s, 5}, {u"total_tokens"_s, 25}}},
    };
}

} // namespace

class TestResultExtractor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void chatText()
    {
        const ExtractedResult result =
            ResultExtractor::extract(Endpoint::ChatCompletions, KeepMode::Text, chat(u"A summary.\n— ok 🚀"_s));
        QVERIFY(result.ok());
        QCOMPARE(result.text, std::optional<QString>(u"A summary.\n— ok 🚀"_s));
        QVERIFY(result.parsed.isUndefined());
        QCOMPARE(result.finishReason, u"stop"_s);
        QCOMPARE(result.usage.input, std::optional<qint64>(20));
        QCOMPARE(result.usage.output, std::optional<qint64>(5));
        QCOMPARE(result.usage.total, std::optional<qint64>(25));
    }

    void chatJson_data()
    {
        QTest::addColumn<QString>("content");
        QTest::addColumn<QJsonValue>("parsed");
        const QJsonObject object{{u"sentiment"_s, u"positive"_s}, {u"confidence"_s, 0.9}};
        QTest::newRow("object") << u"{\"sentiment\":\"positive\",\"confidence\":0.9}"_s << QJsonValue(object);
        QTest::newRow("blanks") << u"\n  {\"sentiment\":\"positive\",\"confidence\":0.9}  \n"_s << QJsonValue(object);
        QTest::newRow("fenced") << u"```json\n{\"sentiment\":\"positive\",\"confidence\":0.9}\n```"_s
                                << QJsonValue(object);
        QTest::newRow("bare fence") << u"```\n[1, 2]\n```"_s << QJsonValue(QJsonArray{1, 2});
        QTest::newRow("number") << u"42"_s << QJsonValue(42);
        QTest::newRow("string") << u"\"yes\""_s << QJsonValue(u"yes"_s);
        QTest::newRow("boolean") << u"true"_s << QJsonValue(true);
    }

    void chatJson()
    {
        QFETCH(QString, content);
        QFETCH(QJsonValue, parsed);
        const ExtractedResult result =
            ResultExtractor::extract(Endpoint::ChatCompletions, KeepMode::Json, chat(content));
        QVERIFY2(result.ok(), qPrintable(result.problemMessage));
        QCOMPARE(result.parsed, parsed);
        QCOMPARE(result.text, std::optional<QString>(content));
    }

    void chatNotJson()
    {
        const ExtractedResult truncated = ResultExtractor::extract(
            Endpoint::ChatCompletions, KeepMode::Json, chat(u"{\"sentiment\": \"posi"_s, u"length"_s));
        QVERIFY(!truncated.ok());
        QCOMPARE(truncated.problemCode, u"not_json"_s);
        QVERIFY(truncated.problemMessage.startsWith(u"the content is not JSON: "_s));
        QVERIFY(truncated.problemMessage.endsWith(u" (finish reason: length)"_s));
        QVERIFY(truncated.parsed.isUndefined());
        QVERIFY(truncated.text.has_value()); // still there for whoever looks at the error

        for (const QString& content : {u"Sure! Here it is."_s, u""_s, u"1 2"_s, u"{} {}"_s}) {
            const ExtractedResult result =
                ResultExtractor::extract(Endpoint::ChatCompletions, KeepMode::Json, chat(content));
            QVERIFY2(result.problemCode == u"not_json", qPrintable(content));
        }
        // The same content kept as text is fine.
        QVERIFY(ResultExtractor::extract(Endpoint::ChatCompletions, KeepMode::Text, chat(u"Sure!"_s)).ok());
    }

    void chatRefusalAndNoText()
    {
        QJsonObject refused = chat(QJsonValue::Null);
        QJsonObject choice = refused[u"choices"_s].toArray().at(0).toObject();
        QJsonObject message = choice[u"message"_s].toObject();
        message.insert(u"refusal"_s, u"I can't help with that."_s);
        choice.insert(u"message"_s, message);
        refused.insert(u"choices"_s, QJsonArray{choice});
        const ExtractedResult result = ResultExtractor::extract(Endpoint::ChatCompletions, KeepMode::Json, refused);
        QCOMPARE(result.problemCode, u"refusal"_s);
        QCOMPARE(result.problemMessage, u"the model refused: I can't help with that."_s);
        QCOMPARE(result.refusal, u"I can't help with that."_s);
        QVERIFY(!result.text);

        const ExtractedResult toolCall = ResultExtractor::extract(
            Endpoint::ChatCompletions, KeepMode::Text, chat(QJsonValue::Null, u"tool_calls"_s));
        QCOMPARE(toolCall.problemCode, u"no_text"_s);
        QCOMPARE(toolCall.problemMessage, u"the response has no text (finish reason: tool_calls)"_s);

        const ExtractedResult empty =
            ResultExtractor::extract(Endpoint::ChatCompletions, KeepMode::Text, QJsonObject());
        QCOMPARE(empty.problemCode, u"no_text"_s);
        QVERIFY(!empty.usage.input && !empty.usage.output && !empty.usage.total);

        // Raw keeps the body whatever it holds.
        QVERIFY(ResultExtractor::extract(Endpoint::ChatCompletions, KeepMode::Raw, refused).ok());
        QVERIFY(ResultExtractor::extract(Endpoint::ChatCompletions, KeepMode::Raw, QJsonObject()).ok());
    }

    void chatContentParts()
    {
        const QJsonArray parts{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, u"Hello, "_s}},
                               QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, u"world"_s}}};
        QCOMPARE(ResultExtractor::text(Endpoint::ChatCompletions, chat(parts)),
                 std::optional<QString>(u"Hello, world"_s));
    }

    void responses()
    {
        const QJsonObject response = body(R"({
            "object": "response", "status": "completed",
            "output": [
                {"type": "reasoning", "summary": []},
                {"type": "message", "role": "assistant", "content": [
                    {"type": "output_text", "text": "[1, ", "annotations": []},
                    {"type": "output_text", "text": "2.5, 'ü'] 🚀", "annotations": []}
                ]}
            ],
            "usage": {"input_tokens": 11, "input_tokens_details": {"cached_tokens": 0},
                      "output_tokens": 7, "output_tokens_details": {"reasoning_tokens": 3}, "total_tokens": 18}
        })");
        const ExtractedResult result = ResultExtractor::extract(Endpoint::Responses, KeepMode::Text, response);
        QVERIFY2(result.ok(), qPrintable(result.problemMessage));
        QCOMPARE(result.text, std::optional<QString>(u"[1, 2.5, 'ü'] 🚀"_s));
        QCOMPARE(result.finishReason, u"completed"_s);
        QCOMPARE(result.usage.input, std::optional<qint64>(11));
        QCOMPARE(result.usage.output, std::optional<qint64>(7));
        QCOMPARE(result.usage.total, std::optional<qint64>(18));

        // The parts join before parsing: JSON split over parts still parses.
        QJsonObject split = response;
        QJsonArray output = split[u"output"_s].toArray();
        QJsonObject message = output.at(1).toObject();
        message.insert(u"content"_s,
                       QJsonArray{QJsonObject{{u"type"_s, u"output_text"_s}, {u"text"_s, u"{\"a\": [1, "_s}},
                                  QJsonObject{{u"type"_s, u"output_text"_s}, {u"text"_s, u"\"ü\"]}"_s}}});
        output.replace(1, message);
        split.insert(u"output"_s, output);
        const ExtractedResult parsed = ResultExtractor::extract(Endpoint::Responses, KeepMode::Json, split);
        QVERIFY2(parsed.ok(), qPrintable(parsed.problemMessage));
        QCOMPARE(parsed.parsed.toObject().value(u"a"_s).toArray(), (QJsonArray{1, u"ü"_s}));
    }

    void responsesIncompleteAndRefusal()
    {
        const QJsonObject incomplete = body(R"({
            "object": "response", "status": "incomplete",
            "incomplete_details": {"reason": "max_output_tokens"},
            "output": [{"type": "reasoning", "summary": []}],
            "usage": {"input_tokens": 5, "output_tokens": 100}
        })");
        const ExtractedResult cut = ResultExtractor::extract(Endpoint::Responses, KeepMode::Text, incomplete);
        QCOMPARE(cut.problemCode, u"no_text"_s);
        QCOMPARE(cut.finishReason, u"max_output_tokens"_s);
        QCOMPARE(cut.usage.total, std::optional<qint64>(105)); // summed when not given

        const QJsonObject refused = body(R"({
            "object": "response", "status": "completed",
            "output": [{"type": "message", "content": [{"type": "refusal", "refusal": "No."}]}]
        })");
        const ExtractedResult no = ResultExtractor::extract(Endpoint::Responses, KeepMode::Text, refused);
        QCOMPARE(no.problemCode, u"refusal"_s);
        QCOMPARE(no.refusal, u"No."_s);
    }

    void completions()
    {
        const QJsonObject completion = body(R"({
            "object": "text_completion",
            "choices": [{"text": " Paris.", "index": 0, "finish_reason": "stop", "logprobs": null}],
            "usage": {"prompt_tokens": 4, "completion_tokens": 2, "total_tokens": 6}
        })");
        const ExtractedResult result = ResultExtractor::extract(Endpoint::Completions, KeepMode::Text, completion);
        QVERIFY(result.ok());
        QCOMPARE(result.text, std::optional<QString>(u" Paris."_s));
        QCOMPARE(result.finishReason, u"stop"_s);
        QCOMPARE(result.usage.input, std::optional<qint64>(4));
        QCOMPARE(result.usage.output, std::optional<qint64>(2));
    }

    void embeddings()
    {
        const QJsonObject one = body(R"({
            "object": "list", "model": "text-embedding-3-small",
            "data": [{"object": "embedding", "index": 0, "embedding": [0.1, -0.2, 0.3]}],
            "usage": {"prompt_tokens": 8, "total_tokens": 8}
        })");
        const ExtractedResult result = ResultExtractor::extract(Endpoint::Embeddings, KeepMode::Json, one);
        QVERIFY(result.ok());
        QVERIFY(!result.text);
        QCOMPARE(result.parsed.toArray(), (QJsonArray{0.1, -0.2, 0.3}));
        QCOMPARE(result.usage.input, std::optional<qint64>(8));
        QCOMPARE(result.usage.output, std::optional<qint64>(0));
        QCOMPARE(result.usage.total, std::optional<qint64>(8));

        // Several inputs: vectors in input order, whatever order the data array has.
        const QJsonObject several = body(R"({
            "object": "list",
            "data": [{"index": 1, "embedding": [2.0]}, {"index": 0, "embedding": [1.0]}, {"index": 2, "embedding": "AAAA"}]
        })");
        QCOMPARE(ResultExtractor::extract(Endpoint::Embeddings, KeepMode::Json, several).parsed.toArray(),
                 (QJsonArray{QJsonArray{1.0}, QJsonArray{2.0}, u"AAAA"_s}));

        const ExtractedResult none =
            ResultExtractor::extract(Endpoint::Embeddings, KeepMode::Json, body(R"({"data": []})"));
        QCOMPARE(none.problemCode, u"no_embedding"_s);
        QCOMPARE(ResultExtractor::extract(Endpoint::Embeddings, KeepMode::Text, one).problemCode, u"no_text"_s);
        const ExtractedResult raw = ResultExtractor::extract(Endpoint::Embeddings, KeepMode::Raw, one);
        QVERIFY(raw.ok());
        QVERIFY(raw.parsed.isUndefined());
    }

    void parseJsonText()
    {
        QCOMPARE(ResultExtractor::parseJsonText(u" null "_s).value(), QJsonValue(QJsonValue::Null));
        QCOMPARE(ResultExtractor::parseJsonText(u"```JSON\n{}\n```\n"_s).value(), QJsonValue(QJsonObject()));
        QVERIFY(!ResultExtractor::parseJsonText(u"   "_s));
        QVERIFY(!ResultExtractor::parseJsonText(u"```\n```"_s));
        QVERIFY(!ResultExtractor::parseJsonText(u"]["_s));
        QCOMPARE(ResultExtractor::parseJsonText(u"1, 2"_s).error().message, u"the content holds several JSON values"_s);
    }
};

QTEST_GUILESS_MAIN(TestResultExtractor)
#include "tst_resultextractor.moc"
