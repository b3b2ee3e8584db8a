#include "Commands.h"

#include <cstdio>

#include <QLoggingCategory>

#include "CommandLine.h"
#include "ExitCodes.h"
#include "JobCommands.h"
#include "ServeCommand.h"
#include "SimulateCommand.h"
#include "StoreCommands.h"

namespace batchdeck::cli {

namespace {

struct Command
{
    const char* name;
    const char* summary;
    int (*run)(const QStringList&);
};

// Every subcommand, in the order --help lists them.
const Command kCommands[] = {
    {"import", "import a run's items from JSONL or CSV", runImportCommand},
    {"runs", "list runs", runRunsCommand},
    {"jobs", "list jobs", runJobsCommand},
    {"submit", "render, upload and create a provider batch for a run and batch type", runSubmitCommand},
    {"status", "a job's status (asks the provider); --wait until it is done", runStatusCommand},
    {"process", "store a completed batch's results", runProcessCommand},
    {"results", "export a job's results as JSONL or CSV", runResultsCommand},
    {"retry", "make a failed job ready to submit again", runRetryCommand},
    {"cancel", "cancel a submitted batch", runCancelCommand},
    {"batch-types", "list the batch types", runBatchTypesCommand},
    {"serve", "serve the HTTP API for Airflow (--listen 127.0.0.1:8080, token, --auto-poll)", runServeCommand},
    {"simulate", "run the OpenAI-compatible simulator (--listen 127.0.0.1:PORT)", runSimulateCommand},
};

QString usage()
{
    QString text =
        QStringLiteral("Usage: batchdeck-cli [--db URL] COMMAND [options]\n\n"
                       "Batchdeck: LLM batch jobs for data pipelines, from the command line.\n\nCommands:\n");
    for (const Command& command : kCommands)
        text += QStringLiteral("  %1  %2\n").arg(QLatin1String(command.name), -12).arg(QLatin1String(command.summary));
    text += QStringLiteral("\nGlobal options (also accepted after the command):\n"
                           "  --db URL    sqlite:///abs/path.db or postgresql://user:pass@host:port/dbname\n"
                           "              (default: $BATCHDECK_DB, else a SQLite file in the user's data folder)\n"
                           "  --json      machine-readable output\n"
                           "  --demo      the built-in simulator and a demo database: no key, kept between calls\n"
                           "  --batch-types DIR  more batch type definitions\n"
                           "  --help      this help; 'batchdeck-cli COMMAND --help' for a command\n"
                           "  --version   the version\n\n");
    text += QString::fromLatin1(exitCodeHelp());
    return text;
}

} // namespace

int runCli(const QStringList& arguments)
{
    // Global options may come before the command: move them behind it, where every command parses them.
    QStringList globals;
    qsizetype i = 1;
    for (; i < arguments.size(); ++i) {
        const QString& word = arguments.at(i);
        if (word == u"--help" || word == u"-h") {
            printOut(usage());
            return ExitOk;
        }
        if (word == u"--version" || word == u"-v") {
            printOut(QStringLiteral("batchdeck-cli %1\n").arg(QStringLiteral(BATCHDECK_VERSION)));
            return ExitOk;
        }
        if (word == u"--db" && i + 1 < arguments.size()) {
            globals << word << arguments.at(++i);
        } else if (word == u"--batch-types" && i + 1 < arguments.size()) {
            globals << word << arguments.at(++i);
        } else if (word.startsWith(u"--db=") || word.startsWith(u"--batch-types=") || word == u"--json" ||
                   word == u"--demo") {
            globals << word;
        } else {
            break;
        }
    }
    if (i >= arguments.size()) {
        std::fputs(qPrintable(usage()), stderr);
        return ExitUsage;
    }
    const QString name = arguments.at(i);
    // The in-process demo simulator's lines are noise on a one-shot command's stderr.
    if (name != u"simulate")
        QLoggingCategory::setFilterRules(QStringLiteral("batchdeck.simulator.info=false"));
    for (const Command& command : kCommands) {
        if (name == QLatin1String(command.name))
            return command.run(QStringList{name} + globals + arguments.mid(i + 1));
    }
    std::fprintf(stderr, "batchdeck-cli: unknown command '%s' (see 'batchdeck-cli --help')\n", qPrintable(name));
    return ExitUsage;
}

} // namespace batchdeck::cli
