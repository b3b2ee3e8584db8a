#pragma once

#include "core/Result.h"

namespace batchdeck::cli {

// Exit codes of batchdeck-cli, documented in --help and the README.
enum ExitCode
{
    ExitOk = 0,           // done, or nothing to do (already submitted / processed)
    ExitFailure = 1,      // an unexpected failure
    ExitUsage = 2,        // the command line is wrong
    ExitNotFound = 3,     // no such run, job or batch type
    ExitConflict = 4,     // the job's state does not allow it, or another worker holds it
    ExitDatabase = 5,     // the database cannot be opened or used
    ExitProvider = 6,     // the provider failed or refused
    ExitInvalidInput = 7, // an input file or value is wrong
};

int exitCodeFor(const Error& error);

// Prints "batchdeck-cli: <message>" on stderr and returns the matching exit code.
int fail(const Error& error);

const char* exitCodeHelp();

} // namespace batchdeck::cli
