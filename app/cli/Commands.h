#pragma once

#include <QStringList>

namespace batchdeck::cli {

// Runs batchdeck-cli with its whole argument list (program name first) and returns the exit code.
int runCli(const QStringList& arguments);

} // namespace batchdeck::cli
