// The output-line fast path against the Qt parser: over the simulator's real lines of every endpoint
// (as generated, re-serialized with shuffled keys, blanks and escapes, and truncated) and hand-made
// edge cases, under every keep mode, whatever the fast path returns must equal the Qt path's result.
#include <random>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include "service/OutputLineFastPath.h"
#include "simulator/InputValidator.h"
#include "simulator/ResponseGenerator.h"

using namespace batchdeck;
using namespace Qt::StringLiterals;

namespace {

const Endpoint kEndpoints[] = {
    Endpoint::ChatCompletions, Endpoint::Completions, Endpoint::Responses, Endpoint::Embeddings};
const KeepMode kKeeps[] = {KeepMode::Text, KeepMode::Json, KeepMode::Raw};

QByteArray numberText(const QJsonValue& value)
{
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return text.mid(1, text.size() - 2);
}

// JSON text of a value with its keys in random order, random blanks and random (valid) escapes.
struct Shuffler
{
    std::mt19937 random;

    bool coin(int oneIn) { return random() % oneIn == 0; }
    QByteArray blank() { return coin(4) ? QByteArrayLiteral(" \n\t ").left(1 + random() % 4) : QByteArray(); }

    static QByteArray escaped(char16_t c) { return QStringLiteral("\\u%1").arg(int(c), 4, 16, QChar(u'0')).toLatin1(); }

    // Keys are escaped rarely (the fast path leaves escaped keys to Qt, and should still be tried).
    QByteArray string(const QString& text, int escapeOneIn = 40)
    {
        QByteArray out = "\"";
        for (qsizetype i = 0; i < text.size(); ++i) {
            const char16_t c = text.at(i).unicode();
            if (QChar::isHighSurrogate(c) && i + 1 < text.size()) {
                // A pair: both halves escaped, or the character as UTF-8.
                out += coin(2) ? escaped(c) + escaped(text.at(i + 1).unicode()) : text.mid(i, 2).toUtf8();
                ++i;
            } else if (c == u'"') {
                out += "\\\"";
            } else if (c == u'\\') {
                out += "\\\\";
            } else if (c == u'\n' && coin(2)) {
                out += "\\n";
            } else if (c < 0x20 || (c >= 0x80 && coin(2)) || coin(escapeOneIn)) {
                out += escaped(c);
            } else if (c == u'/' && coin(2)) {
                out += "\\/";
            } else {
                out += QString(QChar(c)).toUtf8();
            }
        }
        return out + '"';
    }

