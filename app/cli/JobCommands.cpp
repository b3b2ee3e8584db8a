#include "JobCommands.h"

#include <QThread>
#include <qcoro/qcorotask.h>

#include "CommandLine.h"
#include "ExitCodes.h"
#include "core/Json.h"
#include "service/StatusBody.h"
#include "store/JobStore.h"
#include "store/ResultExport.h"

namespace batchdeck::cli {

namespace {

const QString kActor = QStringLiteral("cli");

// The parts every job command shares: RUN_ID and BATCH_TYPE positionals, the engine.
struct JobCommand
{
    CommandLine cli;
    QString runId;
    QString batchType;

    JobCommand(const QStringList& arguments, const QString& synopsis, const QString& description)
        : cli(arguments, synopsis, description)
    {
        cli.addPositional(QStringLiteral("RUN_ID"), QStringLiteral("The pipeline run."));
        cli.addPositional(QStringLiteral("BATCH_TYPE"),
                          QStringLiteral("The batch type (see 'batchdeck-cli batch-types')."));
    }

    bool parse(int& exitCode)
    {
        if (!cli.parse(exitCode, 2))
            return false;
        runId = cli.positional().at(0);
        batchType = cli.positional().at(1);
        return true;
    }
};

QString actorWithUser()
{
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("LOGNAME"));
    return user.isEmpty() ? kActor : kActor + QStringLiteral(":") + user;
}

void printJson(const QJsonObject& object)
{
    printOut(json::compact(object) + '\n');
}

} // namespace

int runSubmitCommand(const QStringList& arguments)
{
    JobCommand command(
        arguments,
        QStringLiteral("submit RUN_ID BATCH_TYPE [--json]"),
        QStringLiteral("Render the run's requests for a batch type, upload them and create a provider batch. "
                       "Nothing is sent again for a job that was submitted already."));
    int exitCode = ExitOk;
    if (!command.parse(exitCode))
        return exitCode;
    auto engine = command.cli.openEngine();
    if (!engine)
        return fail(engine.error());
    auto outcome = QCoro::waitFor((*engine)->service().submit(command.runId, command.batchType, actorWithUser()));
    if (!outcome)
        return fail(outcome.error());
    if (command.cli.json())
        printJson(outcome->toJson());
    else if (outcome->skipped)
        printOut(QStringLiteral("skipped: the job is %1 already (batch %2)\n")
                     .arg(statusName(outcome->job.status),
                          outcome->job.llmBatchId.isEmpty() ? QStringLiteral("-") : outcome->job.llmBatchId));
    else
        printOut(QStringLiteral("submitted %1 requests as batch %2%3\n")
                     .arg(outcome->requests)
                     .arg(outcome->job.llmBatchId)
                     .arg(outcome->adopted ? QStringLiteral(" (adopted from an interrupted submit)") : QString()));
    return ExitOk;
}

int runStatusCommand(const QStringList& arguments)
{
    JobCommand command(arguments,
                       QStringLiteral("status RUN_ID BATCH_TYPE [--wait] [--interval SECONDS] [--json]"),
                       QStringLiteral("Ask for a job's status (the provider is asked when the job is SUBMITTED). "
                                      "With --wait, repeat until the provider is done with it."));
    const QCommandLineOption wait(QStringLiteral("wait"), QStringLiteral("Repeat until the job is terminal."));
    const QCommandLineOption interval(QStringLiteral("interval"),
                                      QStringLiteral("Seconds between checks (default 10, demo 1)."),
                                      QStringLiteral("seconds"));
    command.cli.addOption(wait);
    command.cli.addOption(interval);
    int exitCode = ExitOk;
    if (!command.parse(exitCode))
        return exitCode;
    bool intervalOk = true;
    const double seconds = command.cli.parser().isSet(interval)
                               ? command.cli.parser().value(interval).toDouble(&intervalOk)
                               : (command.cli.demo() ? 1.0 : 10.0);
    if (!intervalOk || seconds <= 0)
        return fail(
            makeError(ErrorKind::InvalidInput, QStringLiteral("--interval needs a positive number of seconds")));
    auto engine = command.cli.openEngine();
    if (!engine)
        return fail(engine.error());
    QString lastLine;
    while (true) {
        auto body = QCoro::waitFor((*engine)->service().status(command.runId, command.batchType, actorWithUser()));
        if (!body)
            return fail(body.error());
        const bool terminal = body->value(QStringLiteral("terminal")).toBool();
        if (command.cli.json()) {
            if (terminal || !command.cli.parser().isSet(wait))
                printJson(*body);
        } else {
            const QJsonObject counts = body->value(QStringLiteral("request_counts")).toObject();
            const QString line =
                QStringLiteral("%1  llm_status=%2  outcome=%3  requests %4/%5 done, %6 failed%7\n")
                    .arg(body->value(QStringLiteral("job_status")).toString(),
                         body->value(QStringLiteral("llm_status")).toString(),
                         body->value(QStringLiteral("outcome")).toString())
                    .arg(counts.value(QStringLiteral("completed")).toInteger())
                    .arg(counts.value(QStringLiteral("total")).toInteger())
                    .arg(counts.value(QStringLiteral("failed")).toInteger())
                    .arg(body->value(QStringLiteral("error")).isObject()
                             ? QStringLiteral("  error: ") +
                                   body->value(QStringLiteral("error"))[QStringLiteral("message")].toString()
                             : QString());
            if (line != lastLine)
                printOut(line);
            lastLine = line;
        }
        if (terminal || !command.cli.parser().isSet(wait))
            return ExitOk;
        QThread::msleep(static_cast<unsigned long>(seconds * 1000));
    }
}

