// BatchService::process: claim, download, parse in parallel, store with COMPLETED in one transaction
// (design.md, "process").
#include <QFile>
#include <QFuture>
#include <QScopeGuard>
#include <QtConcurrent/QtConcurrentMap>

#include "BatchService.h"
#include "core/Logging.h"
#include "provider/BatchProvider.h"
#include "service/LeaseGuard.h"
#include "service/OutputLineParser.h"
#include "store/Database.h"
#include "store/JobStore.h"
#include "store/ResultWriter.h"
#include "store/SqlSupport.h"

namespace batchdeck {

namespace {

struct RemoveOnExit
{
    QStringList paths;
    ~RemoveOnExit()
    {
        for (const QString& path : std::as_const(paths))
            QFile::remove(path);
    }
};

struct NumberedLine
{
    QByteArray text;
    qint64 number = 0;
};

// A block also ends at this many bytes, so that long lines (embeddings: ~16 KB each) keep memory
// bounded as well as short ones.
constexpr qint64 kParseBlockBytes = 8 * 1024 * 1024;

// Streams one result file in blocks of lines: while the thread pool parses one block, this thread
// reads the next one and writes the results of the previous one, in order. Memory holds about three
// blocks, never the file.
Status storeFile(const QString& path, const OutputLineContext& context, int blockLines, ResultWriter& writer)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Io, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    qint64 lineNumber = 0;
    QList<NumberedLine> block;
    qint64 blockBytes = 0;
    QFuture<BatchResult> inFlight;
    // The workers read `context`: never leave with a block still being parsed.
    auto waitOnExit = qScopeGuard([&inFlight] {
        if (inFlight.isValid())
            inFlight.waitForFinished();
    });
    auto collect = [&]() -> QList<BatchResult> {
        if (!inFlight.isValid())
            return {};
        inFlight.waitForFinished();
        QList<BatchResult> results = inFlight.results();
        inFlight = {};
        return results;
    };
    auto write = [&](const QList<BatchResult>& results) -> Status {
        for (const BatchResult& result : results) {
            if (auto written = writer.write(result); !written)
                return written;
        }
        return {};
    };
    auto dispatch = [&]() -> Status {
        const QList<BatchResult> previous = collect();
        if (!block.isEmpty()) {
            const OutputLineContext* shared = &context;
            inFlight = QtConcurrent::mapped(std::move(block), [shared](const NumberedLine& line) {
                return parseOutputLine(line.text, line.number, *shared);
            });
            block = {};
            block.reserve(blockLines);
            blockBytes = 0;
        }
        return write(previous);
    };
    block.reserve(blockLines);
    while (!file.atEnd()) {
        QByteArray line = file.readLine();
        ++lineNumber;
        while (line.endsWith('\n') || line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty())
            continue;
        blockBytes += line.size();
        block.append({std::move(line), lineNumber});
        if (block.size() >= blockLines || blockBytes >= kParseBlockBytes) {
            if (auto done = dispatch(); !done)
                return done;
        }
    }
    if (auto done = dispatch(); !done)
        return done;
    return write(collect());
}

} // namespace

Result<qint64> BatchService::storeResults(const JobSnapshot& job,
                                          const QString& owner,
                                          const QString& actor,
                                          const QString& outputPath,
                                          const QString& errorPath,
                                          ProcessOutcome& outcome)
{
    auto type = m_batchTypes.find(job.batchType);
    if (!type)
        return makeError(ErrorKind::NotFound, QStringLiteral("unknown_batch_type"), type.error().message);
    const qint64 now = m_clock.nowMs();
    auto work = [&](const QSqlDatabase& db) -> Result<JobUpdate> {
        auto writer = ResultWriter::prepare(db, job.id, now);
        if (!writer)
            return writer.error();
        OutputLineContext context{type->endpoint, type->keep, job.attempt, QStringLiteral("output")};
        if (!outputPath.isEmpty()) {
            if (auto stored = storeFile(outputPath, context, m_settings.parseBlockLines, *writer); !stored)
                return stored.error();
        }
        context.fileLabel = QStringLiteral("error");
        if (!errorPath.isEmpty()) {
            if (auto stored = storeFile(errorPath, context, m_settings.parseBlockLines, *writer); !stored)
                return stored.error();
        }
        // Counts over every attempt's results: a resent request's new answer replaced its old one.
        auto counted = sql::exec(db,
                                 QStringLiteral("SELECT COUNT(*), COALESCE(SUM(CASE WHEN ok = 0 THEN 1 ELSE 0 END), 0)"
                                                " FROM batch_results WHERE job_id = ?"),
                                 {job.id});
        if (!counted)
            return counted.error();
        if (counted->next()) {
            outcome.resultsSaved = counted->value(0).toLongLong();
            outcome.errors = counted->value(1).toLongLong();
        }
        JobUpdate update;
        update.set(JobField::ResultsSaved, outcome.resultsSaved).set(JobField::ResultErrors, outcome.errors);
        return update;
    };
    JobUpdate changes;
    changes.set(JobField::CompletedAt, now).clear(JobField::LeaseOwner).clear(JobField::LeaseUntil);
    JobStore jobs(m_database, m_clock);
    auto transition = jobs.transition(
        {job.id, JobStatus::Processing, JobStatus::Completed, actor, QStringLiteral("results stored"), changes, owner},
        work);
    if (!transition)
        return transition.error();
    if (!transition->applied)
        return makeError(
            ErrorKind::Conflict,
            QStringLiteral("job_not_ready"),
            QStringLiteral("the processing lease was lost; the job is %1 now").arg(statusName(transition->current)));
    return outcome.resultsSaved;
}