    QByteArray value(const QJsonValue& value)
    {
        switch (value.type()) {
        case QJsonValue::Object: {
            const QJsonObject object = value.toObject();
            QStringList keys = object.keys();
            std::shuffle(keys.begin(), keys.end(), random);
            QByteArray out = "{" + blank();
            for (qsizetype i = 0; i < keys.size(); ++i) {
                if (i > 0)
                    out += blank() + ',' + blank();
                out += string(keys.at(i), 2000) + blank() + ':' + blank() + this->value(object.value(keys.at(i)));
            }
            return out + blank() + '}';
        }
        case QJsonValue::Array: {
            QByteArray out = "[" + blank();
            const QJsonArray array = value.toArray();
            for (qsizetype i = 0; i < array.size(); ++i)
                out += (i > 0 ? blank() + ',' + blank() : QByteArray()) + this->value(array.at(i));
            return out + blank() + ']';
        }
        case QJsonValue::String:
            return string(value.toString());
        case QJsonValue::Double:
            return numberText(value);
        case QJsonValue::Bool:
            return value.toBool() ? "true" : "false";
        default:
            return "null";
        }
    }
};

sim::InputRequest request(int index, const QJsonObject& body)
{
    sim::InputRequest input;
    input.line = index + 1;
    input.customId = u"req-%1-\u00e9\U0001F389 \"q\""_s.arg(index);
    input.body = body;
    input.compactBody = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return input;
}

QStringList prompts()
{
    return {u"Summarize: the quick brown fox"_s,
            u"Quotes \"inside\" and a back\\slash, a tab\tand\nnew lines"_s,
            u"Unicode: \u00e9\u00e8 \u4e2d\u6587 emoji \U0001F389\U0001F600 and a slash /"_s,
            u"[[sim:fail:500]] make this one fail"_s,
            u"[[sim:fail:429]] rate limited"_s,
            u""_s};
}

QList<QJsonObject> bodies(Endpoint endpoint, const QString& prompt)
{
    const QJsonObject schema{{u"type"_s, u"object"_s},
                             {u"properties"_s,
                              QJsonObject{{u"label"_s, QJsonObject{{u"type"_s, u"string"_s}}},
                                          {u"score"_s, QJsonObject{{u"type"_s, u"number"_s}}}}},
                             {u"required"_s, QJsonArray{u"label"_s, u"score"_s}}};
    QList<QJsonObject> out;
    switch (endpoint) {
    case Endpoint::ChatCompletions: {
        const QJsonArray messages{QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"Be brief."_s}},
                                  QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, prompt}}};
        out.append({{u"model"_s, u"gpt-4o-mini"_s}, {u"messages"_s, messages}});
        out.append({{u"model"_s, u"gpt-4o-mini"_s},
                    {u"messages"_s, messages},
                    {u"response_format"_s, QJsonObject{{u"type"_s, u"json_object"_s}}}});
        out.append({{u"model"_s, u"gpt-4o-mini"_s},
                    {u"messages"_s, messages},
                    {u"response_format"_s,
                     QJsonObject{{u"type"_s, u"json_schema"_s},
                                 {u"json_schema"_s, QJsonObject{{u"name"_s, u"x"_s}, {u"schema"_s, schema}}}}}});
        out.append({{u"model"_s, u"gpt-4o-mini"_s}, {u"messages"_s, messages}, {u"max_tokens"_s, 2}, {u"n"_s, 2}});
        out.append(
            {{u"model"_s, u"gpt-4o-mini"_s},
             {u"messages"_s, messages},
             {u"tools"_s,
              QJsonArray{QJsonObject{{u"type"_s, u"function"_s},
                                     {u"function"_s, QJsonObject{{u"name"_s, u"f"_s}, {u"parameters"_s, schema}}}}}},
             {u"tool_choice"_s, u"required"_s}});
        out.append({{u"model"_s, u"gpt-4o-mini"_s}}); // no messages: a 400 line
        break;
    }
    case Endpoint::Completions:
        out.append({{u"model"_s, u"gpt-3.5-turbo-instruct"_s}, {u"prompt"_s, prompt}});
        out.append({{u"model"_s, u"gpt-3.5-turbo-instruct"_s}, {u"prompt"_s, prompt}, {u"max_tokens"_s, 1}});
        break;
    case Endpoint::Responses:
        out.append({{u"model"_s, u"o3-mini"_s}, {u"input"_s, prompt}, {u"instructions"_s, u"Be brief."_s}});
        out.append(
            {{u"model"_s, u"gpt-4o-mini"_s},
             {u"input"_s, prompt},
             {u"text"_s,
              QJsonObject{{u"format"_s,
                           QJsonObject{{u"type"_s, u"json_schema"_s}, {u"name"_s, u"x"_s}, {u"schema"_s, schema}}}}}});
        out.append({{u"model"_s, u"gpt-4o-mini"_s}, {u"input"_s, prompt}, {u"max_output_tokens"_s, 3}});
        break;
    case Endpoint::Embeddings:
        out.append({{u"model"_s, u"text-embedding-3-small"_s}, {u"input"_s, prompt}, {u"dimensions"_s, 8}});
        out.append({{u"model"_s, u"text-embedding-3-small"_s},
                    {u"input"_s, QJsonArray{prompt, u"second"_s}},
                    {u"dimensions"_s, 4}});
        break;
    }
    return out;
}

