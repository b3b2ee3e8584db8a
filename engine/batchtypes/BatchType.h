#pragma once

#include <QJsonObject>
#include <QString>

#include "batchtypes/BatchSource.h"
#include "batchtypes/Endpoint.h"
#include "batchtypes/KeepMode.h"

namespace batchdeck {

// A named recipe that turns a run's items (or an earlier stage's results) into provider requests
// and says how their results are kept. A plain value: BatchTypeLoader makes valid ones from JSON
// files, BatchTypeRegistry holds them, RequestRenderer and ResultExtractor use them.
//
// The file format (one JSON object per file; resources/batch-types/README.md is the user's guide):
//   {
//     "name": "summarize",                     required; 1-64 of [a-z0-9_-], starting with a letter
//     "description": "One-paragraph summary",  optional text for lists and the console
//     "endpoint": "/v1/chat/completions",      required; /v1/chat/completions, /v1/embeddings,
//                                              /v1/responses or /v1/completions
//     "model": "gpt-4o-mini",                  required; sent as body.model on every line
//     "template": { "messages": [...] },       required; the request body without "model", with
//                                              {{item.FIELD}}, {{item}}, {{key}}, {{run.id}} and
//                                              {{run.params.NAME}} placeholders in its strings
//     "response_format": { ... },              optional, chat completions only: copied into the
//                                              body (the same as writing it in the template)
//     "source": "items",                       optional; "items" (default) or "results:<batch_type>"
//     "keep": "text"                           optional; "raw", "text" or "json"; default "text",
//                                              "json" for embeddings
//   }
// Fields whose name starts with "_" are ignored (comments); any other unknown field is an error, so
// a misspelt "endpiont" is caught instead of silently falling back to a default.
struct BatchType
{
    QString name;
    QString description;
    Endpoint endpoint = Endpoint::ChatCompletions;
    QString model;
    QJsonObject requestTemplate; // the body without "model"; response_format already merged in
    BatchSource source;
    KeepMode keep = KeepMode::Text;
    QString origin; // the file it came from (":/batch-types/x.json" for a built-in); not part of the format

    // The file format above (response_format stays inside the template). For listing types over
    // the HTTP API and for writing a type back to a file.
    QJsonObject toJson() const;

    friend bool operator==(const BatchType&, const BatchType&) = default;
};

} // namespace batchdeck
