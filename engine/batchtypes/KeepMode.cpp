#include "KeepMode.h"

namespace batchdeck {

QString keepModeName(KeepMode mode)
{
    switch (mode) {
    case KeepMode::Raw:
        return QStringLiteral("raw");
    case KeepMode::Text:
        return QStringLiteral("text");
    case KeepMode::Json:
        return QStringLiteral("json");
    }
    Q_UNREACHABLE();
    return {};
}

std::optional<KeepMode> keepModeFromName(QStringView name)
{
    for (KeepMode mode : {KeepMode::Raw, KeepMode::Text, KeepMode::Json}) {
        if (name == keepModeName(mode))
            return mode;
    }
    return std::nullopt;
}

KeepMode defaultKeepMode(Endpoint endpoint)
{
    return endpoint == Endpoint::Embeddings ? KeepMode::Json : KeepMode::Text;
}

} // namespace batchdeck
