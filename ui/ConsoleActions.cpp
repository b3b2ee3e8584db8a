#include "ConsoleActions.h"

#include <QCoreApplication>

namespace batchdeck {

QString actionName(ActionKind kind)
{
    switch (kind) {
    case ActionKind::Submit:
        return QCoreApplication::translate("ConsoleActions", "Submit");
    case ActionKind::Retry:
        return QCoreApplication::translate("ConsoleActions", "Retry");
    case ActionKind::Cancel:
        return QCoreApplication::translate("ConsoleActions", "Cancel");
    case ActionKind::Process:
        return QCoreApplication::translate("ConsoleActions", "Process results");
    case ActionKind::Export:
        return QCoreApplication::translate("ConsoleActions", "Export results");
    }
    return {};
}

} // namespace batchdeck