QCoro::Task<Result<ProcessOutcome>> BatchService::process(QString runId, QString batchType, QString actor, bool harvest)
{
    auto job = findJob(runId, batchType);
    if (!job)
        co_return job.error();
    JobStore jobs(m_database, m_clock);
    if (job->status == JobStatus::Completed)
        co_return ProcessOutcome{true, *job, job->resultsSaved, job->resultErrors};

    if (job->status == JobStatus::SubmissionFailed && harvest) {
        if (job->outputFileId.isEmpty() && job->errorFileId.isEmpty())
            co_return makeError(ErrorKind::Conflict,
                                QStringLiteral("job_not_ready"),
                                QStringLiteral("the failed job has no output to harvest"));
        auto harvested =
            jobs.transition({job->id,
                             JobStatus::SubmissionFailed,
                             JobStatus::PendingProcessing,
                             actor,
                             QStringLiteral("harvesting the output of a %1 batch").arg(job->providerStatus),
                             {},
                             {}});
        if (!harvested)
            co_return harvested.error();
        job = jobs.job(job->id);
        if (!job)
            co_return job.error();
    }

    const QString owner = newLeaseOwner();
    if (job->status == JobStatus::PendingProcessing) {
        JobUpdate lease;
        lease.set(JobField::LeaseOwner, owner).set(JobField::LeaseUntil, m_clock.nowMs() + m_settings.processLeaseMs);
        auto claimed = jobs.transition({job->id,
                                        JobStatus::PendingProcessing,
                                        JobStatus::Processing,
                                        actor,
                                        QStringLiteral("processing results"),
                                        lease,
                                        {}});
        if (!claimed)
            co_return claimed.error();
        if (!claimed->applied) {
            auto now = jobs.job(job->id);
            if (now && now->status == JobStatus::Completed)
                co_return ProcessOutcome{true, *now, now->resultsSaved, now->resultErrors};
            co_return makeError(
                ErrorKind::Conflict,
                QStringLiteral("job_not_ready"),
                QStringLiteral("another worker is processing this job (it is %1)").arg(statusName(claimed->current)));
        }
    } else if (job->status == JobStatus::Processing) {
        // A worker that died mid-way leaves its lease to expire; then anyone may take the job over.
        auto reclaimed = jobs.takeLease(job->id, owner, m_settings.processLeaseMs);
        if (!reclaimed)
            co_return reclaimed.error();
        if (!*reclaimed)
            co_return makeError(ErrorKind::Conflict,
                                QStringLiteral("job_not_ready"),
                                QStringLiteral("the job is PROCESSING by %1").arg(job->leaseOwner));
        (void)jobs.recordEvent(
            job->id, JobStatus::Processing, actor, QStringLiteral("took over an expired processing lease"));
    } else {
        co_return makeError(ErrorKind::Conflict,
                            QStringLiteral("job_not_ready"),
                            QStringLiteral("the job is %1, not PENDING_PROCESSING").arg(statusName(job->status)));
    }
    Q_EMIT jobChanged(job->id);
    LeaseGuard lease(jobs, job->id, owner);

    RemoveOnExit downloads;
    QString outputPath;
    QString errorPath;
    const QString stem = workPath(QStringLiteral("job-%1-%2").arg(job->id).arg(owner.right(12)));
    // The output file (successes) and the error file (failed and unexecuted requests), when present.
    const std::pair<QString, QString*> files[] = {{job->outputFileId, &outputPath}, {job->errorFileId, &errorPath}};
    for (const auto& [fileId, path] : files) {
        if (fileId.isEmpty())
            continue;
        const QString id = fileId;
        const QString target = stem + u'-' + id + QStringLiteral(".jsonl");
        auto downloaded = co_await m_provider.downloadFileContent(id, target);
        if (!downloaded)
            co_return Error(downloaded.error());
        *path = downloaded->path;
        downloads.paths << *path;
    }

    ProcessOutcome outcome;
    auto stored = storeResults(*job, owner, actor, outputPath, errorPath, outcome);
    if (!stored)
        co_return stored.error();
    lease.dismiss();
    outcome.job = *jobs.job(job->id);
    Q_EMIT jobChanged(job->id);
    qCInfo(lcService) << "processed job" << job->id << runId << batchType << outcome.resultsSaved << "results,"
                      << outcome.errors << "errors";
    co_return outcome;
}

} // namespace batchdeck
