// Batch type definitions: the built-ins, overriding by folder, and one error per bad field that names
// the file and the field, without losing the good types.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "batchtypes/BatchTypeLoader.h"
#include "batchtypes/BatchTypeRegistry.h"

using namespace batchdeck;
using namespace Qt::StringLiterals;

namespace {

// A valid chat definition, to be spoilt one field at a time.
QJsonObject validDefinition()
{
    return QJsonObject{
        {u"name"_s, u"mine"_s},
        {u"description"_s, u"test type"_s},
        {u"endpoint"_s, u"/v1/chat/completions"_s},
        {u"model"_s, u"gpt-4o-mini"_s},
        {u"template"_s,
         QJsonObject{{u"messages"_s,
                      QJsonArray{QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, u"Be brief."_s}},
                                 QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Summarize: {{item.text}}"_s}}}}}},
    };
}

QJsonObject withField(QJsonObject object, const QString& field, const QJsonValue& value)
{
    if (value.isUndefined())
        object.remove(field);
    else
        object.insert(field, value);
    return object;
}

QJsonObject withTemplate(const QJsonObject& body)
{
    return withField(validDefinition(), u"template"_s, body);
}

QJsonObject chatBody(const QString& userContent)
{
    return QJsonObject{{u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, userContent}}}}};
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    file.write(bytes);
}

QByteArray jsonText(const QJsonObject& object)
{
    return QJsonDocument(object).toJson();
}

QStringList problemTexts(const QList<BatchTypeProblem>& problems)
{
    QStringList texts;
    for (const BatchTypeProblem& problem : problems)
        texts.append(problem.toString());
    return texts;
}

const QJsonValue kAbsent(QJsonValue::Undefined);

const QStringList kBuiltIns = {u"classify"_s, u"embed"_s, u"keywords"_s, u"summarize"_s};

} // namespace

