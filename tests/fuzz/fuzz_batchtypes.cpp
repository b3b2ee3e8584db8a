// Fuzz entry for the batch type code. One input is tried four ways: as a batch type definition, as
// an item payload, as a template string and as model output to parse as JSON. Nothing may crash, and
// every line that renders must parse back as JSON with the right custom_id.
//
// Built with -DBATCHDECK_FUZZ=ON and Clang, this is a libFuzzer target:
//   build-fuzz/tests/fuzz/fuzz_batchtypes -max_total_time=60 tests/fuzz/corpus/batchtypes resources/batch-types
// Otherwise FuzzReplayMain.cpp makes it a replay driver, which is how CTest runs the seed corpus.
#include <cstdint>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "FuzzCheck.h"
#include "batchtypes/BatchTypeLoader.h"
#include "batchtypes/RequestRenderer.h"
#include "batchtypes/ResultExtractor.h"

using namespace batchdeck;
using namespace Qt::StringLiterals;

namespace {

const QString kKey = u"key \"1\" \u00e9 \U0001F680"_s;

void checkLine(const Result<QByteArray>& line)
{
    if (!line)
        return;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*line, &error);
    fuzzCheck(error.error == QJsonParseError::NoError && document.isObject(), "a rendered line is a JSON object");
    fuzzCheck(document.object().value(u"custom_id"_s).toString() == kKey, "custom_id is the key");
    fuzzCheck(!line->contains('\n'), "a rendered line is one line");
}

BatchType chatType(const QString& userContent)
{
    BatchType type;
    type.name = u"fuzz"_s;
    type.model = u"m"_s;
    type.requestTemplate = QJsonObject{
        {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, userContent}}}},
        {u"input"_s, u"{{item.a.b}}"_s},
    };
    return type;
}

const RunContext kRun{u"run-1"_s, QJsonObject{{u"p"_s, u"v"_s}}};

void fuzzOne(const QByteArray& input)
{
    const QJsonObject sample{
        {u"text"_s, u"t"_s}, {u"content"_s, u"c"_s}, {u"parsed"_s, QJsonObject{{u"x"_s, 1}}}, {u"custom_id"_s, u"k"_s}};

    // As a definition: loading is total, and what loads renders or fails cleanly.
    const BatchTypeLoadResult loaded = BatchTypeLoader::parse(input, u"fuzz.json"_s);
    fuzzCheck(loaded.ok() == loaded.problems.isEmpty(), "a definition loads exactly when it has no problems");
    if (loaded.ok()) {
        const Result<RequestRenderer> renderer = RequestRenderer::create(*loaded.type, kRun);
        if (renderer)
            checkLine(renderer->renderLine(kKey, sample));
    }

    // As a payload for a template that reads fields, nested fields, the whole item and run values.
    static const RequestRenderer fields =
        RequestRenderer::create(chatType(u"{{item.text}} {{item}} {{item.list.0}} {{run.params.p}} {{key}}"_s), kRun)
            .value();
    checkLine(fields.renderLine(kKey, input));

    // As a template string, rendered against a payload whose values are the input text.
    const QString text = QString::fromUtf8(input);
    QList<BatchTypeProblem> problems;
    if (RequestTemplate::compile(QJsonObject{{u"s"_s, text}}, u"template"_s, problems)) {
        const Result<RequestRenderer> renderer = RequestRenderer::create(chatType(text), kRun);
        if (renderer) {
            const QJsonObject payload{{u"text"_s, text}, {u"a"_s, QJsonObject{{u"b"_s, text}}}};
            checkLine(renderer->renderLine(kKey, payload));
        }
    }

    // As model output.
    const Result<QJsonValue> parsed = ResultExtractor::parseJsonText(text);
    fuzzCheck(parsed.ok() || !parsed.error().message.isEmpty(), "a parse failure says why");
    const QJsonObject body = QJsonDocument::fromJson(input).object();
    for (Endpoint endpoint :
         {Endpoint::ChatCompletions, Endpoint::Responses, Endpoint::Completions, Endpoint::Embeddings})
        ResultExtractor::extract(endpoint, KeepMode::Json, body);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    fuzzOne(QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)));
    return 0;
}
