#pragma once

#include <optional>
#include <vector>

#include <QByteArray>
#include <QString>

#include "batchtypes/RequestTemplate.h"

namespace batchdeck {

// The fast path of RequestRenderer::renderLine(key, payload JSON text): instead of parsing the
// stored payload into a QJsonObject and writing the rendered body back out with QJsonDocument (four
// fifths of a submit's CPU time), it copies the needed payload strings, already escaped, into the
// body text that the Qt path would write.
//
// The body text comes from the Qt path itself: create() renders the template once with a sentinel
// string for every item field and for the key, and cuts the compact text at the sentinels. Key order,
// constants, run values and escaping of the literal text are therefore Qt's own.
//
// Handles templates whose item placeholders are only {{key}} and top-level fields {{item.NAME}}; a
// template with {{item}} or nested paths gets no splicer. Per item, it handles payloads that
// json::JsonScanner reads whole, whose needed fields are each present once as a string written the
// way QJsonDocument writes strings (escapes only \" \\ \b \f \n \r \t, raw UTF-8 otherwise). Any
// other payload (a number or null where a string is used, a missing field, \u or \/ escapes, invalid
// JSON) makes splice() return nothing, and the caller renders it through Qt as before.
class RequestLineSplicer
{
public:
    // Nothing when the template is not one this handles.
    static std::optional<RequestLineSplicer>
    create(const RequestTemplate& compiled, const QString& runId, const QJsonObject& runParams);

    // Appends the body's compact JSON text for one item to `out` (`keyJsonContent`: the key as JSON
    // string content, without quotes); false (`out` then unspecified) when the payload is not one
    // this handles.
    bool appendBody(const QByteArray& payloadJson, QByteArrayView keyJsonContent, QByteArray* out) const;

private:
    struct Segment
    {
        QByteArray literal; // text before the hole
        int hole = -1;      // an index into m_fields, kKeyHole for the key, -1 for none (the last segment)
    };
    static constexpr int kKeyHole = -2;

    std::vector<QByteArray> m_fields; // the payload fields read, as raw key bytes
    std::vector<Segment> m_segments;
    qsizetype m_literalSize = 0;
};

} // namespace batchdeck
