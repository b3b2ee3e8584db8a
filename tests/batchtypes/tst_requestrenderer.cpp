// Request lines: placeholders substituted at the JSON value level, so that any text an item holds
// comes out escaped correctly and parses back to itself; typed values; errors naming the item and
// the placeholder.
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QtConcurrent>

#include "batchtypes/BatchTypeRegistry.h"
#include "batchtypes/RequestRenderer.h"
#include "core/Json.h"

using namespace batchdeck;
using namespace Qt::StringLiterals;

namespace {

BatchType chatType(const QJsonValue& userContent)
{
    BatchType type;
    type.name = u"t"_s;
    type.endpoint = Endpoint::ChatCompletions;
    type.model = u"gpt-4o-mini"_s;
    type.requestTemplate = QJsonObject{
        {u"messages"_s,
         QJsonArray{QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"Be brief."_s}},
                    QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, userContent}}}},
        {u"temperature"_s, 0.2},
        {u"max_tokens"_s, 300},
    };
    return type;
}

RequestRenderer renderer(const BatchType& type, const RunContext& run = {u"run-1"_s, {}})
{
    Result<RequestRenderer> created = RequestRenderer::create(type, run);
    if (!created)
        qFatal("%s", qPrintable(created.error().message));
    return std::move(created).value();
}

QJsonObject parseLine(const QByteArray& line)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("line does not parse: %s: %s", qPrintable(error.errorString()), line.constData());
    return document.object();
}

// The rendered user message of a chatType() line.
QJsonValue userContent(const QByteArray& line)
{
    return parseLine(line)
        .value(u"body"_s)
        .toObject()
        .value(u"messages"_s)
        .toArray()
        .at(1)
        .toObject()
        .value(u"content"_s);
}

} // namespace

