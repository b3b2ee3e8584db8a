#pragma once

#include <optional>

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include "batchtypes/BatchType.h"
#include "batchtypes/RequestLineSplicer.h"
#include "batchtypes/RequestTemplate.h"
#include "core/Result.h"

namespace batchdeck {

// What a rendering knows about the run: its id and its parameters object (the runs.params column).
struct RunContext
{
    QString runId;
    QJsonObject params;
};

// Turns items into provider request lines for one batch type and one run. The template is compiled
// once in create(); each line then costs a walk over the parts that hold placeholders. const and
// safe to share between threads (QtConcurrent workers can render slices of a run).
class RequestRenderer
{
public:
    // Fails when the type's template does not compile (a type from BatchTypeLoader always does) or
    // when the run lacks a parameter the template reads, naming the parameter.
    static Result<RequestRenderer> create(const BatchType& type, const RunContext& run = {});

    // One line of the input JSONL, compact, without the trailing newline:
    //   {"custom_id":KEY,"method":"POST","url":ENDPOINT,"body":{...rendered template...,"model":MODEL}}
    // A placeholder without a value is an error naming the key and the placeholder.
    Result<QByteArray> renderLine(const QString& key, const QJsonObject& payload) const;
    // The same from a payload as stored (JSON text); text that is not a JSON object is an error
    // naming the key.
    // Most payloads take a fast path that splices their string fields into the body text
    // (RequestLineSplicer.h); the line is the same either way.
    Result<QByteArray> renderLine(const QString& key, const QByteArray& payloadJson) const;
    // The same through Qt's JSON DOM only, as before the fast path. Public for the differential test.
    Result<QByteArray> renderLineWithQt(const QString& key, const QByteArray& payloadJson) const;

    // Only the body (with "model"), for a request preview.
    Result<QJsonObject> renderBody(const QString& key, const QJsonObject& payload) const;

    const BatchType& type() const { return m_type; }
    const RunContext& run() const { return m_run; }
    const std::optional<RequestLineSplicer>& splicer() const { return m_splicer; } // for tests

private:
    RequestRenderer(const BatchType& type, const RunContext& run, RequestTemplate compiled);

    BatchType m_type;
    RunContext m_run;
    RequestTemplate m_template;                  // the type's template with "model" added
    QByteArray m_linePrefix;                     // {"custom_id":
    QByteArray m_lineMiddle;                     // ,"method":"POST","url":"...","body":
    std::optional<RequestLineSplicer> m_splicer; // none when the template is not one it handles
};

} // namespace batchdeck