// Lines the fast path must handle exactly like Qt, or leave to it.
QList<QByteArray> handMadeLines()
{
    const QByteArray ok =
        R"({"custom_id":"a","response":{"status_code":200,"body":{"choices":[{"message":{"content":"TEXT"}}],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}},"error":null})";
    QList<QByteArray> lines;
    const QList<QByteArray> texts = {"plain",
                                     R"(q \" b \\ n \n t \t s \/ u \u00e9 \u4e2d)",
                                     R"(pair \ud83c\udf89 end)",
                                     "raw emoji \xF0\x9F\x8E\x89 \xC3\xA9",
                                     R"(lone \ud83c end)",
                                     R"(lone low \udf89)",
                                     R"(\u0000 nul)",
                                     R"(bad escape \x)",
                                     R"(short \u12)",
                                     "ctrl \x01 char",
                                     "bad utf8 \xC3\x28",
                                     "overlong \xC0\xAF",
                                     "surrogate \xED\xA0\x80",
                                     "nonchar \xEF\xBF\xBF",
                                     R"(nonchar \uffff)",
                                     R"({\"json\": [1, 2.5, \"x\"]})",
                                     R"(```json\n{\"a\":1}\n```)",
                                     "",
                                     "  "};
    for (const QByteArray& text : texts) {
        QByteArray line = ok;
        lines.append(line.replace("TEXT", text));
    }
    lines += {
        R"({"custom_id":"a","response":{"status_code":200,"body":{"choices":[{"message":{"content":null,"refusal":"no"}}]}}})",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"choices":[{"message":{"content":[{"type":"text","text":"x"}]}}]}}})",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"choices":[]}}})",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"choices":[{"message":{"content":"x"}},{"message":{"content":"y"}}]}}})",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"choices":[{"message":{"content":"x","content":"y"}}]}}})",
        R"({"custom_id":"a","custom_id":"b","response":{"status_code":200,"body":{"choices":[{"message":{"content":"x"}}]}}})",
        R"({"custom_id":"","response":{"status_code":200,"body":{"choices":[{"message":{"content":"x"}}]}}})",
        R"({"custom_id":7,"response":{"status_code":200,"body":{"choices":[{"message":{"content":"x"}}]}}})",
        R"({"custom\u005fid":"a","response":{"status_code":200,"body":{"choices":[{"message":{"content":"x"}}]}}})",
        R"({"response":{"body":{"usage":{"total_tokens":5,"prompt_tokens":2},"choices":[{"text":"c","message":{"content":"x"}}]},"status_code":200},"custom_id":"a"})",
        R"({"custom_id":"a","response":{"status_code":200.0,"body":{"choices":[{"message":{"content":"x"}}]}}})",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":2.5,"completion_tokens":-1}}}})",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":"2","completion_tokens":null,"total_tokens":true}}}})",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"choices":[{"message":{"content":"x"}}],"usage":null}}})",
        // Digit runs longer than a qint64 (fuzz_outputline found the overflow: UB under UBSan).
        R"({"custom_id":"a","response":{"status_code":200000000000000000000000000000,"body":{"choices":[{"message":{"content":"x"}}]}}})",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"choices":[{"message":{"content":"x"}}],"usage":{"prompt_tokens":99999999999999999999999,"completion_tokens":1}}}})",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"choices":[{"message":{"content":"x"}}],"usage":[1]}}})",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"choices":[{"message":{"content":"x"}}]},"x":[1e5,-0.5E-3,true,false,{}]}})",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"choices":[{"message":{"content":"x"}}]},"x":01}})",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"choices":[{"message":{"content":"x"}}]},"x":1e999}})",
        R"({"custom_id":"a","response":{"status_code":400,"body":{"error":{"code":"bad","message":"no"}}}})",
        R"({"custom_id":"a","response":null,"error":{"code":"batch_expired","message":"late"}})",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"choices":[{"message":{"content":"x"}}]}}} trailing)",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"choices":[{"message":{"content":"x"}}]}}},)",
        R"(  {"custom_id":"a","response":{"status_code":200,"body":{"choices":[{"message":{"content":"x"}}]}}}  )"
        "\r",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"output":[{"content":[{"text":"A","type":"output_text"},{"type":"refusal","refusal":"r"},{"type":"output_text","text":"B"}],"type":"message"},{"type":"reasoning"},{"type":"message","content":[{"type":"output_text","text":"C"}]}],"usage":{"input_tokens":1,"output_tokens":2}}}})",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"output":[{"type":"message","content":[{"type":"output_text","text":7}]}]}}})",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"output":[{"type":"message","content":[{"type":"refusal","refusal":"no"}]}]}}})",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"output":[1,{"type":"message","content":[{"type":"output_text","text":"x"}]}]}}})",
        R"({"custom_id":"a","response":{"status_code":200,"body":{"data":[{"index":1,"embedding":[0.5,1]},{"index":0,"embedding":[2]}]}}})",
        // Embeddings as OpenAI's Python stack spells them, and the numbers the fast path leaves to Qt.
        R"({"id":"r","custom_id":"e","response":{"status_code":200,"request_id":"q","body":{"object":"list","data":[{"object":"embedding","index":0,"embedding":[-0.0069292835, 0.0001, 1e-05, 0.50, 1E-5, 1.5e+0, 9.9e-05, 0.00012, 2.5e-100, -0.123456789012345]}],"model":"m","usage":{"prompt_tokens":5,"total_tokens":5}}},"error":null})",
        R"({"custom_id":"e","response":{"status_code":200,"body":{"data":[{"embedding":[0.1,0.0]}]}}})",
        R"({"custom_id":"e","response":{"status_code":200,"body":{"data":[{"embedding":[0.1,1.0]}]}}})",
        R"({"custom_id":"e","response":{"status_code":200,"body":{"data":[{"embedding":[0.1,-0]}]}}})",
        R"({"custom_id":"e","response":{"status_code":200,"body":{"data":[{"embedding":[0.1234567890123456]}]}}})",
        R"({"custom_id":"e","response":{"status_code":200,"body":{"data":[{"embedding":[1e-400]}]}}})",
        R"({"custom_id":"e","response":{"status_code":200,"body":{"data":[{"embedding":"AAAAAA=="}]}}})",
        R"({"custom_id":"e","response":{"status_code":200,"body":{"data":[{"embedding":[]}]}}})",
        R"({"custom_id":"e","response":{"status_code":200,"body":{"data":[{"embedding":[[0.1]]}]}}})",
        R"({"custom_id":"e","response":{"status_code":200,"body":{"data":[{"index":0}]}}})",
        R"({"custom_id":"e","response":{"status_code":200,"body":{"data":[]}}})",
        R"({"custom_id":"e","response":{"status_code":200,"body":{"data":[{"embedding":[0.1],"embedding":[0.2]}]}}})",
        R"({"custom_id":"e","response":{"status_code":200,"body":{"data":[{"embedding":[0.1]}],"usage":{"prompt_tokens":3}}}})",
        "",
        "{",
        "[]",
        "null",
        "{}",
        "\xEF\xBB\xBF{\"custom_id\":\"a\"}"};
    QByteArray deep =
        R"({"custom_id":"a","response":{"status_code":200,"body":{"choices":[{"message":{"content":"x"}}],"deep":)";
    deep += QByteArray(300, '[') + QByteArray(300, ']') + "}}}";
    lines.append(deep);
    return lines;
}

} // namespace