class TestBatchTypeLoader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void builtInsLoad()
    {
        const BatchTypeRegistry registry = BatchTypeRegistry::load({{BatchTypeRegistry::builtInFolder(), true}});
        QVERIFY2(registry.problems().isEmpty(), qPrintable(problemTexts(registry.problems()).join(u'\n')));
        QCOMPARE(registry.names(), kBuiltIns);

        const BatchType summarize = registry.find(u"summarize"_s).value();
        QCOMPARE(summarize.endpoint, Endpoint::ChatCompletions);
        QCOMPARE(summarize.model, u"gpt-4o-mini"_s);
        QCOMPARE(summarize.keep, KeepMode::Text);
        QVERIFY(summarize.source.isItems());
        QCOMPARE(summarize.origin, u":/batch-types/summarize.json"_s);

        const BatchType embed = registry.find(u"embed"_s).value();
        QCOMPARE(embed.endpoint, Endpoint::Embeddings);
        QCOMPARE(embed.model, u"text-embedding-3-small"_s);
        QCOMPARE(embed.keep, KeepMode::Json);
        QCOMPARE(embed.requestTemplate.value(u"input"_s).toString(), u"{{item.text}}"_s);

        const BatchType keywords = registry.find(u"keywords"_s).value();
        QCOMPARE(keywords.source, BatchSource::resultsOf(u"summarize"_s));
        QCOMPARE(registry.consumersOf(u"summarize"_s), QStringList{u"keywords"_s});

        // The top-level response_format ends up in the body.
        const BatchType classify = registry.find(u"classify"_s).value();
        QCOMPARE(classify.keep, KeepMode::Json);
        QCOMPARE(classify.requestTemplate.value(u"response_format"_s).toObject().value(u"type"_s).toString(),
                 u"json_schema"_s);
    }

    void standardFoldersAndOverrides()
    {
        QVERIFY(QDir().mkpath(BatchTypeRegistry::userFolder()));
        const QString userFile = BatchTypeRegistry::userFolder() + u"/summarize.json";
        auto cleanup = qScopeGuard([&] { QFile::remove(userFile); });
        writeFile(
            userFile,
            jsonText(withField(withField(validDefinition(), u"name"_s, u"summarize"_s), u"model"_s, u"gpt-4.1"_s)));

        QTemporaryDir extra;
        writeFile(extra.filePath(u"extra.json"_s),
                  jsonText(withField(withField(validDefinition(), u"name"_s, u"summarize"_s), u"model"_s, u"o3"_s)));
        writeFile(extra.filePath(u"mine.json"_s), jsonText(validDefinition()));

        const BatchTypeRegistry userOnly = BatchTypeRegistry::loadStandard();
        QVERIFY(userOnly.problems().isEmpty());
        QCOMPARE(userOnly.find(u"summarize"_s)->model, u"gpt-4.1"_s);
        QCOMPARE(userOnly.find(u"summarize"_s)->origin, userFile);
        QCOMPARE(userOnly.find(u"embed"_s)->model, u"text-embedding-3-small"_s); // untouched built-in

        const BatchTypeRegistry withExtra = BatchTypeRegistry::loadStandard(extra.path());
        QVERIFY(withExtra.problems().isEmpty());
        QCOMPARE(withExtra.find(u"summarize"_s)->model, u"o3"_s);
        QCOMPARE(withExtra.names(), (QStringList{u"classify"_s, u"embed"_s, u"keywords"_s, u"mine"_s, u"summarize"_s}));
    }

    void badField_data()
    {
        QTest::addColumn<QJsonObject>("definition");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("fragment");

        const QJsonObject good = validDefinition();
        QTest::newRow("unknown endpoint") << withField(good, u"endpoint"_s, u"/v1/foo"_s) << u"endpoint"_s
                                          << u"'/v1/foo' is not a batch endpoint (use one of /v1/chat/completions, "
                                             "/v1/embeddings, /v1/responses, /v1/completions)"_s;
        QTest::newRow("azure endpoint shorthand")
            << withField(good, u"endpoint"_s, u"/chat/completions"_s) << u"endpoint"_s << u"not a batch endpoint"_s;
        QTest::newRow("no endpoint") << withField(good, u"endpoint"_s, kAbsent) << u"endpoint"_s << u"is required"_s;
        QTest::newRow("endpoint not a string")
            << withField(good, u"endpoint"_s, 3) << u"endpoint"_s << u"must be a string"_s;
        QTest::newRow("no name") << withField(good, u"name"_s, kAbsent) << u"name"_s << u"is required"_s;
        QTest::newRow("bad name") << withField(good, u"name"_s, u"My Type"_s) << u"name"_s
                                  << u"start with a lower-case letter"_s;
        QTest::newRow("name with a slash")
            << withField(good, u"name"_s, u"a/b"_s) << u"name"_s << u"may only hold a-z, 0-9, _ and -"_s;
        QTest::newRow("empty name") << withField(good, u"name"_s, u""_s) << u"name"_s << u"must not be empty"_s;
        QTest::newRow("description not a string")
            << withField(good, u"description"_s, QJsonArray()) << u"description"_s << u"must be a string"_s;
        QTest::newRow("no model") << withField(good, u"model"_s, kAbsent) << u"model"_s << u"is required"_s;
        QTest::newRow("null model") << withField(good, u"model"_s, QJsonValue::Null) << u"model"_s << u"is required"_s;
        QTest::newRow("blank model") << withField(good, u"model"_s, u"  "_s) << u"model"_s << u"must not be empty"_s;
        QTest::newRow("model placeholder")
            << withField(good, u"model"_s, u"{{run.params.model}}"_s) << u"model"_s << u"no placeholders"_s;
        QTest::newRow("no template") << withField(good, u"template"_s, kAbsent) << u"template"_s << u"is required"_s;
        QTest::newRow("template not an object")
            << withField(good, u"template"_s, u"hi"_s) << u"template"_s << u"must be a JSON object"_s;
        QJsonObject bodyWithModel = chatBody(u"x"_s);
        bodyWithModel.insert(u"model"_s, u"gpt-4o"_s);
        QTest::newRow("model in template")
            << withTemplate(bodyWithModel) << u"template.model"_s << u"top-level 'model' field"_s;
        QJsonObject streaming = chatBody(u"x"_s);
        streaming.insert(u"stream"_s, true);
        QTest::newRow("stream") << withTemplate(streaming) << u"template.stream"_s << u"cannot stream"_s;
        QTest::newRow("chat without messages")
            << withTemplate(QJsonObject{{u"input"_s, u"x"_s}}) << u"template"_s << u"needs 'messages'"_s;
        QTest::newRow("empty messages") << withTemplate(QJsonObject{{u"messages"_s, QJsonArray()}})
                                        << u"template.messages"_s << u"non-empty array"_s;
        QTest::newRow("message not an object") << withTemplate(QJsonObject{{u"messages"_s, QJsonArray{u"hi"_s}}})
                                               << u"template.messages[0]"_s << u"must be an object"_s;
        QTest::newRow("message without role")
            << withTemplate(QJsonObject{{u"messages"_s, QJsonArray{QJsonObject{{u"content"_s, u"x"_s}}}}})
            << u"template.messages[0].role"_s << u"is required"_s;
        QTest::newRow("unknown placeholder")
            << withTemplate(chatBody(u"Summarize {{itme.text}}"_s)) << u"template.messages[0].content"_s
            << u"unknown placeholder {{itme.text}}"_s;
        QTest::newRow("bare run placeholder") << withTemplate(chatBody(u"{{run.params}}"_s))
                                              << u"template.messages[0].content"_s << u"unknown placeholder"_s;
        QTest::newRow("empty field name") << withTemplate(chatBody(u"{{item..text}}"_s))
                                          << u"template.messages[0].content"_s << u"empty field name"_s;
        QJsonObject placeholderKey = chatBody(u"x"_s);
        placeholderKey.insert(u"{{item.k}}"_s, 1);
        QTest::newRow("placeholder in a field name")
            << withTemplate(placeholderKey) << u"template.{{item.k}}"_s << u"not substituted in field names"_s;
        QTest::newRow("bad source") << withField(good, u"source"_s, u"files"_s) << u"source"_s
                                    << u"'files' is not a source"_s;
        QTest::newRow("bad results source")
            << withField(good, u"source"_s, u"results:Bad Name"_s) << u"source"_s << u"does not name a batch type"_s;
        QTest::newRow("own results") << withField(good, u"source"_s, u"results:mine"_s) << u"source"_s
                                     << u"cannot take its own results"_s;
        QTest::newRow("results item field")
            << withField(good, u"source"_s, u"results:summarize"_s) << u"template.messages[1].content"_s
            << u"{{item.text}}: an item made from the results of 'summarize' has only the fields custom_id, "
               "content, parsed"_s;
        QTest::newRow("bad keep") << withField(good, u"keep"_s, u"all"_s) << u"keep"_s << u"'all' is not a keep mode"_s;
        QJsonObject embeddings = withField(good, u"endpoint"_s, u"/v1/embeddings"_s);
        embeddings.insert(u"template"_s, QJsonObject{{u"input"_s, u"{{item.text}}"_s}});
        QTest::newRow("embeddings kept as text")
            << withField(embeddings, u"keep"_s, u"text"_s) << u"keep"_s << u"embeddings have no text"_s;
        QTest::newRow("embeddings without input")
            << withField(embeddings, u"template"_s, QJsonObject{{u"text"_s, u"x"_s}}) << u"template"_s
            << u"a /v1/embeddings template needs 'input'"_s;
        QTest::newRow("completions without prompt")
            << withField(withField(good, u"endpoint"_s, u"/v1/completions"_s), u"template"_s, chatBody(u"x"_s))
            << u"template"_s << u"needs 'prompt'"_s;
        QTest::newRow("response_format on embeddings")
            << withField(embeddings, u"response_format"_s, QJsonObject{{u"type"_s, u"json_object"_s}})
            << u"response_format"_s << u"only /v1/chat/completions takes response_format"_s;
        QTest::newRow("response_format not an object")
            << withField(good, u"response_format"_s, u"json"_s) << u"response_format"_s << u"must be an object"_s;
        QJsonObject bodyWithFormat = chatBody(u"x"_s);
        bodyWithFormat.insert(u"response_format"_s, QJsonObject{{u"type"_s, u"text"_s}});
        QTest::newRow("response_format twice")
            << withField(withTemplate(bodyWithFormat), u"response_format"_s, QJsonObject{{u"type"_s, u"text"_s}})
            << u"response_format"_s << u"also set in the template"_s;
        QTest::newRow("misspelt field") << withField(good, u"endpiont"_s, u"/v1/embeddings"_s) << u"endpiont"_s
                                        << u"unknown field (known: name, description"_s;
    }

    void badField()
    {
        QFETCH(QJsonObject, definition);
        QFETCH(QString, field);
        QFETCH(QString, fragment);

        QTemporaryDir folder;
        const QString path = folder.filePath(u"my.json"_s);
        writeFile(path, jsonText(definition));
        writeFile(folder.filePath(u"other.json"_s), jsonText(withField(validDefinition(), u"name"_s, u"other"_s)));

        const BatchTypeRegistry registry =
            BatchTypeRegistry::load({{BatchTypeRegistry::builtInFolder(), true}, {folder.path(), true}});
        // The good ones stay: every built-in and the other user file.
        for (const QString& name : kBuiltIns)
            QVERIFY2(registry.contains(name), qPrintable(name));
        QVERIFY(registry.contains(u"other"_s));
        QVERIFY(!registry.contains(u"mine"_s));

        const QString expected = path + u": field '" + field + u"': ";
        const QStringList texts = problemTexts(registry.problems());
        bool found = false;
        for (const QString& text : texts)
            found = found || (text.startsWith(expected) && text.contains(fragment));
        QVERIFY2(found, qPrintable(u"wanted \""_s + expected + u"..." + fragment + u"\" in:\n"_s + texts.join(u'\n')));
    }

    void exactMessage()
    {
        const BatchTypeLoadResult result =
            BatchTypeLoader::parse(jsonText(withField(validDefinition(), u"endpoint"_s, u"/v1/foo"_s)), u"my.json"_s);
        QVERIFY(!result.ok());
        QCOMPARE(result.problems.size(), 1);
        QCOMPARE(result.problems.front().toString(),
                 u"my.json: field 'endpoint': '/v1/foo' is not a batch endpoint (use one of /v1/chat/completions, "
                 "/v1/embeddings, /v1/responses, /v1/completions)"_s);
        QCOMPARE(result.declaredName, u"mine"_s);
        QCOMPARE(result.problems.front().toError().kind, ErrorKind::InvalidInput);
    }

    void everyProblemOfAFileIsReported()
    {
        QJsonObject definition = withField(validDefinition(), u"endpoint"_s, u"/v1/foo"_s);
        definition.insert(u"keep"_s, u"everything"_s);
        definition.remove(u"model"_s);
        const BatchTypeLoadResult result = BatchTypeLoader::parse(jsonText(definition), u"my.json"_s);
        QStringList fields;
        for (const BatchTypeProblem& problem : result.problems)
            fields.append(problem.field);
        fields.sort();
        QCOMPARE(fields, (QStringList{u"endpoint"_s, u"keep"_s, u"model"_s}));
    }

    void invalidJson_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("truncated") << QByteArray("{\n  \"name\": \"x\",\n") << u"not valid JSON at line 3"_s;
        QTest::newRow("trailing comma") << QByteArray("{\"name\": \"x\",}") << u"not valid JSON at line 1, column"_s;
        QTest::newRow("empty file") << QByteArray() << u"not valid JSON"_s;
        QTest::newRow("array") << QByteArray("[1, 2]") << u"must hold one JSON object"_s;
    }

    void invalidJson()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, fragment);
        QTemporaryDir folder;
        writeFile(folder.filePath(u"broken.json"_s), bytes);
        writeFile(folder.filePath(u"good.json"_s), jsonText(validDefinition()));
        const BatchTypeRegistry registry = BatchTypeRegistry::load({{folder.path(), true}});
        QCOMPARE(registry.names(), QStringList{u"mine"_s});
        QCOMPARE(registry.problems().size(), 1);
        const BatchTypeProblem problem = registry.problems().front();
        QCOMPARE(problem.file, folder.filePath(u"broken.json"_s));
        QVERIFY(problem.field.isEmpty());
        QVERIFY2(problem.toString().contains(fragment), qPrintable(problem.toString()));
    }

    void otherFilesAreNotRead()
    {
        QTemporaryDir folder;
        writeFile(folder.filePath(u"README.md"_s), "# notes");
        writeFile(folder.filePath(u"items.jsonl"_s), "{}\n{}\n");
        writeFile(folder.filePath(u"good.json"_s), jsonText(validDefinition()));
        const BatchTypeRegistry registry = BatchTypeRegistry::load({{folder.path(), true}});
        QCOMPARE(registry.names(), QStringList{u"mine"_s});
        QVERIFY(registry.problems().isEmpty());
    }

    void oversizedFile()
    {
        QTemporaryDir folder;
        QJsonObject definition = validDefinition();
        definition.insert(u"_padding"_s, QString(BatchTypeLoader::kMaxFileSize, u'x'));
        writeFile(folder.filePath(u"big.json"_s), jsonText(definition));
        const BatchTypeRegistry registry = BatchTypeRegistry::load({{folder.path(), true}});
        QVERIFY(registry.names().isEmpty());
        QCOMPARE(registry.problems().size(), 1);
        QVERIFY(registry.problems().front().message.contains(u"at most"_s));
    }

    void commentsAreIgnored()
    {
        QJsonObject definition = validDefinition();
        definition.insert(u"_comment"_s, u"why this prompt: see ticket 42"_s);
        const BatchTypeLoadResult result = BatchTypeLoader::parse(jsonText(definition), u"c.json"_s);
        QVERIFY(result.ok());
    }

    void defaultsAndRoundTrip()
    {
        const BatchTypeLoadResult result = BatchTypeLoader::parse(jsonText(validDefinition()), u"d.json"_s);
        QVERIFY(result.ok());
        const BatchType type = *result.type;
        QVERIFY(type.source.isItems());
        QCOMPARE(type.keep, KeepMode::Text);
        QCOMPARE(type.origin, u"d.json"_s);

        const BatchTypeLoadResult again = BatchTypeLoader::parse(jsonText(type.toJson()), u"d.json"_s);
        QVERIFY(again.ok());
        QCOMPARE(*again.type, type);

        QJsonObject embeddings = validDefinition();
        embeddings.insert(u"endpoint"_s, u"/v1/embeddings"_s);
        embeddings.insert(u"template"_s, QJsonObject{{u"input"_s, u"{{item.texts}}"_s}, {u"dimensions"_s, 256}});
        const BatchTypeLoadResult embed = BatchTypeLoader::parse(jsonText(embeddings), u"e.json"_s);
        QVERIFY(embed.ok());
        QCOMPARE(embed.type->keep, KeepMode::Json);
    }

    void badOverrideKeepsTheEarlierDefinition()
    {
        QTemporaryDir folder;
        QJsonObject definition = withField(validDefinition(), u"name"_s, u"summarize"_s);
        definition.insert(u"endpoint"_s, u"/v1/foo"_s);
        writeFile(folder.filePath(u"summarize.json"_s), jsonText(definition));
        const BatchTypeRegistry registry =
            BatchTypeRegistry::load({{BatchTypeRegistry::builtInFolder(), true}, {folder.path(), true}});
        QCOMPARE(registry.find(u"summarize"_s)->origin, u":/batch-types/summarize.json"_s);
        const QStringList texts = problemTexts(registry.problems());
        QCOMPARE(texts.size(), 2);
        QVERIFY(texts[0].contains(u"field 'endpoint'"_s));
        QVERIFY2(texts[1].contains(u"'summarize' stays as defined in :/batch-types/summarize.json"_s),
                 qPrintable(texts[1]));
    }

    void duplicateNameInOneFolder()
    {
        QTemporaryDir folder;
        writeFile(folder.filePath(u"a.json"_s), jsonText(validDefinition()));
        writeFile(folder.filePath(u"b.json"_s), jsonText(withField(validDefinition(), u"model"_s, u"other"_s)));
        const BatchTypeRegistry registry = BatchTypeRegistry::load({{folder.path(), true}});
        QCOMPARE(registry.find(u"mine"_s)->origin, folder.filePath(u"a.json"_s));
        QCOMPARE(registry.problems().size(), 1);
        QCOMPARE(registry.problems().front().file, folder.filePath(u"b.json"_s));
        QCOMPARE(registry.problems().front().field, u"name"_s);
    }

    void folders()
    {
        const QString missing = QDir::tempPath() + u"/batchdeck-no-such-folder-4711"_s;
        const BatchTypeRegistry optional = BatchTypeRegistry::load({{missing, false}});
        QVERIFY(optional.problems().isEmpty());

        const BatchTypeRegistry required =
            BatchTypeRegistry::load({{BatchTypeRegistry::builtInFolder(), true}, {missing, true}});
        QCOMPARE(required.names(), kBuiltIns);
        QCOMPARE(required.problems().size(), 1);
        QCOMPARE(required.problems().front().toString(), missing + u": batch type folder does not exist"_s);

        QTemporaryDir folder;
        writeFile(folder.filePath(u"file.json"_s), jsonText(validDefinition()));
        const BatchTypeRegistry notAFolder = BatchTypeRegistry::load({{folder.filePath(u"file.json"_s), true}});
        QVERIFY(notAFolder.problems().front().message.contains(u"not a folder"_s));
    }

    void chains()
    {
        QTemporaryDir folder;
        const auto chained = [](const QString& name, const QString& source) {
            QJsonObject definition = withField(validDefinition(), u"name"_s, name);
            definition.insert(u"source"_s, source);
            definition.insert(u"template"_s, chatBody(u"{{item.content}} / {{item.parsed.x}} / {{item.custom_id}}"_s));
            return definition;
        };
        writeFile(folder.filePath(u"dangling.json"_s), jsonText(chained(u"dangling"_s, u"results:nothing"_s)));
        writeFile(folder.filePath(u"after-dangling.json"_s),
                  jsonText(chained(u"after-dangling"_s, u"results:dangling"_s)));
        writeFile(folder.filePath(u"loop-a.json"_s), jsonText(chained(u"loop-a"_s, u"results:loop-b"_s)));
        writeFile(folder.filePath(u"loop-b.json"_s), jsonText(chained(u"loop-b"_s, u"results:loop-a"_s)));
        writeFile(folder.filePath(u"ok.json"_s), jsonText(chained(u"ok"_s, u"results:summarize"_s)));

        const BatchTypeRegistry registry =
            BatchTypeRegistry::load({{BatchTypeRegistry::builtInFolder(), true}, {folder.path(), true}});
        QCOMPARE(registry.names(), (QStringList{u"classify"_s, u"embed"_s, u"keywords"_s, u"ok"_s, u"summarize"_s}));
        const QStringList texts = problemTexts(registry.problems());
        QCOMPARE(texts.size(), 4);
        const auto has = [&](const QString& file, const QString& fragment) {
            for (const QString& text : texts) {
                if (text.startsWith(folder.filePath(file) + u": field 'source': "_s) && text.contains(fragment))
                    return true;
            }
            return false;
        };
        QVERIFY(has(u"dangling.json"_s, u"'results:nothing' names no usable batch type"_s));
        QVERIFY(has(u"after-dangling.json"_s, u"'results:dangling' names no usable batch type"_s));
        QVERIFY(has(u"loop-a.json"_s, u"loop: loop-a <- loop-b <- loop-a"_s));
        QVERIFY(has(u"loop-b.json"_s, u"loop: loop-b <- loop-a <- loop-b"_s));
    }

    void findNamesTheKnownTypes()
    {
        const BatchTypeRegistry registry = BatchTypeRegistry::load({{BatchTypeRegistry::builtInFolder(), true}});
        const Result<BatchType> found = registry.find(u"sumarize"_s);
        QVERIFY(!found);
        QCOMPARE(found.error().kind, ErrorKind::NotFound);
        QCOMPARE(found.error().message, u"no batch type 'sumarize' (known: classify, embed, keywords, summarize)"_s);
        QCOMPARE(BatchTypeRegistry().find(u"x"_s).error().kind, ErrorKind::NotFound);
    }

    void fromTypes()
    {
        BatchType type = *BatchTypeLoader::parse(jsonText(validDefinition()), u"t"_s).type;
        BatchType bad = type;
        bad.name = u"Bad"_s;
        BatchType orphan = type;
        orphan.name = u"orphan"_s;
        orphan.source = BatchSource::resultsOf(u"missing"_s);
        const BatchTypeRegistry registry = BatchTypeRegistry::fromTypes({type, bad, orphan});
        QCOMPARE(registry.names(), QStringList{u"mine"_s});
        QCOMPARE(registry.problems().size(), 2);
    }

    void sourceParsing()
    {
        QVERIFY(BatchSource::parse(u"items"_s)->isItems());
        QCOMPARE(BatchSource::parse(u"results:summarize"_s)->batchType(), u"summarize"_s);
        QCOMPARE(BatchSource::parse(u"results:summarize"_s)->toString(), u"results:summarize"_s);
        QVERIFY(!BatchSource::parse(u"results:"_s));
        QVERIFY(!BatchSource::parse(u"Items"_s));
        const QJsonObject payload = BatchSource::resultItemPayload(u"k1"_s, std::nullopt, QJsonValue::Undefined);
        QCOMPARE(payload.value(u"custom_id"_s).toString(), u"k1"_s);
        QVERIFY(payload.value(u"content"_s).isNull());
        QVERIFY(payload.value(u"parsed"_s).isNull());
    }
};

QTEST_GUILESS_MAIN(TestBatchTypeLoader)
#include "tst_batchtypeloader.moc"
