#pragma once

#include <QJsonObject>
#include <QString>

namespace batchdeck {

// One result of a job, kept per (job, custom_id): a success with its content, or an error with its
// code and message (a request the provider answered with an error, or a line we could not read).
struct BatchResult
{
    QString customId;
    bool ok = false;
    int statusCode = 0;    // the HTTP status of the request at the provider; 0 when none
    QString content;       // extracted text (or the raw body, as the batch type says)
    QString parsedJson;    // JSON text of the parsed content, when kept as JSON; empty otherwise
    QString errorCode;     // empty for successes
    QString errorMessage;  // empty for successes
    qint64 lineNumber = 0; // line of the output or error file it came from (1-based)
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 totalTokens = 0;
    int attempt = 1;

    // The JSONL/JSON shape of a result: custom_id, ok, status_code, content, parsed, error, usage.
    QJsonObject toJson() const;
};

} // namespace batchdeck