int runProcessCommand(const QStringList& arguments)
{
    JobCommand command(arguments,
                       QStringLiteral("process RUN_ID BATCH_TYPE [--harvest] [--json]"),
                       QStringLiteral("Download a completed batch's output and error files and store every result. "
                                      "A job processed already is skipped."));
    const QCommandLineOption harvest(QStringLiteral("harvest"),
                                     QStringLiteral("Also take the output of an expired or cancelled batch."));
    command.cli.addOption(harvest);
    int exitCode = ExitOk;
    if (!command.parse(exitCode))
        return exitCode;
    auto engine = command.cli.openEngine();
    if (!engine)
        return fail(engine.error());
    auto outcome = QCoro::waitFor((*engine)->service().process(
        command.runId, command.batchType, actorWithUser(), command.cli.parser().isSet(harvest)));
    if (!outcome)
        return fail(outcome.error());
    if (command.cli.json())
        printJson(outcome->toJson());
    else
        printOut(
            QStringLiteral("%1: %2 results stored, %3 of them errors\n")
                .arg(outcome->skipped ? QStringLiteral("skipped (processed already)") : QStringLiteral("processed"))
                .arg(outcome->resultsSaved)
                .arg(outcome->errors));
    return ExitOk;
}

int runRetryCommand(const QStringList& arguments)
{
    JobCommand command(
        arguments,
        QStringLiteral("retry RUN_ID BATCH_TYPE [--reason TEXT] [--json]"),
        QStringLiteral("Make a failed job (SUBMISSION_FAILED) ready to submit again, as a new attempt."));
    const QCommandLineOption reason(
        QStringLiteral("reason"), QStringLiteral("Why, for the job's history."), QStringLiteral("text"));
    command.cli.addOption(reason);
    int exitCode = ExitOk;
    if (!command.parse(exitCode))
        return exitCode;
    auto db = command.cli.openEngine();
    if (!db)
        return fail(db.error());
    auto job =
        (*db)->service().retry(command.runId, command.batchType, actorWithUser(), command.cli.parser().value(reason));
    if (!job)
        return fail(job.error());
    if (command.cli.json())
        printJson(job->toJson());
    else
        printOut(QStringLiteral("job is PENDING_SUBMISSION as attempt %1: submit it again\n").arg(job->attempt));
    return ExitOk;
}

