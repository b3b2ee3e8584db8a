#include "StoreCommands.h"

#include <QDateTime>

#include "CommandLine.h"
#include "ExitCodes.h"
#include "core/Json.h"
#include "store/ItemImporter.h"
#include "store/JobStore.h"
#include "store/RunStore.h"

namespace batchdeck::cli {

namespace {

QString formatTime(qint64 ms)
{
    if (ms == 0)
        return QStringLiteral("-");
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

} // namespace

int runImportCommand(const QStringList& arguments)
{
    CommandLine cli(
        arguments,
        QStringLiteral("import RUN_ID FILE [--key FIELD] [--format jsonl|csv]"),
        QStringLiteral("Import a run's items from a JSONL file (one object per line) or a CSV file "
                       "(header row). Re-importing a key updates it; a file with a bad record imports nothing."));
    cli.addPositional(QStringLiteral("RUN_ID"),
                      QStringLiteral("The pipeline run, e.g. scheduled__2026-12-03T00:00:00+00:00."));
    cli.addPositional(QStringLiteral("FILE"), QStringLiteral("A .jsonl or .csv file."));
    const QCommandLineOption key(QStringLiteral("key"),
                                 QStringLiteral("The item key field (default: id)."),
                                 QStringLiteral("field"),
                                 QStringLiteral("id"));
    const QCommandLineOption format(QStringLiteral("format"),
                                    QStringLiteral("jsonl or csv (default: from the file name)."),
                                    QStringLiteral("format"));
    cli.addOption(key);
    cli.addOption(format);
    int exitCode = ExitOk;
    if (!cli.parse(exitCode, 2))
        return exitCode;

    ImportOptions options;
    options.keyField = cli.parser().value(key);
    const QString formatName = cli.parser().value(format).toLower();
    if (formatName == u"csv")
        options.format = ItemFormat::Csv;
    else if (formatName == u"jsonl" || formatName == u"ndjson")
        options.format = ItemFormat::Jsonl;
    else if (!formatName.isEmpty())
        return fail(makeError(ErrorKind::InvalidInput,
                              QStringLiteral("unknown format '%1': use jsonl or csv").arg(formatName)));

    auto db = cli.openDatabase();
    if (!db)
        return fail(db.error());
    const QString runId = cli.positional().at(0);
    ItemImporter importer(*db);
    auto report = importer.importFile(runId, cli.positional().at(1), options);
    if (!report)
        return fail(report.error());
    if (cli.json())
        printOut(
            json::compact(QJsonObject{{QStringLiteral("run_id"), runId}, {QStringLiteral("items"), report->items}}) +
            '\n');
    else
        printOut(QStringLiteral("imported %1 items into run %2\n").arg(report->items).arg(runId));
    return ExitOk;
}

int runJobsCommand(const QStringList& arguments)
{
    CommandLine cli(arguments,
                    QStringLiteral("jobs [--run RUN_ID] [--status STATUS] [--type BATCH_TYPE] [--json]"),
                    QStringLiteral("List pipeline batch jobs."));
    const QCommandLineOption run(
        QStringLiteral("run"), QStringLiteral("Only jobs of this run."), QStringLiteral("run_id"));
    const QCommandLineOption status(QStringLiteral("status"),
                                    QStringLiteral("Only jobs in this status (PENDING_SUBMISSION, SUBMITTED, "
                                                   "SUBMISSION_FAILED, PENDING_PROCESSING, PROCESSING, COMPLETED)."),
                                    QStringLiteral("status"));
    const QCommandLineOption type(
        QStringLiteral("type"), QStringLiteral("Only jobs of this batch type."), QStringLiteral("batch_type"));
    cli.addOption(run);
    cli.addOption(status);
    cli.addOption(type);
    int exitCode = ExitOk;
    if (!cli.parse(exitCode, 0))
        return exitCode;

    JobFilter filter;
    filter.runId = cli.parser().value(run);
    filter.batchType = cli.parser().value(type);
    if (cli.parser().isSet(status)) {
        filter.status = jobStatusFromString(cli.parser().value(status).toUpper());
        if (!filter.status)
            return fail(makeError(ErrorKind::InvalidInput,
                                  QStringLiteral("unknown status '%1'").arg(cli.parser().value(status))));
    }
    auto db = cli.openDatabase();
    if (!db)
        return fail(db.error());
    auto jobs = JobStore(*db).list(filter);
    if (!jobs)
        return fail(jobs.error());
    if (cli.json()) {
        QJsonArray array;
        for (const JobSnapshot& job : std::as_const(*jobs))
            array.append(job.toJson());
        printOut(json::compact(array) + '\n');
        return ExitOk;
    }
    QString text = QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                       .arg(QStringLiteral("ID"), -6)
                       .arg(QStringLiteral("RUN"), -40)
                       .arg(QStringLiteral("TYPE"), -14)
                       .arg(QStringLiteral("STATUS"), -18)
                       .arg(QStringLiteral("BATCH"), -24)
                       .arg(QStringLiteral("UPDATED"));
    for (const JobSnapshot& job : std::as_const(*jobs)) {
        text += QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                    .arg(job.id, -6)
                    .arg(job.runId, -40)
                    .arg(job.batchType, -14)
                    .arg(statusName(job.status), -18)
                    .arg(job.llmBatchId.isEmpty() ? QStringLiteral("-") : job.llmBatchId, -24)
                    .arg(formatTime(job.updatedAt));
    }
    printOut(text);
    return ExitOk;
}

int runRunsCommand(const QStringList& arguments)
{
    CommandLine cli(arguments, QStringLiteral("runs [--json]"), QStringLiteral("List pipeline runs."));
    int exitCode = ExitOk;
    if (!cli.parse(exitCode, 0))
        return exitCode;
    auto db = cli.openDatabase();
    if (!db)
        return fail(db.error());
    auto runs = RunStore(*db).list();
    if (!runs)
        return fail(runs.error());
    if (cli.json()) {
        QJsonArray array;
        for (const RunSummary& run : std::as_const(*runs))
            array.append(run.toJson());
        printOut(json::compact(array) + '\n');
        return ExitOk;
    }
    QString text = QStringLiteral("%1  %2  %3  %4\n")
                       .arg(QStringLiteral("RUN"), -44)
                       .arg(QStringLiteral("ITEMS"), 8)
                       .arg(QStringLiteral("JOBS"), 5)
                       .arg(QStringLiteral("CREATED"));
    for (const RunSummary& run : std::as_const(*runs))
        text += QStringLiteral("%1  %2  %3  %4\n")
                    .arg(run.runId, -44)
                    .arg(run.items, 8)
                    .arg(run.jobs, 5)
                    .arg(formatTime(run.createdAt));
    printOut(text);
    return ExitOk;
}

} // namespace batchdeck::cli
