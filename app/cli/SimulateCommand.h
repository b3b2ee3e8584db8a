#pragma once

#include <QStringList>

namespace batchdeck::cli {

// `batchdeck-cli simulate [options]`: runs the OpenAI-compatible simulator until SIGINT/SIGTERM.
// `arguments` are the words after `simulate` (a leading "simulate" is tolerated, so the command can
// sit in the same table as the others). Prints "simulator listening on http://HOST:PORT/v1" on
// stdout once it accepts connections.
int runSimulateCommand(const QStringList& arguments);

} // namespace batchdeck::cli
