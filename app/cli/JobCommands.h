#pragma once

#include <QStringList>

namespace batchdeck::cli {

// The engine's operations, one per command: each takes the words from its own name on.
int runSubmitCommand(const QStringList& arguments);
int runStatusCommand(const QStringList& arguments);
int runProcessCommand(const QStringList& arguments);
int runRetryCommand(const QStringList& arguments);
int runCancelCommand(const QStringList& arguments);
int runResultsCommand(const QStringList& arguments);
int runBatchTypesCommand(const QStringList& arguments);

} // namespace batchdeck::cli