class TestRequestRenderer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exactLine()
    {
        BatchType type;
        type.name = u"t"_s;
        type.model = u"gpt-4o-mini"_s;
        type.requestTemplate = QJsonObject{
            {u"messages"_s,
             QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Summarize: {{item.text}}"_s}}}}};
        const QByteArray line =
            renderer(type).renderLine(u"k1"_s, QJsonObject{{u"text"_s, u"hello"_s}, {u"other"_s, 1}}).value();
        QCOMPARE(
            line,
            QByteArray(R"({"custom_id":"k1","method":"POST","url":"/v1/chat/completions",)"
                       R"("body":{"messages":[{"content":"Summarize: hello","role":"user"}],"model":"gpt-4o-mini"}})"));
    }

    void escaping_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("plain") << u"hello"_s;
        QTest::newRow("quotes") << u"He said \"hi\" and 'bye'"_s;
        QTest::newRow("backslashes") << u"C:\\path\\to\\file \\n is not a newline \\u0041"_s;
        QTest::newRow("newlines") << u"line 1\nline 2\r\nline 3\r"_s;
        QTest::newRow("tabs") << u"a\tb\t\tc"_s;
        QTest::newRow("control characters") << u"\u0001\u0002\u0008\u000b\u000c\u001b\u001f\u007f end"_s;
        QTest::newRow("nul") << QString(u"a\u0000b"_s);
        QTest::newRow("latin") << u"Olá, ação, Straße, naïve"_s;
        QTest::newRow("cjk and rtl") << u"日本語のテキスト — עברית — العربية"_s;
        QTest::newRow("emoji") << u"🚀 👍🏽 👨‍👩‍👧 🇧🇷"_s;
        QTest::newRow("line separators") << u"a\u2028b\u2029c"_s;
        QTest::newRow("markup") << u"</script><b>&amp;</b>"_s;
        QTest::newRow("json text") << u"{\"a\": [1, 2], \"b\": null}"_s;
        QTest::newRow("placeholder syntax in the value") << u"{{item.secret}} {{run.params.x}} {{item}}"_s;
        QTest::newRow("empty") << QString();
        QTest::newRow("long") << QString(100000, u'é');
    }

    void escaping()
    {
        QFETCH(QString, text);
        const RequestRenderer render = renderer(chatType(u"Summarize: {{item.text}} ({{item.text}})"_s));
        const QJsonObject payload{{u"text"_s, text}, {u"secret"_s, u"SECRET"_s}};
        const QByteArray line = render.renderLine(u"k1"_s, payload).value();

        // One line of valid UTF-8 with every control character escaped.
        for (const char byte : line)
            QVERIFY2(uchar(byte) >= 0x20, "raw control byte in the line");
        QVERIFY(QString::fromUtf8(line).toUtf8() == line);
        QCOMPARE(userContent(line).toString(), u"Summarize: "_s + text + u" ("_s + text + u")"_s);
        QVERIFY(!line.contains("SECRET")); // a value is never expanded again

        // A string that is only the placeholder carries the text unchanged.
        const QByteArray whole = renderer(chatType(u"{{item.text}}"_s)).renderLine(u"k1"_s, payload).value();
        QCOMPARE(userContent(whole).toString(), text);
    }

    void keyAndRunValues()
    {
        BatchType type =
            chatType(u"[{{key}}] run {{run.id}}, lang {{run.params.lang}}, tone {{run.params.style.tone}}"_s);
        const RunContext run{u"scheduled__2026-12-03T00:00:00+00:00"_s,
                             QJsonObject{{u"lang"_s, u"pt-BR"_s}, {u"style"_s, QJsonObject{{u"tone"_s, u"dry"_s}}}}};
        const QString key = u"doc \"7\" \\ é 🚀"_s;
        const QByteArray line = renderer(type, run).renderLine(key, QJsonObject{}).value();
        QCOMPARE(parseLine(line).value(u"custom_id"_s).toString(), key);
        QCOMPARE(userContent(line).toString(),
                 u"["_s + key + u"] run scheduled__2026-12-03T00:00:00+00:00, lang pt-BR, tone dry"_s);
    }

    void missingRunParameterFailsUpFront()
    {
        const BatchType type = chatType(u"{{item.text}} in {{run.params.lang}}"_s);
        const Result<RequestRenderer> created = RequestRenderer::create(type, {u"r1"_s, QJsonObject{{u"x"_s, 1}}});
        QVERIFY(!created);
        QCOMPARE(created.error().kind, ErrorKind::InvalidInput);
        QCOMPARE(created.error().message,
                 u"run 'r1' cannot use batch type 't': placeholder {{run.params.lang}} in "
                 "template.messages[1].content has no value: run.params has no field 'lang'"_s);

        const Result<RequestRenderer> noRunId = RequestRenderer::create(chatType(u"{{run.id}}"_s), {});
        QVERIFY(!noRunId);
        QVERIFY(noRunId.error().message.contains(u"needs a run id"_s));
    }

    void wholePayload()
    {
        const QJsonObject payload{
            {u"text"_s, u"a \"quoted\"\nline"_s}, {u"n"_s, 3}, {u"list"_s, QJsonArray{1, u"x"_s}}};
        // Alone in its string, {{item}} is still the payload's JSON text: a request field never wants the object.
        const QByteArray alone = renderer(chatType(u"{{item}}"_s)).renderLine(u"k"_s, payload).value();
        QVERIFY(userContent(alone).isString());
        QCOMPARE(QJsonDocument::fromJson(userContent(alone).toString().toUtf8()).object(), payload);

        const QByteArray inText = renderer(chatType(u"Data: {{item}}."_s)).renderLine(u"k"_s, payload).value();
        QCOMPARE(userContent(inText).toString(), u"Data: "_s + QString::fromUtf8(json::compact(payload)) + u"."_s);
    }

    void nestedFields()
    {
        const QJsonObject payload{
            {u"doc"_s, QJsonObject{{u"meta"_s, QJsonObject{{u"title"_s, u"T"_s}}}, {u"body"_s, u"B"_s}}},
            {u"tags"_s, QJsonArray{u"x"_s, u"y"_s, QJsonObject{{u"z"_s, u"deep"_s}}}},
        };
        const QByteArray line =
            renderer(chatType(u"{{item.doc.meta.title}}|{{item.doc.body}}|{{item.tags.1}}|{{item.tags.2.z}}"_s))
                .renderLine(u"k"_s, payload)
                .value();
        QCOMPARE(userContent(line).toString(), u"T|B|y|deep"_s);
    }

    void placeholderSpelling()
    {
        const QJsonObject payload{{u"text"_s, u"v"_s}};
        const auto render = [&](const QString& content) {
            return userContent(renderer(chatType(content)).renderLine(u"k"_s, payload).value()).toString();
        };
        QCOMPARE(render(u"{{ item.text }}"_s), u"v"_s);
        QCOMPARE(render(u"{{{item.text}}}"_s), u"{v}"_s);
        QCOMPARE(render(u"Answer as {{\"label\": \"...\"}} for {{item.text}}"_s),
                 u"Answer as {{\"label\": \"...\"}} for v"_s);
        QCOMPARE(render(u"{{}} {{ }} {{item.text"_s), u"{{}} {{ }} {{item.text"_s);
    }

    void typedValues_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QJsonValue>("alone"); // what "{{item.v}}" becomes
        QTest::addColumn<QString>("inText");   // what "<{{item.v}}>" becomes
        QTest::newRow("string") << QJsonValue(u"s"_s) << QJsonValue(u"s"_s) << u"<s>"_s;
        QTest::newRow("integer") << QJsonValue(42) << QJsonValue(42) << u"<42>"_s;
        QTest::newRow("negative") << QJsonValue(-7) << QJsonValue(-7) << u"<-7>"_s;
        QTest::newRow("fraction") << QJsonValue(3.25) << QJsonValue(3.25) << u"<3.25>"_s;
        QTest::newRow("tenth") << QJsonValue(0.1) << QJsonValue(0.1) << u"<0.1>"_s;
        QTest::newRow("integral double") << QJsonValue(3.0) << QJsonValue(3.0) << u"<3>"_s;
        QTest::newRow("big integer") << QJsonValue(qint64(9007199254740993)) << QJsonValue(qint64(9007199254740993))
                                     << u"<9007199254740993>"_s;
        QTest::newRow("huge") << QJsonValue(1e300) << QJsonValue(1e300) << u"<1e+300>"_s;
        QTest::newRow("true") << QJsonValue(true) << QJsonValue(true) << u"<true>"_s;
        QTest::newRow("false") << QJsonValue(false) << QJsonValue(false) << u"<false>"_s;
        const QJsonArray array{1, u"a\"b"_s, QJsonValue::Null};
        QTest::newRow("array") << QJsonValue(array) << QJsonValue(array) << u"<[1,\"a\\\"b\",null]>"_s;
        const QJsonObject object{{u"k"_s, u"v"_s}};
        QTest::newRow("object") << QJsonValue(object) << QJsonValue(object) << u"<{\"k\":\"v\"}>"_s;
    }

    void typedValues()
    {
        QFETCH(QJsonValue, value);
        QFETCH(QJsonValue, alone);
        QFETCH(QString, inText);
        const QJsonObject payload{{u"v"_s, value}};
        QCOMPARE(userContent(renderer(chatType(u"{{item.v}}"_s)).renderLine(u"k"_s, payload).value()), alone);
        QCOMPARE(userContent(renderer(chatType(u"<{{item.v}}>"_s)).renderLine(u"k"_s, payload).value()).toString(),
                 inText);

        // The same after a trip through stored JSON text, as the service renders.
        const QByteArray stored = json::compact(payload);
        QCOMPARE(userContent(renderer(chatType(u"{{item.v}}"_s)).renderLine(u"k"_s, stored).value()), alone);
    }

    void embeddingsInputArray()
    {
        BatchType type;
        type.name = u"e"_s;
        type.endpoint = Endpoint::Embeddings;
        type.model = u"text-embedding-3-small"_s;
        type.requestTemplate = QJsonObject{{u"input"_s, u"{{item.texts}}"_s}, {u"dimensions"_s, 256}};
        const QJsonArray texts{u"one"_s, u"two\n\"2\""_s};
        const QJsonObject line = parseLine(renderer(type).renderLine(u"k"_s, QJsonObject{{u"texts"_s, texts}}).value());
        QCOMPARE(line.value(u"url"_s).toString(), u"/v1/embeddings"_s);
        const QJsonObject body = line.value(u"body"_s).toObject();
        QCOMPARE(body.value(u"input"_s).toArray(), texts);
        QCOMPARE(body.value(u"dimensions"_s).toInt(), 256);
        QCOMPARE(body.value(u"model"_s).toString(), u"text-embedding-3-small"_s);
    }

    void constantsStayAsWritten()
    {
        BatchType type = chatType(u"{{item.text}}"_s);
        type.requestTemplate.insert(
            u"response_format"_s,
            QJsonObject{{u"type"_s, u"json_schema"_s},
                        {u"json_schema"_s, QJsonObject{{u"name"_s, u"x"_s}, {u"strict"_s, true}}}});
        const QJsonObject body = parseLine(renderer(type).renderLine(u"k"_s, QJsonObject{{u"text"_s, u"t"_s}}).value())
                                     .value(u"body"_s)
                                     .toObject();
        QCOMPARE(body.value(u"temperature"_s).toDouble(), 0.2);
        QCOMPARE(body.value(u"max_tokens"_s).toInt(), 300);
        QCOMPARE(body.value(u"response_format"_s), type.requestTemplate.value(u"response_format"_s));
        QCOMPARE(body.value(u"messages"_s).toArray().at(0).toObject().value(u"content"_s).toString(), u"Be brief."_s);
    }

    void missingValue_data()
    {
        QTest::addColumn<QString>("content");
        QTest::addColumn<QJsonObject>("payload");
        QTest::addColumn<QString>("message");
        const QString prefix = u"item 'doc-7': placeholder "_s;
        QTest::newRow("absent") << u"Summarize: {{item.text}}"_s << QJsonObject{{u"body"_s, u"x"_s}}
                                << prefix + u"{{item.text}} in template.messages[1].content has no value: the "
                                            "payload has no field 'text'"_s;
        QTest::newRow("null") << u"{{item.text}}"_s << QJsonObject{{u"text"_s, QJsonValue::Null}}
                              << prefix +
                                     u"{{item.text}} in template.messages[1].content has no value: 'text' is null"_s;
        QTest::newRow("not an object") << u"{{item.doc.title}}"_s << QJsonObject{{u"doc"_s, u"s"_s}}
                                       << prefix + u"{{item.doc.title}} in template.messages[1].content has no value: "
                                                   "'doc' is a string, so it has no field 'title'"_s;
        QTest::newRow("nested absent")
            << u"{{item.doc.title}}"_s << QJsonObject{{u"doc"_s, QJsonObject{{u"name"_s, 1}}}}
            << prefix +
                   u"{{item.doc.title}} in template.messages[1].content has no value: 'doc' has no field 'title'"_s;
        QTest::newRow("index out of range")
            << u"{{item.tags.5}}"_s << QJsonObject{{u"tags"_s, QJsonArray{1, 2}}}
            << prefix + u"{{item.tags.5}} in template.messages[1].content has no value: 'tags' is an array of 2 "
                        "elements, with no element '5'"_s;
    }

    void missingValue()
    {
        QFETCH(QString, content);
        QFETCH(QJsonObject, payload);
        QFETCH(QString, message);
        const Result<QByteArray> line = renderer(chatType(content)).renderLine(u"doc-7"_s, payload);
        QVERIFY(!line);
        QCOMPARE(line.error().kind, ErrorKind::InvalidInput);
        QCOMPARE(line.error().message, message);
    }

    void noModel()
    {
        BatchType type = chatType(u"{{item.text}}"_s);
        type.model.clear();
        QVERIFY(!RequestRenderer::create(type));
        type.model = u"{{item.model}}"_s;
        QVERIFY(!RequestRenderer::create(type));
    }

    void badPayloadAndKey()
    {
        const RequestRenderer render = renderer(chatType(u"{{item.text}}"_s));
        const Result<QByteArray> notJson = render.renderLine(u"k9"_s, QByteArray("{\"text\": "));
        QVERIFY(!notJson);
        QVERIFY2(notJson.error().message.startsWith(u"item 'k9': the payload is not a JSON object ("_s),
                 qPrintable(notJson.error().message));
        QVERIFY(!render.renderLine(u"k9"_s, QByteArray("[1]")));
        QVERIFY(!render.renderLine(QString(), QJsonObject{{u"text"_s, u"x"_s}}));
    }

    void templateThatDoesNotCompile()
    {
        BatchType type = chatType(u"{{nope}}"_s);
        type.origin = u"/tmp/x.json"_s;
        const Result<RequestRenderer> created = RequestRenderer::create(type);
        QVERIFY(!created);
        QVERIFY(created.error().message.startsWith(u"/tmp/x.json: field 'template.messages[1].content': unknown "
                                                   "placeholder {{nope}}"_s));
    }

    void builtInsRender()
    {
        const BatchTypeRegistry registry = BatchTypeRegistry::load({{BatchTypeRegistry::builtInFolder(), true}});
        const QJsonObject item{{u"text"_s, u"Batchdeck submits \"LLM\" work.\nIt keeps results."_s}};
        const QJsonObject result =
            BatchSource::resultItemPayload(u"doc-1"_s, u"A summary."_s, QJsonValue(QJsonValue::Undefined));
        for (const BatchType& type : registry.types()) {
            const QJsonObject& payload = type.source.isItems() ? item : result;
            const Result<QByteArray> line = renderer(type).renderLine(u"doc-1"_s, payload);
            QVERIFY2(line.ok(), qPrintable(type.name + u": "_s + (line ? QString() : line.error().message)));
            const QJsonObject parsed = parseLine(*line);
            QCOMPARE(parsed.value(u"url"_s).toString(), endpointPath(type.endpoint));
            QCOMPARE(parsed.value(u"method"_s).toString(), u"POST"_s);
            QCOMPARE(parsed.value(u"body"_s).toObject().value(u"model"_s).toString(), type.model);
            const QByteArray body = json::compact(parsed.value(u"body"_s).toObject());
            QVERIFY2(!body.contains("{{"), body.constData());
        }
    }

    void concurrentRendering()
    {
        const RequestRenderer render = renderer(chatType(u"{{item.n}}: {{item.text}} {{item}}"_s));
        QList<int> numbers(2000);
        std::iota(numbers.begin(), numbers.end(), 0);
        const auto lineFor = [&](int n) {
            return render
                .renderLine(u"k"_s + QString::number(n),
                            QJsonObject{{u"n"_s, n}, {u"text"_s, u"é\"🚀\n"_s.repeated(n % 7)}})
                .value();
        };
        const QList<QByteArray> parallel = QtConcurrent::blockingMapped(numbers, lineFor);
        for (int n : numbers)
            QCOMPARE(parallel.at(n), lineFor(n));
    }
};

QTEST_GUILESS_MAIN(TestRequestRenderer)
#include "tst_requestrenderer.moc"
