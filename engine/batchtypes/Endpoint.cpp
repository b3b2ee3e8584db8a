#include "Endpoint.h"

namespace batchdeck {

namespace {

constexpr Endpoint kAll[] = {
    Endpoint::ChatCompletions, Endpoint::Embeddings, Endpoint::Responses, Endpoint::Completions};

} // namespace

QString endpointPath(Endpoint endpoint)
{
    switch (endpoint) {
    case Endpoint::ChatCompletions:
        return QStringLiteral("/v1/chat/completions");
    case Endpoint::Embeddings:
        return QStringLiteral("/v1/embeddings");
    case Endpoint::Responses:
        return QStringLiteral("/v1/responses");
    case Endpoint::Completions:
        return QStringLiteral("/v1/completions");
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<Endpoint> endpointFromPath(QStringView path)
{
    for (Endpoint endpoint : kAll) {
        if (path == endpointPath(endpoint))
            return endpoint;
    }
    return std::nullopt;
}

QStringList allEndpointPaths()
{
    QStringList paths;
    for (Endpoint endpoint : kAll)
        paths.append(endpointPath(endpoint));
    return paths;
}

QString endpointInputField(Endpoint endpoint)
{
    switch (endpoint) {
    case Endpoint::ChatCompletions:
        return QStringLiteral("messages");
    case Endpoint::Completions:
        return QStringLiteral("prompt");
    case Endpoint::Embeddings:
    case Endpoint::Responses:
        return QStringLiteral("input");
    }
    Q_UNREACHABLE();
    return {};
}

} // namespace batchdeck
