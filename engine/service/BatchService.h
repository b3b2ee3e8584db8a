#pragma once

#include <functional>
#include <memory>

#include <QFuture>
#include <QJsonObject>
#include <QObject>
#include <qcoro/qcorotask.h>

#include "batchtypes/BatchTypeRegistry.h"
#include "core/Result.h"
#include "service/ServiceSettings.h"
#include "store/Clock.h"
#include "store/JobSnapshot.h"

namespace batchdeck {

class BatchProvider;
class Database;
struct ProviderBatch;
struct RequestFile;
class WorkPool;

struct SubmitOutcome
{
    bool skipped = false; // the job was past PENDING_SUBMISSION: nothing was sent
    bool adopted = false; // a provider batch of an earlier, interrupted submit was adopted
    JobSnapshot job;
    qint64 requests = 0; // requests sent (0 when skipped or adopted)

    QJsonObject toJson() const; // {"status": "submitted"|"skipped", "llm_batch_id", "job_id", ...}
};

struct ProcessOutcome
{
    bool skipped = false; // the job was COMPLETED already
    JobSnapshot job;
    qint64 resultsSaved = 0;
    qint64 errors = 0;

    QJsonObject toJson() const; // {"status": "processed"|"skipped", "results_saved", "errors", ...}
};

// The three operations of the seed, and the operator's actions, for every front-end (console, CLI,
// HTTP server) alike. Each one follows design.md step by step; the database decides every race
// (compare-and-set transitions, leases, unique keys), so any number of services in any number of
// processes may share one database. Errors carry a stable `code` for the HTTP API:
//   unknown_batch_type, job_not_found, submission_in_progress, job_failed, nothing_to_submit,
//   render_failed, over_provider_limit, job_not_ready, provider_error, invalid_request_file.
class BatchService : public QObject
{
    Q_OBJECT

public:
    BatchService(std::shared_ptr<Database> database,
                 const BatchTypeRegistry& batchTypes,
                 BatchProvider& provider,
                 ServiceSettings settings = {},
                 const Clock& clock = Clock::system(),
                 QObject* parent = nullptr);
    ~BatchService() override;

    QCoro::Task<Result<SubmitOutcome>> submit(QString runId, QString batchType, QString actor);
    // The same steps with a ready .jsonl request file instead of rendering the run's items: the file
    // is checked line by line first (checkRequestFile; its lines' url must be the batch type's
    // endpoint), and a bad file is refused with code invalid_request_file before a job is even made.
    // The batch type names the job and says how its results are kept.
    QCoro::Task<Result<SubmitOutcome>>
    submitFile(QString runId, QString batchType, QString requestFilePath, QString actor);
    // The status body of design.md; asks the provider at most once per statusIntervalMs per job.
    QCoro::Task<Result<QJsonObject>> status(QString runId, QString batchType, QString actor);
    // `harvest`: also take the output of an expired or cancelled batch (SUBMISSION_FAILED with files).
    QCoro::Task<Result<ProcessOutcome>> process(QString runId, QString batchType, QString actor, bool harvest = false);
    // SUBMISSION_FAILED -> PENDING_SUBMISSION as a new attempt.
    Result<JobSnapshot>
    retry(const QString& runId, const QString& batchType, const QString& actor, const QString& reason);
    // SUBMITTED: asks the provider to cancel; PENDING_SUBMISSION: fails the job at once.
    QCoro::Task<Result<JobSnapshot>> cancel(QString runId, QString batchType, QString actor, QString reason);

    // Refreshes one SUBMITTED job from the provider, regardless of the interval (used by the poller).
    QCoro::Task<Result<JobSnapshot>> refresh(qint64 jobId, QString actor);

    const BatchTypeRegistry& batchTypes() const { return m_batchTypes; }
    const ServiceSettings& settings() const { return m_settings; }
    std::shared_ptr<Database> database() const { return m_database; }
    // Waits for the WAL checkpoint that the last process() left to run after its answer (SQLite; see
    // DeferredCheckpoint). Nobody has to: a benchmark does, so that it never overlaps what comes next.
    void waitForBackgroundWork();
    // Whether a submit's rendering or a process's storing is running on the work pool. Such work ends
    // by itself (its transaction commits or fails); leaving the process under it would leave the job
    // PROCESSING until its lease expires, so a shutdown waits for it.
    bool isWorking() const;

Q_SIGNALS:
    void jobChanged(qint64 jobId);

private:
    // Writes a job's request file to the given path: rendered from the run, or copied from a ready file.
    using RequestSource = std::function<Result<RequestFile>(const QString& path)>;
    QCoro::Task<Result<SubmitOutcome>>
    submitRequests(QString runId, QString batchType, QString actor, RequestSource writeRequests);
    Result<JobSnapshot> findJob(const QString& runId, const QString& batchType) const;
    QString newLeaseOwner() const;
    QString workPath(const QString& name) const;
    Error recordSubmitError(const JobSnapshot& job, const Error& error, const QString& actor);
    Result<JobSnapshot> markSubmitted(const JobSnapshot& job,
                                      const ProviderBatch& batch,
                                      const QString& owner,
                                      const QString& actor,
                                      const QString& message);
    QCoro::Task<Result<std::optional<ProviderBatch>>> findAdoptableBatch(JobSnapshot job);
    Result<JobSnapshot> applyProviderBatch(const JobSnapshot& job, const ProviderBatch& batch, const QString& actor);
    struct StoredResults
    {
        qint64 saved = 0;
        qint64 errors = 0;
        QFuture<void> checkpoint; // the WAL checkpoint the commit left to run (DeferredCheckpoint)
    };
    // Parses and stores the downloaded files with the COMPLETED transition, in one transaction on the
    // calling thread's connection. Reads nothing of the service that another thread changes: process()
    // runs it on m_workPool.
    Result<StoredResults> storeResults(const JobSnapshot& job,
                                       const QString& owner,
                                       const QString& actor,
                                       const QString& outputPath,
                                       const QString& errorPath) const;

    std::shared_ptr<Database> m_database;
    const BatchTypeRegistry& m_batchTypes;
    BatchProvider& m_provider;
    ServiceSettings m_settings;
    const Clock& m_clock;
    QFuture<void> m_checkpoint;           // the last process()'s deferred WAL checkpoint
    std::unique_ptr<WorkPool> m_workPool; // a submit's rendering and a process's storing run there
    // False once the service is being destroyed: an operation resumed after its pool work (the pool
    // waits for that work, the operation resumes later from the event loop) returns without using it.
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace batchdeck
