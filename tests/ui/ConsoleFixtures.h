#pragma once

#include <functional>
#include <memory>

#include <QList>

#include "store/Clock.h"
#include "store/JobSnapshot.h"

namespace batchdeck {
class Database;
}

namespace batchdeck::test {

// Jobs for console tests, benchmarks and screenshots.

// A job as the feed would deliver it, without a database: id `id`, run "run-<(id - 1) / 4>", one of four
// batch types, a status and request counts that vary with the id.
JobSnapshot syntheticJob(qint64 id, qint64 now);
QList<JobSnapshot> syntheticJobs(int count, qint64 now);

// Inserts `count` jobs (four batch types per run, so count / 4 runs) in one transaction with bulk
// statements: fast enough for 100,000 jobs. Times spread over the last days before `now`.
void seedJobs(Database& database, int count, qint64 now);

// What another writer (a headless server) does to running jobs: more completed requests and a new
// updated_at, through plain SQL on the database's connection of the calling thread.
void touchJobs(Database& database, const QList<qint64>& ids, qint64 now);

// The provider's id of the request file a seeded job's submit sent: called as the job is submitted
// (its run's items, and the results of the stage it reads, are stored by then). Empty: a made-up id.
using SeedInputFile = std::function<QString(qint64 jobId, const QString& runId, const QString& batchType)>;

// A small, realistic store through JobStore's real transitions (so jobs have event histories and
// error details): three daily runs of product reviews, four batch types each, in every status.
// Processed jobs have their results stored, the failed requests among them too.
void seedRealisticStore(const std::shared_ptr<Database>& database,
                        ManualClock& clock,
                        const SeedInputFile& inputFile = {});

} // namespace batchdeck::test
