// The render fast path (RequestLineSplicer) against the Qt path: for templates of every shape and
// payloads as stored (canonical, re-escaped, reordered, broken), renderLine must give exactly the
// bytes, or exactly the error, that renderLineWithQt gives.
#include <random>

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include "batchtypes/BatchTypeRegistry.h"
#include "batchtypes/RequestRenderer.h"
#include "core/Json.h"

using namespace batchdeck;
using namespace Qt::StringLiterals;

namespace {

BatchType chatType(const QString& userContent)
{
    BatchType type;
    type.name = u"t"_s;
    type.endpoint = Endpoint::ChatCompletions;
    type.model = u"gpt-4o-mini"_s;
    type.requestTemplate = QJsonObject{
        {u"messages"_s,
         QJsonArray{
             QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"Be brief \"now\" \u00e9\n\u0001sp0_0\u0001"_s}},
             QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, userContent}}}},
        {u"temperature"_s, 0.2},
        {u"max_tokens"_s, 300},
        {u"zeta"_s, u"{{item.title}}"_s},
    };
    return type;
}

QList<BatchType> types()
{
    QList<BatchType> out;
    for (const QString& content : {u"Summarize: {{item.text}} ({{item.text}})"_s,
                                   u"{{item.text}}"_s,
                                   u"[{{key}}] run {{run.id}}, lang {{run.params.lang}}: {{ item.text }}"_s,
                                   u"{{{item.text}}} {{item.title}}"_s,
                                   u"{{item}}"_s,
                                   u"{{item.doc.title}}"_s,
                                   u"\u0001sp0_0\u0001 {{item.text}}"_s})
        out.append(chatType(content));
    BatchType embed;
    embed.name = u"e"_s;
    embed.endpoint = Endpoint::Embeddings;
    embed.model = u"text-embedding-3-small"_s;
    embed.requestTemplate = QJsonObject{{u"input"_s, u"{{item.text}}"_s}, {u"dimensions"_s, 256}};
    out.append(embed);
    const BatchTypeRegistry registry = BatchTypeRegistry::loadStandard();
    out.append(registry.types());
    return out;
}

QStringList texts()
{
    return {u"hello"_s,
            u"He said \"hi\" and 'bye'"_s,
            u"C:\\path\\to\\file \\n is not a newline \\u0041 a/b"_s,
            u"line 1\nline 2\r\nline 3\r\t\b\f"_s,
            u"\u0001\u0002\u0008\u000b\u000c\u001b\u001f\u007f end"_s,
            QString(u"a\u0000b"_s),
            u"Olá, ação, Straße, naïve 日本語 — עברית — العربية"_s,
            u"🚀 👍🏽 👨‍👩‍👧 🇧🇷 \U0001F389"_s,
            u"a\u2028b\u2029c \ufeff \ufffd"_s,
            u"{{item.secret}} {{key}} {{item}}"_s,
            QString(),
            QString(3000, u'é')};
}

// A random string of code points that stress escaping.
QString randomText(std::mt19937& random)
{
    static const char32_t pool[] = {u'a',   u'Z',   u' ',    u'"',    u'\\',   u'/', u'\n',  u'\r',
                                    u'\t',  0x01,   0x1f,    0x7f,    0x80,    0xe9, 0x2028, 0x4e2d,
                                    0xfeff, 0xfffd, 0x1F389, 0x1F600, 0x10000, u'{', u'}',   u'\b'};
    QString text;
    const int length = int(random() % 24);
    for (int i = 0; i < length; ++i) {
        const char32_t c = pool[random() % std::size(pool)];
        text += QString::fromUcs4(&c, 1);
    }
    return text;
}

// The payload's JSON text, written in ways other than QJsonDocument's: \u and \/ escapes, blanks.
QByteArray rewritten(const QJsonObject& payload, std::mt19937& random)
{
    QByteArray out = "{ ";
    QStringList keys = payload.keys();
    std::shuffle(keys.begin(), keys.end(), random);
    for (qsizetype i = 0; i < keys.size(); ++i) {
        QByteArray value = json::valueText(payload.value(keys.at(i)));
        if (value.isEmpty())
            value = "null";
        if (random() % 2)
            value.replace("/", "\\/");
        if (random() % 2)
            value.replace("\\n", "\\u000a");
        out += (i ? ",\n" : "") + json::valueText(keys.at(i)) + " : " + value;
    }
    return out + " }";
}

} // namespace

