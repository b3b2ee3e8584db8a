#pragma once

#include <optional>

#include <QString>
#include <QStringList>
#include <QStringView>

namespace batchdeck {

// The provider endpoints a batch type may target. Only those whose results Batchdeck knows how
// to read are listed: moderations, images and videos are batchable on OpenAI but have no text to
// keep, so a batch type naming them is refused rather than half-supported.
enum class Endpoint
{
    ChatCompletions, // /v1/chat/completions
    Embeddings,      // /v1/embeddings
    Responses,       // /v1/responses
    Completions,     // /v1/completions
};

// "/v1/chat/completions" and so on: the batch `endpoint` and every request line's `url`.
QString endpointPath(Endpoint endpoint);

// Accepts exactly the paths endpointPath() gives; anything else (including Azure's
// "/chat/completions" shorthand) is nullopt, so a file says one thing one way.
std::optional<Endpoint> endpointFromPath(QStringView path);

QStringList allEndpointPaths();

// The body field that carries the model's input for this endpoint ("messages", "input", "prompt"):
// a template without it can never produce a valid request.
QString endpointInputField(Endpoint endpoint);

} // namespace batchdeck
