#pragma once

#include <QStringList>

namespace batchdeck::cli {

// Commands over the job store alone: each takes the words from its own name on.
int runImportCommand(const QStringList& arguments);
int runJobsCommand(const QStringList& arguments);
int runRunsCommand(const QStringList& arguments);

} // namespace batchdeck::cli
