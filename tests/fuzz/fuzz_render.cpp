// Fuzz target for rendering request lines (RequestRenderer and its RequestLineSplicer fast path).
// Input: the first line is a request template (a JSON object; anything else becomes the user
// message's text), the rest is an item payload as stored (JSON text). Nothing may crash; whenever
// rendering succeeds the line is one line of JSON, an object whose custom_id is the key and whose
// body names the model; and the fast path and the Qt path agree byte for byte, success or failure.
#include <cstdint>
#include <cstdio>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "FuzzCheck.h"
#include "batchtypes/RequestRenderer.h"

using namespace batchdeck;
using namespace Qt::StringLiterals;

namespace {

// Keys of every kind an item file can hold: plain, with quotes and escapes, non-ASCII, a lone
// surrogate (from a \ud800 in an imported JSON key).
const QString kKeys[] = {
    u"item-1"_s,
    u"key \"1\" \\ \u00e9 \U0001F680"_s,
    u"tab\there"_s,
    QString(QChar(0xd800)) + u"x"_s,
};

const RunContext kRun{u"run:1+2"_s, QJsonObject{{u"p"_s, u"v \"quoted\""_s}, {u"n"_s, 3}}};

BatchType typeFor(const QByteArray& templateText)
{
    BatchType type;
    type.name = u"fuzz"_s;
    type.model = u"gpt-test"_s;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(templateText, &error);
    if (error.error == QJsonParseError::NoError && document.isObject()) {
        type.requestTemplate = document.object();
    } else {
        type.requestTemplate = QJsonObject{
            {u"messages"_s,
             QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, QString::fromUtf8(templateText)}}}}};
    }
    return type;
}

void checkLine(const QByteArray& line, const QString& key)
{
    fuzzCheck(!line.contains('\n') && !line.contains('\r'), "a rendered line is one line");
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        std::fprintf(stderr, "line: %s\nerror: %s\n", line.constData(), qPrintable(error.errorString()));
        fuzzCheck(false, "a rendered line is a JSON object");
    }
    const QJsonObject object = document.object();
    // What a key reads back as after Qt writes it (a lone surrogate cannot survive as itself).
    const QString expectedKey =
        QJsonDocument::fromJson(QJsonDocument(QJsonArray{key}).toJson(QJsonDocument::Compact)).array().at(0).toString();
    fuzzCheck(object.value(u"custom_id"_s).toString() == expectedKey, "custom_id is the key");
    fuzzCheck(object.value(u"method"_s).toString() == u"POST"_s, "the method is POST");
    fuzzCheck(object.value(u"body"_s).toObject().value(u"model"_s).toString() == u"gpt-test"_s,
              "the body names the model");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    const qsizetype newline = input.indexOf('\n');
    const QByteArray templateText = newline < 0 ? input : input.first(newline);
    const QByteArray payload = newline < 0 ? QByteArray() : input.sliced(newline + 1);

    const Result<RequestRenderer> renderer = RequestRenderer::create(typeFor(templateText), kRun);
    if (!renderer)
        return 0;
    for (const QString& key : kKeys) {
        const Result<QByteArray> line = renderer->renderLine(key, payload);
        const Result<QByteArray> viaQt = renderer->renderLineWithQt(key, payload);
        fuzzCheck(line.ok() == viaQt.ok(), "the fast path and the Qt path agree on success");
        if (!line) {
            fuzzCheck(!line.error().message.isEmpty(), "a failed rendering says why");
            continue;
        }
        if (*line != *viaQt) {
            std::fprintf(stderr, "fast: %s\nqt:   %s\n", line->constData(), viaQt->constData());
            fuzzCheck(false, "the fast path's line equals the Qt path's byte for byte");
        }
        checkLine(*line, key);
    }
    return 0;
}