class TestRequestSplicer : public QObject
{
    Q_OBJECT

private:
    int m_lines = 0;
    int m_spliced = 0;

    void compare(const RequestRenderer& renderer, const QString& key, const QByteArray& payload)
    {
        ++m_lines;
        if (renderer.splicer()) {
            QByteArray body;
            if (renderer.splicer()->appendBody(payload, "k", &body))
                ++m_spliced;
        }
        const Result<QByteArray> fast = renderer.renderLine(key, payload);
        const Result<QByteArray> slow = renderer.renderLineWithQt(key, payload);
        QCOMPARE(fast.ok(), slow.ok());
        if (fast.ok()) {
            QCOMPARE(*fast, *slow);
            // Both paths write the key with one helper: check it against QJsonDocument here.
            const QByteArray keyArray = json::compact(QJsonArray{key});
            const QByteArray expected = "{\"custom_id\":" + keyArray.sliced(1, keyArray.size() - 2) + ',';
            QVERIFY(fast->startsWith(expected));
        } else {
            QCOMPARE(fast.error().message, slow.error().message);
        }
    }

private Q_SLOTS:
    void differential()
    {
        std::mt19937 random(20261204);
        const RunContext run{u"run-1"_s, QJsonObject{{u"lang"_s, u"pt \"BR\""_s}}};
        const QStringList keys{u"k1"_s,
                               u"key \"q\" \u00e9 \U0001F389"_s,
                               QString(),
                               u" ~!#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}"_s,
                               u"del\u007f"_s,
                               u"tab\tback\\slash"_s};
        for (const BatchType& type : types()) {
            const Result<RequestRenderer> created = RequestRenderer::create(type, run);
            if (!created)
                QFAIL(qPrintable(created.error().message));
            const RequestRenderer& renderer = *created;
            QStringList all = texts();
            for (int i = 0; i < 150; ++i)
                all.append(randomText(random));
            for (const QString& text : all) {
                const QJsonObject payload{{u"text"_s, text},
                                          {u"title"_s, randomText(random)},
                                          {u"texts"_s, QJsonArray{text, u"x"_s}},
                                          {u"secret"_s, u"SECRET"_s},
                                          {u"n"_s, 1.5},
                                          {u"doc"_s, QJsonObject{{u"title"_s, text}}}};
                for (const QString& key : keys) {
                    compare(renderer, key, json::compact(payload));
                    compare(renderer, key, rewritten(payload, random));
                }
                if (QTest::currentTestFailed())
                    return;
            }
            // Payloads the fast path must leave to Qt, or handle identically.
            const QList<QByteArray> odd = {
                R"({"text":7,"title":"t"})",
                R"({"text":null,"title":"t"})",
                R"({"title":"t"})",
                R"({"text":"a","text":"b","title":"t"})",
                R"({"te\u0078t":"a","title":"t"})",
                R"({"text":"a \ud83c","title":"t"})",
                R"({"text":"a","title":"t"} x)",
                R"({"text":"a","title":"t")",
                R"({"text":"a\u00e9","title":"t"})",
                R"(["text"])",
                "",
                "{\"text\":\"bad \xC3\x28\",\"title\":\"t\"}",
                "{\"text\":\"raw \x01 control\",\"title\":\"t\"}",
                R"({"text":"ok","title":"t","deep":[[[[{"a":[1,2e5,-0.5,true,false,null]}]]]]})",
            };
            for (const QByteArray& payload : odd)
                compare(renderer, u"k"_s, payload);
        }
        QVERIFY2(m_spliced > m_lines / 8, qPrintable(u"%1 of %2"_s.arg(m_spliced).arg(m_lines)));
    }

    void cleanupTestCase() { qInfo("%d lines compared, %d spliced", m_lines, m_spliced); }
};

QTEST_GUILESS_MAIN(TestRequestSplicer)
#include "tst_requestsplicer.moc"
