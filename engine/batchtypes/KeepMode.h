#pragma once

#include <optional>

#include <QString>
#include <QStringView>

#include "batchtypes/Endpoint.h"

namespace batchdeck {

// How the results of a batch type are kept when a job is processed.
enum class KeepMode
{
    Raw,  // the whole response body, as the provider sent it; extracted text is kept alongside when there is any
    Text, // the extracted text (message content, output_text, completion text); a result without text is an error
    Json, // the extracted text parsed as JSON (embeddings: the vector); content that is not JSON is an error
};

QString keepModeName(KeepMode mode); // "raw", "text", "json"
std::optional<KeepMode> keepModeFromName(QStringView name);

// What a file that says nothing gets: text for the generating endpoints, and the parsed vector for
// embeddings, which have no text.
KeepMode defaultKeepMode(Endpoint endpoint);

} // namespace batchdeck