class TestOutputLineFastPath : public QObject
{
    Q_OBJECT

private:
    int m_compared = 0;
    int m_fast = 0;
    int m_fastEmbeddings = 0;

    // Both paths over one line under every endpoint and keep mode; their results must be equal.
    void compare(const QByteArray& line, const char* what)
    {
        for (Endpoint endpoint : kEndpoints) {
            for (KeepMode keep : kKeeps) {
                OutputLineContext context;
                context.endpoint = endpoint;
                context.keep = keep;
                context.attempt = 3;
                context.fileLabel = u"output"_s;
                const std::optional<BatchResult> fast = parseOutputLineFast(line, 42, context);
                ++m_compared;
                if (!fast)
                    continue;
                ++m_fast;
                if (endpoint == Endpoint::Embeddings)
                    ++m_fastEmbeddings;
                const BatchResult slow = parseOutputLineWithQt(line, 42, context);
                const auto describe = [&] {
                    return QStringLiteral("%1, endpoint %2, keep %3: %4")
                        .arg(QString::fromUtf8(what))
                        .arg(int(endpoint))
                        .arg(int(keep))
                        .arg(QString::fromUtf8(line.left(400)));
                };
                QVERIFY2(fast->customId == slow.customId && fast->ok == slow.ok &&
                             fast->statusCode == slow.statusCode && fast->content == slow.content &&
                             fast->content.isNull() == slow.content.isNull() && fast->parsedJson == slow.parsedJson &&
                             fast->parsedJson.isNull() == slow.parsedJson.isNull() &&
                             fast->errorCode == slow.errorCode && fast->errorMessage == slow.errorMessage &&
                             fast->lineNumber == slow.lineNumber && fast->inputTokens == slow.inputTokens &&
                             fast->outputTokens == slow.outputTokens && fast->totalTokens == slow.totalTokens &&
                             fast->attempt == slow.attempt,
                         qPrintable(describe()));
            }
        }
    }

private Q_SLOTS:
    void simulatorLines()
    {
        Shuffler shuffler{std::mt19937(20261204)};
        int index = 0;
        int fastBefore = m_fast;
        for (Endpoint endpoint : kEndpoints) {
            const sim::ResponseGenerator generator(
                u"batch_test"_s, endpointPath(endpoint), u"gpt-4o-mini"_s, 1764800000);
            for (const QString& prompt : prompts()) {
                for (const QJsonObject& body : bodies(endpoint, prompt)) {
                    const QByteArray line = generator.generate(request(index++, body)).json;
                    compare(line, "as generated");
                    if (QTest::currentTestFailed())
                        return;
                    const QJsonObject parsed = QJsonDocument::fromJson(line).object();
                    for (int variant = 0; variant < 6; ++variant) {
                        compare(shuffler.value(parsed), "shuffled");
                        if (QTest::currentTestFailed())
                            return;
                    }
                    for (qsizetype cut = 1; cut < line.size(); cut += 1 + line.size() / 23)
                        compare(line.left(cut), "truncated");
                    if (QTest::currentTestFailed())
                        return;
                }
            }
            const QByteArray unexecuted =
                generator.unexecutedLine(u"never"_s, u"batch_expired"_s, u"The batch expired."_s);
            compare(unexecuted, "unexecuted");
        }
        // The fast path must actually take the common lines, or it is no fast path.
        QVERIFY2(m_fast - fastBefore > 200, qPrintable(QString::number(m_fast - fastBefore)));
        QVERIFY2(m_fastEmbeddings > 20, qPrintable(QString::number(m_fastEmbeddings)));
    }

    void handMade()
    {
        const int embeddingsBefore = m_fastEmbeddings;
        for (const QByteArray& line : handMadeLines()) {
            compare(line, "hand-made");
            if (QTest::currentTestFailed())
                return;
        }
        // Of the embeddings lines above, the fast path takes at least the one spelled the way OpenAI's
        // stack writes it and the one with a lone prompt count; the others are Qt's to decide.
        QVERIFY2(m_fastEmbeddings - embeddingsBefore >= 2, qPrintable(QString::number(m_fastEmbeddings)));
    }

    void cleanupTestCase() { qInfo("%d comparisons, %d taken by the fast path", m_compared, m_fast); }
};

QTEST_GUILESS_MAIN(TestOutputLineFastPath)
#include "tst_outputlinefastpath.moc"