int runCancelCommand(const QStringList& arguments)
{
    JobCommand command(arguments,
                       QStringLiteral("cancel RUN_ID BATCH_TYPE [--reason TEXT] [--json]"),
                       QStringLiteral("Cancel a submitted batch at the provider (finished requests stay processable), "
                                      "or fail a job that was not submitted yet."));
    const QCommandLineOption reason(
        QStringLiteral("reason"), QStringLiteral("Why, for the job's history."), QStringLiteral("text"));
    command.cli.addOption(reason);
    int exitCode = ExitOk;
    if (!command.parse(exitCode))
        return exitCode;
    auto engine = command.cli.openEngine();
    if (!engine)
        return fail(engine.error());
    const QString why = command.cli.parser().value(reason);
    auto job = QCoro::waitFor((*engine)->service().cancel(command.runId, command.batchType, actorWithUser(), why));
    if (!job)
        return fail(job.error());
    if (command.cli.json())
        printJson(job->toJson());
    else
        printOut(QStringLiteral("cancel requested: the job is %1, the provider batch %2\n")
                     .arg(statusName(job->status),
                          job->providerStatus.isEmpty() ? QStringLiteral("-") : job->providerStatus));
    return ExitOk;
}

int runResultsCommand(const QStringList& arguments)
{
    JobCommand command(
        arguments,
        QStringLiteral("results RUN_ID BATCH_TYPE [--format jsonl|csv] [--out FILE] [--errors|--successes]"),
        QStringLiteral("Export a processed job's results: a JSONL line per result (custom_id, ok, status_code, "
                       "content, parsed, error, usage) or CSV."));
    const QCommandLineOption format(QStringLiteral("format"),
                                    QStringLiteral("jsonl (default) or csv."),
                                    QStringLiteral("format"),
                                    QStringLiteral("jsonl"));
    const QCommandLineOption out(
        QStringLiteral("out"), QStringLiteral("Write to FILE instead of standard output."), QStringLiteral("file"));
    const QCommandLineOption errors(QStringLiteral("errors"), QStringLiteral("Only the failed requests."));
    const QCommandLineOption successes(QStringLiteral("successes"), QStringLiteral("Only the successful requests."));
    command.cli.addOption(format);
    command.cli.addOption(out);
    command.cli.addOption(errors);
    command.cli.addOption(successes);
    int exitCode = ExitOk;
    if (!command.parse(exitCode))
        return exitCode;
    const QString formatName = command.cli.parser().value(format).toLower();
    if (formatName != u"jsonl" && formatName != u"csv")
        return fail(makeError(ErrorKind::InvalidInput,
                              QStringLiteral("unknown format '%1': use jsonl or csv").arg(formatName)));
    ResultFilter filter;
    if (command.cli.parser().isSet(errors))
        filter.kind = ResultFilter::Kind::Errors;
    else if (command.cli.parser().isSet(successes))
        filter.kind = ResultFilter::Kind::Successes;
    auto db = command.cli.openDatabase();
    if (!db)
        return fail(db.error());
    auto job = JobStore(*db).find(command.runId, command.batchType);
    if (!job)
        return fail(job.error());
    if (!job->has_value())
        return fail(
            makeError(ErrorKind::NotFound,
                      QStringLiteral("no job for batch type '%1' in run %2").arg(command.batchType, command.runId)));
    auto written = exportResults(*db,
                                 (*job)->id,
                                 filter,
                                 formatName == u"csv" ? ExportFormat::Csv : ExportFormat::Jsonl,
                                 command.cli.parser().value(out));
    if (!written)
        return fail(written.error());
    return ExitOk;
}

int runBatchTypesCommand(const QStringList& arguments)
{
    CommandLine cli(arguments,
                    QStringLiteral("batch-types [--json]"),
                    QStringLiteral("List the batch types: built-ins, the user's config folder and --batch-types DIR."));
    int exitCode = ExitOk;
    if (!cli.parse(exitCode, 0))
        return exitCode;
    auto engine = cli.openEngine();
    if (!engine)
        return fail(engine.error());
    const BatchTypeRegistry& types = (*engine)->batchTypes();
    if (cli.json()) {
        QJsonArray array;
        for (const BatchType& type : types.types())
            array.append(type.toJson());
        printOut(json::compact(array) + '\n');
        return ExitOk;
    }
    QString text;
    for (const BatchType& type : types.types())
        text += QStringLiteral("%1  %2  %3  %4\n")
                    .arg(type.name, -20)
                    .arg(endpointPath(type.endpoint), -22)
                    .arg(type.model, -24)
                    .arg(type.description);
    for (const BatchTypeProblem& problem : types.problems())
        text += QStringLiteral("problem: %1\n").arg(problem.toString());
    printOut(text);
    return ExitOk;
}

} // namespace batchdeck::cli
