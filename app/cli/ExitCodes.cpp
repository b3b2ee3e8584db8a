#include "ExitCodes.h"

#include <cstdio>

namespace batchdeck::cli {

int exitCodeFor(const Error& error)
{
    switch (error.kind) {
    case ErrorKind::InvalidInput:
        return ExitInvalidInput;
    case ErrorKind::NotFound:
        return ExitNotFound;
    case ErrorKind::Conflict:
        return ExitConflict;
    case ErrorKind::Database:
    case ErrorKind::SchemaTooNew:
        return ExitDatabase;
    case ErrorKind::ProviderTransient:
    case ErrorKind::ProviderPermanent:
        return ExitProvider;
    case ErrorKind::Io:
        return ExitInvalidInput;
    case ErrorKind::Internal:
        return ExitFailure;
    }
    return ExitFailure;
}

int fail(const Error& error)
{
    std::fprintf(stderr, "batchdeck-cli: %s\n", error.message.toLocal8Bit().constData());
    return exitCodeFor(error);
}

const char* exitCodeHelp()
{
    return "Exit codes:\n"
           "  0  done, or nothing to do (already submitted, already processed)\n"
           "  1  unexpected failure\n"
           "  2  wrong command line\n"
           "  3  no such run, job or batch type\n"
           "  4  the job's state does not allow it, or another worker holds it\n"
           "  5  the database cannot be opened or used\n"
           "  6  the provider failed or refused\n"
           "  7  an input file or value is wrong\n";
}

} // namespace batchdeck::cli
