// BatchService end to end: the real simulator over loopback, the real provider client, the backend
// of BATCHDECK_TEST_BACKEND.
#include <atomic>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSignalSpy>
#include <QThread>
#include <QTimer>

#include "ServiceFixture.h"
#include "service/Poller.h"
#include "store/ProviderBatchStore.h"
#include "store/ResultStore.h"
#include "store/ResultWriter.h"
#include "store/SqlSupport.h"
#include "store/Transaction.h"

using namespace batchdeck;
using namespace batchdeck::test;

namespace {

const QString kRun = QStringLiteral("scheduled__2026-12-03T00:00:00+00:00");
const QString kActor = QStringLiteral("test");

template <typename T> T await(QCoro::Task<T>&& task)
{
    return QCoro::waitFor(std::move(task));
}

int batchesOfJob(sim::SimulatorServer& simulator, qint64 jobId)
{
    int count = 0;
    for (const sim::SimulatedBatch& batch : simulator.batches()) {
        if (batch.metadata.value(QStringLiteral("batchdeck_job_id")).toString() == QString::number(jobId))
            ++count;
    }
    return count;
}

} // namespace

class BatchServiceTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void summarizeThroughItsWholeLifecycle()
    {
        ServiceFixture f;
        QCOMPARE(f.start(), QString());
        QVERIFY(f.importItems(kRun, 25));

        auto submitted = await(f.service->submit(kRun, QStringLiteral("summarize"), kActor));
        QVERIFY2(submitted.ok(), qPrintable(submitted.ok() ? QString() : submitted.error().message));
        QVERIFY(!submitted->skipped);
        QCOMPARE(submitted->requests, 25);
        QCOMPARE(submitted->job.status, JobStatus::Submitted);
        const QString batchId = submitted->job.llmBatchId;
        QVERIFY(batchId.startsWith(QStringLiteral("batch_")));
        QCOMPARE(submitted->toJson().value(QStringLiteral("status")).toString(), QStringLiteral("submitted"));

        // A retried Airflow task: skipped, same batch, nothing sent.
        auto again = await(f.service->submit(kRun, QStringLiteral("summarize"), kActor));
        QVERIFY(again.ok());
        QVERIFY(again->skipped);
        QCOMPARE(again->job.llmBatchId, batchId);
        QCOMPARE(f.simulator->batchesCreated(), 1);
        const auto simulated = f.simulator->batch(batchId);
        QVERIFY(simulated.has_value());
        QCOMPARE(simulated->metadata.value(QStringLiteral("batchdeck_run_id")).toString(), kRun);
        QCOMPARE(simulated->metadata.value(QStringLiteral("batchdeck_attempt")).toString(), QStringLiteral("1"));

        // Processing before the provider finished is refused, naming the status.
        auto early = await(f.service->process(kRun, QStringLiteral("summarize"), kActor));
        QVERIFY(!early.ok());
        QCOMPARE(early.error().code, QStringLiteral("job_not_ready"));
        QVERIFY(early.error().message.contains(QStringLiteral("SUBMITTED")));

        const QJsonObject body = f.waitUntilTerminal(kRun, QStringLiteral("summarize"));
        QCOMPARE(body.value(QStringLiteral("job_status")).toString(), QStringLiteral("PENDING_PROCESSING"));
        QCOMPARE(body.value(QStringLiteral("llm_status")).toString(), QStringLiteral("completed"));
        QCOMPARE(body.value(QStringLiteral("outcome")).toString(), QStringLiteral("success"));
        QCOMPARE(body.value(QStringLiteral("request_counts"))[QStringLiteral("total")].toInt(), 25);
        QCOMPARE(body.value(QStringLiteral("request_counts"))[QStringLiteral("completed")].toInt(), 25);
        QCOMPARE(body.value(QStringLiteral("provider"))[QStringLiteral("batch_id")].toString(), batchId);
        QVERIFY(!body.value(QStringLiteral("provider"))[QStringLiteral("output_file_id")].toString().isEmpty());
        QVERIFY(body.value(QStringLiteral("error")).isNull());
        QCOMPARE(body.value(QStringLiteral("attempt")).toInt(), 1);

        auto processed = await(f.service->process(kRun, QStringLiteral("summarize"), kActor));
        QVERIFY2(processed.ok(), qPrintable(processed.ok() ? QString() : processed.error().message));
        QVERIFY(!processed->skipped);
        QCOMPARE(processed->resultsSaved, 25);
        QCOMPARE(processed->errors, 0);
        QCOMPARE(processed->job.status, JobStatus::Completed);

        auto repeat = await(f.service->process(kRun, QStringLiteral("summarize"), kActor));
        QVERIFY(repeat.ok());
        QVERIFY(repeat->skipped);
        QCOMPARE(repeat->resultsSaved, 25);
        QCOMPARE(repeat->toJson().value(QStringLiteral("status")).toString(), QStringLiteral("skipped"));

        const auto results = *ResultStore(f.db).list(processed->job.id);
        QCOMPARE(results.size(), 25);
        QSet<QString> keys;
        for (const BatchResult& result : results) {
            QVERIFY(result.ok);
            QCOMPARE(result.statusCode, 200);
            QVERIFY(!result.content.isEmpty());
            QVERIFY(result.totalTokens > 0);
            keys.insert(result.customId);
        }
        QCOMPARE(keys.size(), 25);
        QVERIFY(keys.contains(QStringLiteral("item-0")) && keys.contains(QStringLiteral("item-24")));

        const auto events = *JobStore(f.db).events(processed->job.id);
        QStringList path;
        for (const JobEvent& event : events)
            path << event.toStatus;
        QCOMPARE(path,
                 (QStringList{QStringLiteral("PENDING_SUBMISSION"),
                              QStringLiteral("SUBMITTED"),
                              QStringLiteral("PENDING_PROCESSING"),
                              QStringLiteral("PROCESSING"),
                              QStringLiteral("COMPLETED")}));
        const auto batches = *ProviderBatchStore(f.db).forJob(processed->job.id);
        QCOMPARE(batches.size(), 1);
        QCOMPARE(batches.first().llmBatchId, batchId);
        QCOMPARE(batches.first().providerStatus, QStringLiteral("completed"));
    }

    void embeddingsKeepTheVector()
    {
        ServiceFixture f;
        QCOMPARE(f.start(), QString());
        QCOMPARE(f.submitUntilCompleted(kRun, QStringLiteral("embed"), 5), QString());
        auto processed = await(f.service->process(kRun, QStringLiteral("embed"), kActor));
        QVERIFY(processed.ok());
        const auto results = *ResultStore(f.db).list(processed->job.id);
        QCOMPARE(results.size(), 5);
        const QJsonArray vector = QJsonDocument::fromJson(results.first().parsedJson.toUtf8()).array();
        QVERIFY(vector.size() > 0);
        QVERIFY(vector.at(0).isDouble());
    }

    void chainedStageReadsTheEarlierResults()
    {
        ServiceFixture f;
        QCOMPARE(f.start(), QString());
        QVERIFY(f.importItems(kRun, 4));
        // The chained stage cannot start before its source is processed.
        auto tooEarly = await(f.service->submit(kRun, QStringLiteral("keywords"), kActor));
        QVERIFY(!tooEarly.ok());
        QCOMPARE(tooEarly.error().code, QStringLiteral("nothing_to_submit"));
        QVERIFY(await(f.service->submit(kRun, QStringLiteral("summarize"), kActor)).ok());
        f.waitUntilTerminal(kRun, QStringLiteral("summarize"));
        QVERIFY(await(f.service->process(kRun, QStringLiteral("summarize"), kActor)).ok());

        // The failed early submit left the job PENDING_SUBMISSION with its reason; now it goes out.
        QCOMPARE(f.job(kRun, QStringLiteral("keywords")).errorDetails.value(QStringLiteral("code")).toString(),
                 QStringLiteral("nothing_to_submit"));
        auto submitted = await(f.service->submit(kRun, QStringLiteral("keywords"), kActor));
        QVERIFY2(submitted.ok(), qPrintable(submitted.ok() ? QString() : submitted.error().message));
        QCOMPARE(submitted->requests, 4);
        QVERIFY(submitted->job.errorDetails.isEmpty());
        f.waitUntilTerminal(kRun, QStringLiteral("keywords"));
        auto processed = await(f.service->process(kRun, QStringLiteral("keywords"), kActor));
        QVERIFY(processed.ok());
        QCOMPARE(processed->resultsSaved, 4);
        const auto results = *ResultStore(f.db).list(processed->job.id);
        QVERIFY(results.first().customId.startsWith(QStringLiteral("item-")));
    }

    void badRequestsAreClearErrors()
    {
        ServiceFixture f;
        QCOMPARE(f.start(), QString());
        auto unknown = await(f.service->submit(kRun, QStringLiteral("no-such-type"), kActor));
        QCOMPARE(unknown.error().kind, ErrorKind::NotFound);
        QCOMPARE(unknown.error().code, QStringLiteral("unknown_batch_type"));

        auto empty = await(f.service->submit(QStringLiteral("empty-run"), QStringLiteral("summarize"), kActor));
        QCOMPARE(empty.error().kind, ErrorKind::InvalidInput);
        QCOMPARE(empty.error().code, QStringLiteral("nothing_to_submit"));
        const JobSnapshot job = f.job(QStringLiteral("empty-run"), QStringLiteral("summarize"));
        QCOMPARE(job.status, JobStatus::PendingSubmission);
        QVERIFY(job.errorDetails.value(QStringLiteral("message")).toString().contains(QStringLiteral("no items")));
        QCOMPARE(f.simulator->batchesCreated(), 0);

        auto missing = await(f.service->status(QStringLiteral("nope"), QStringLiteral("summarize"), kActor));
        QCOMPARE(missing.error().kind, ErrorKind::NotFound);
        QCOMPARE(missing.error().code, QStringLiteral("job_not_found"));

        // An item without the field the template reads: an error naming the item, nothing uploaded.
        QBuffer buffer;
        buffer.setData("{\"id\":\"no-text\",\"title\":\"x\"}\n");
        buffer.open(QIODevice::ReadOnly);
        QVERIFY(ItemImporter(f.db)
                    .importDevice(QStringLiteral("r2"), buffer, ItemFormat::Jsonl, QStringLiteral("id"), {})
                    .ok());
        auto unrenderable = await(f.service->submit(QStringLiteral("r2"), QStringLiteral("summarize"), kActor));
        QCOMPARE(unrenderable.error().code, QStringLiteral("render_failed"));
        QVERIFY2(unrenderable.error().message.contains(QStringLiteral("no-text")),
                 qPrintable(unrenderable.error().message));
        QCOMPARE(f.simulator->batchesCreated(), 0);
    }

    void providerFailureKeepsTheLineErrors()
    {
        ServiceFixture f;
        sim::SimulatorOptions options = ServiceFixture::fastSimulator();
        options.faults.enqueuedTokenLimitPerModel = 10; // every batch fails token_limit_exceeded
        QCOMPARE(f.start(options), QString());
        QVERIFY(f.importItems(kRun, 3));
        QVERIFY(await(f.service->submit(kRun, QStringLiteral("summarize"), kActor)).ok());
        const QJsonObject body = f.waitUntilTerminal(kRun, QStringLiteral("summarize"));
        QCOMPARE(body.value(QStringLiteral("job_status")).toString(), QStringLiteral("SUBMISSION_FAILED"));
        QCOMPARE(body.value(QStringLiteral("llm_status")).toString(), QStringLiteral("failed"));
        QCOMPARE(body.value(QStringLiteral("outcome")).toString(), QStringLiteral("failed"));
        QVERIFY(body.value(QStringLiteral("terminal")).toBool());
        QCOMPARE(body.value(QStringLiteral("error"))[QStringLiteral("code")].toString(),
                 QStringLiteral("token_limit_exceeded"));
        QVERIFY(body.value(QStringLiteral("error"))[QStringLiteral("retryable")].toBool());

        // Retry makes a new attempt that goes out as a new provider batch once the limit allows it.
        auto processed = await(f.service->process(kRun, QStringLiteral("summarize"), kActor));
        QCOMPARE(processed.error().code, QStringLiteral("job_not_ready"));
        f.simulator->setFaults({});
        auto retried = f.service->retry(
            kRun, QStringLiteral("summarize"), QStringLiteral("alice"), QStringLiteral("quota raised"));
        QVERIFY(retried.ok());
        QCOMPARE(retried->status, JobStatus::PendingSubmission);
        QCOMPARE(retried->attempt, 2);
        QVERIFY(retried->llmBatchId.isEmpty());
        const auto events = *JobStore(f.db).events(retried->id);
        QCOMPARE(events.last().actor, QStringLiteral("alice"));
        QVERIFY(events.last().message.contains(QStringLiteral("quota raised")));
        auto resubmitted = await(f.service->submit(kRun, QStringLiteral("summarize"), kActor));
        QVERIFY(resubmitted.ok());
        QCOMPARE(f.simulator->batch(resubmitted->job.llmBatchId)
                     ->metadata.value(QStringLiteral("batchdeck_attempt"))
                     .toString(),
                 QStringLiteral("2"));
        QCOMPARE(f.waitUntilTerminal(kRun, QStringLiteral("summarize")).value(QStringLiteral("outcome")).toString(),
                 QStringLiteral("success"));
        QCOMPARE(f.service->retry(kRun, QStringLiteral("summarize"), kActor, {}).error().code,
                 QStringLiteral("job_not_retryable"));
    }

    void perRequestFailuresBecomeErrorResults()
    {
        ServiceFixture f;
        QCOMPARE(f.start(), QString());
        QVERIFY(f.importItems(kRun, 3));
        QVERIFY(f.importItems(QStringLiteral("other"), 1)); // keeps item ids apart from the failing ones
        QBuffer buffer;
        buffer.setData("{\"id\":\"bad-1\",\"text\":\"please fail [[sim:fail:429]]\"}\n"
                       "{\"id\":\"bad-2\",\"text\":\"please fail [[sim:fail:500]]\"}\n");
        buffer.open(QIODevice::ReadOnly);
        // Re-import the run with two more items (keys are updated or added).
        QVERIFY(ItemImporter(f.db).importDevice(kRun, buffer, ItemFormat::Jsonl, QStringLiteral("id"), {}).ok());
        QVERIFY(await(f.service->submit(kRun, QStringLiteral("summarize"), kActor)).ok());
        const QJsonObject body = f.waitUntilTerminal(kRun, QStringLiteral("summarize"));
        QCOMPARE(body.value(QStringLiteral("request_counts"))[QStringLiteral("failed")].toInt(), 2);
        QCOMPARE(body.value(QStringLiteral("outcome")).toString(), QStringLiteral("partial"));
        auto processed = await(f.service->process(kRun, QStringLiteral("summarize"), kActor));
        QVERIFY(processed.ok());
        QCOMPARE(processed->resultsSaved, 5);
        QCOMPARE(processed->errors, 2);
        ResultFilter errorsOnly;
        errorsOnly.kind = ResultFilter::Kind::Errors;
        const auto errors = *ResultStore(f.db).list(processed->job.id, errorsOnly);
        QCOMPARE(errors.size(), 2);
        QCOMPARE(errors.at(0).customId, QStringLiteral("bad-1"));
        QCOMPARE(errors.at(0).statusCode, 429);
        QVERIFY(!errors.at(0).errorMessage.isEmpty());
        QCOMPARE(errors.at(1).statusCode, 500);
        QVERIFY(errors.at(0).lineNumber > 0);
    }

    void transientProviderFaultsAreRetried()
    {
        ServiceFixture f;
        sim::SimulatorOptions options = ServiceFixture::fastSimulator();
        options.faults.fail429Ratio = 0.2;
        options.faults.fail500Ratio = 0.1;
        options.faults.retryAfterSeconds = 0;
        QCOMPARE(f.start(options), QString());
        QCOMPARE(f.submitUntilCompleted(kRun, QStringLiteral("summarize"), 10), QString());
        auto processed = await(f.service->process(kRun, QStringLiteral("summarize"), kActor));
        QVERIFY2(processed.ok(), qPrintable(processed.ok() ? QString() : processed.error().message));
        QCOMPARE(processed->resultsSaved, 10);
        QCOMPARE(batchesOfJob(*f.simulator, processed->job.id), 1);
    }

    void expiredBatchOutputCanBeHarvested()
    {
        ServiceFixture f;
        sim::SimulatorOptions options = ServiceFixture::fastSimulator();
        options.phaseMs = 200;
        options.expiryMs = 300; // expires half way through in_progress
        QCOMPARE(f.start(options), QString());
        QVERIFY(f.importItems(kRun, 40));
        QVERIFY(await(f.service->submit(kRun, QStringLiteral("summarize"), kActor)).ok());
        const QJsonObject body = f.waitUntilTerminal(kRun, QStringLiteral("summarize"));
        QCOMPARE(body.value(QStringLiteral("job_status")).toString(), QStringLiteral("SUBMISSION_FAILED"));
        QCOMPARE(body.value(QStringLiteral("outcome")).toString(), QStringLiteral("expired"));
        auto notHarvested = await(f.service->process(kRun, QStringLiteral("summarize"), kActor));
        QCOMPARE(notHarvested.error().code, QStringLiteral("job_not_ready"));
        auto harvested = await(f.service->process(kRun, QStringLiteral("summarize"), kActor, true));
        QVERIFY2(harvested.ok(), qPrintable(harvested.ok() ? QString() : harvested.error().message));
        QCOMPARE(harvested->job.status, JobStatus::Completed);
        QCOMPARE(harvested->resultsSaved, 40);
        QVERIFY(harvested->errors > 0);
        QVERIFY(harvested->errors < 40);
        ResultFilter errorsOnly;
        errorsOnly.kind = ResultFilter::Kind::Errors;
        QCOMPARE(ResultStore(f.db).list(harvested->job.id, errorsOnly)->first().errorCode,
                 QStringLiteral("batch_expired"));
        auto status = await(f.service->status(kRun, QStringLiteral("summarize"), kActor));
        QCOMPARE(status->value(QStringLiteral("outcome")).toString(), QStringLiteral("partial"));
    }

    void cancelThenRetry()
    {
        ServiceFixture f;
        sim::SimulatorOptions options = ServiceFixture::fastSimulator();
        options.phaseMs = 300;
        QCOMPARE(f.start(options), QString());
        QVERIFY(f.importItems(kRun, 5));
        QVERIFY(await(f.service->submit(kRun, QStringLiteral("summarize"), kActor)).ok());
        auto cancelled = await(f.service->cancel(
            kRun, QStringLiteral("summarize"), QStringLiteral("bob"), QStringLiteral("wrong prompt")));
        QVERIFY2(cancelled.ok(), qPrintable(cancelled.ok() ? QString() : cancelled.error().message));
        QVERIFY(cancelled->providerStatus == u"cancelling" || cancelled->providerStatus == u"cancelled");
        const QJsonObject body = f.waitUntilTerminal(kRun, QStringLiteral("summarize"));
        QCOMPARE(body.value(QStringLiteral("outcome")).toString(), QStringLiteral("cancelled"));
        bool recorded = false;
        const auto events = *JobStore(f.db).events(cancelled->id);
        for (const JobEvent& event : events)
            recorded = recorded || (event.actor == u"bob" && event.message.contains(QStringLiteral("wrong prompt")));
        QVERIFY(recorded);
        auto again = await(f.service->cancel(kRun, QStringLiteral("summarize"), kActor, {}));
        QCOMPARE(again.error().code, QStringLiteral("job_not_cancellable"));
        QVERIFY(f.service->retry(kRun, QStringLiteral("summarize"), kActor, {}).ok());
        auto resubmitted = await(f.service->submit(kRun, QStringLiteral("summarize"), kActor));
        QVERIFY(resubmitted.ok());
        QCOMPARE(resubmitted->job.attempt, 2);
        QCOMPARE(batchesOfJob(*f.simulator, resubmitted->job.id), 2);
    }

    void pollerRefreshesAndProcessesInTheBackground()
    {
        ServiceFixture f;
        QCOMPARE(f.start(), QString());
        QVERIFY(f.importItems(kRun, 6));
        QVERIFY(await(f.service->submit(kRun, QStringLiteral("summarize"), kActor)).ok());
        QVERIFY(await(f.service->submit(kRun, QStringLiteral("embed"), kActor)).ok());
        Poller poller(*f.service, PollerOptions{0, true, QStringLiteral("poller")});
        QSignalSpy rounds(&poller, &Poller::tickFinished);
        poller.start();
        QTRY_VERIFY_WITH_TIMEOUT(f.job(kRun, QStringLiteral("summarize")).status == JobStatus::Completed &&
                                     f.job(kRun, QStringLiteral("embed")).status == JobStatus::Completed,
                                 20'000);
        poller.stop();
        // The round that processed them ends once the stores' answers are back on this thread.
        QTRY_VERIFY_WITH_TIMEOUT(rounds.size() > 0, 5000);
        QCOMPARE(f.job(kRun, QStringLiteral("summarize")).resultsSaved, 6);
        const auto events = *JobStore(f.db).events(f.job(kRun, QStringLiteral("embed")).id);
        QCOMPARE(events.last().actor, QStringLiteral("poller"));
    }

    void concurrentSubmitsMakeOneBatch()
    {
        ServiceFixture f;
        sim::SimulatorOptions options = ServiceFixture::fastSimulator();
        options.faults.stallMs = 20; // keep the calls in flight together
        QCOMPARE(f.start(options), QString());
        QVERIFY(f.importItems(kRun, 10));
        // Ten submits interleaved on one event loop: each suspends at its provider calls.
        std::vector<QCoro::Task<Result<SubmitOutcome>>> tasks;
        for (int i = 0; i < 10; ++i)
            tasks.push_back(f.service->submit(kRun, QStringLiteral("summarize"), kActor));
        int submitted = 0;
        int skipped = 0;
        int inProgress = 0;
        for (auto& task : tasks) {
            auto outcome = QCoro::waitFor(std::move(task));
            if (outcome && !outcome->skipped)
                ++submitted;
            else if (outcome)
                ++skipped;
            else if (outcome.error().code == u"submission_in_progress")
                ++inProgress;
        }
        QCOMPARE(submitted, 1);
        QCOMPARE(submitted + skipped + inProgress, 10);
        QCOMPARE(f.simulator->batchesCreated(), 1);
    }

    void concurrentSubmitsFromThreadsMakeOneBatch()
    {
        ServiceFixture f;
        sim::SimulatorOptions options = ServiceFixture::fastSimulator();
        options.faults.stallMs = 20;
        QCOMPARE(f.start(options), QString());
        QVERIFY(f.importItems(kRun, 10));
        // Each thread is its own worker: its own provider, service and database connection, as in
        // separate processes; the simulator keeps serving on this thread meanwhile.
        constexpr int kThreads = 6;
        std::atomic<int> submitted{0};
        std::atomic<int> declined{0};
        std::atomic<int> failed{0};
        std::atomic<int> finished{0};
        QList<QThread*> threads;
        for (int i = 0; i < kThreads; ++i) {
            threads.append(QThread::create([&] {
                OpenAiConfig config;
                config.baseUrl = f.simulator->baseUrl();
                config.apiKey = QStringLiteral("sk-thread");
                OpenAiProvider provider(config);
                BatchService service(f.db, f.types, provider, f.settings);
                const QString run = kRun;
                const QString type = QStringLiteral("summarize");
                const QString actor = QStringLiteral("thread");
                auto outcome = QCoro::waitFor(service.submit(run, type, actor));
                if (outcome && !outcome->skipped)
                    ++submitted;
                else if (outcome || outcome.error().code == u"submission_in_progress")
                    ++declined;
                else {
                    qWarning() << outcome.error().message;
                    ++failed;
                }
                ++finished;
            }));
            threads.last()->start();
        }
        QTRY_COMPARE_WITH_TIMEOUT(finished.load(), kThreads, 30'000);
        for (QThread* thread : std::as_const(threads)) {
            thread->wait();
            delete thread;
        }
        QCOMPARE(failed.load(), 0);
        QCOMPARE(submitted.load(), 1);
        QCOMPARE(declined.load(), kThreads - 1);
        QCOMPARE(f.simulator->batchesCreated(), 1);
    }

    void anInterruptedSubmitIsAdoptedNotDuplicated()
    {
        ServiceFixture f;
        QCOMPARE(f.start(), QString());
        QVERIFY(f.importItems(kRun, 3));
        // What a process that died right after "create batch" leaves behind: the provider has the
        // batch (with this job's metadata), the database only the "creating" trace.
        const JobSnapshot job = *JobStore(f.db).createOrGet(kRun, QStringLiteral("summarize"), kActor);
        const QString path = f.dir.filePath(QStringLiteral("lost.jsonl"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"custom_id\":\"item-0\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":"
                   "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}}\n");
        file.close();
        auto uploaded = await(f.provider->uploadFile({path, QStringLiteral("batch"), {}, {}}));
        QVERIFY(uploaded.ok());
        CreateBatchRequest create;
        create.inputFileId = uploaded->id;
        create.endpoint = QStringLiteral("/v1/chat/completions");
        create.metadata = {{QStringLiteral("batchdeck_job_id"), QString::number(job.id)},
                           {QStringLiteral("batchdeck_attempt"), QStringLiteral("1")},
                           {QStringLiteral("batchdeck_run_id"), kRun},
                           {QStringLiteral("batchdeck_batch_type"), QStringLiteral("summarize")}};
        auto lost = await(f.provider->createBatch(create));
        QVERIFY(lost.ok());
        ProviderBatchRecord trace;
        trace.jobId = job.id;
        trace.inputFileId = uploaded->id;
        trace.providerStatus = QStringLiteral("creating");
        QVERIFY(ProviderBatchStore(f.db).save(trace).ok());

        auto submitted = await(f.service->submit(kRun, QStringLiteral("summarize"), kActor));
        QVERIFY2(submitted.ok(), qPrintable(submitted.ok() ? QString() : submitted.error().message));
        QVERIFY(submitted->adopted);
        QCOMPARE(submitted->job.llmBatchId, lost->id);
        QCOMPARE(f.simulator->batchesCreated(), 1);
    }

    void processAfterACrashFinishesWithoutDuplicates()
    {
        ManualClock clock(QDateTime::currentMSecsSinceEpoch());
        ServiceFixture f;
        f.clock = &clock;
        QCOMPARE(f.start(), QString());
        QVERIFY(f.importItems(kRun, 12));
        QVERIFY(await(f.service->submit(kRun, QStringLiteral("summarize"), kActor)).ok());
        for (int i = 0; i < 500 && f.job(kRun, QStringLiteral("summarize")).status == JobStatus::Submitted; ++i) {
            clock.advance(1000);
            QVERIFY(await(f.service->status(kRun, QStringLiteral("summarize"), kActor)).ok());
            QTest::qWait(20);
        }
        JobSnapshot job = f.job(kRun, QStringLiteral("summarize"));
        QCOMPARE(job.status, JobStatus::PendingProcessing);
        // A worker claimed the job, stored some rows in a transaction that never committed, and died.
        JobStore jobs(f.db, clock);
        JobUpdate lease;
        lease.set(JobField::LeaseOwner, QStringLiteral("dead-worker"))
            .set(JobField::LeaseUntil, clock.nowMs() + 60'000);
        QVERIFY(jobs.transition({job.id,
                                 JobStatus::PendingProcessing,
                                 JobStatus::Processing,
                                 QStringLiteral("dead"),
                                 {},
                                 lease,
                                 {}})
                    ->applied);
        auto busy = await(f.service->process(kRun, QStringLiteral("summarize"), kActor));
        QCOMPARE(busy.error().code, QStringLiteral("job_not_ready"));
        clock.advance(61'000); // the dead worker's lease expires
        auto processed = await(f.service->process(kRun, QStringLiteral("summarize"), kActor));
        QVERIFY2(processed.ok(), qPrintable(processed.ok() ? QString() : processed.error().message));
        QCOMPARE(processed->resultsSaved, 12);
        QCOMPARE(ResultStore(f.db).list(job.id)->size(), 12);
    }
    // Storing runs on a thread of its own: while a process waits for the database (another connection
    // holds SQLite's write lock, or the job's row in PostgreSQL), the thread that called process()
    // (serve's, the console's engine thread) goes on running its event loop; the process finishes
    // once the database lets it. Stored on the calling thread, the store froze that thread until the
    // lock went (PostgreSQL) or SQLite's busy timeout failed it.
    void storingLeavesTheCallingThreadFree()
    {
        ServiceFixture f;
        QCOMPARE(f.start(), QString());
        QCOMPARE(f.submitUntilCompleted(kRun, QStringLiteral("summarize"), 200), QString());
        const qint64 jobId = f.job(kRun, QStringLiteral("summarize")).id;

        // The download waits 300 ms at the simulator: time to take the database once the job is claimed.
        sim::SimulatorFaults faults = f.simulator->faults();
        faults.stallMs = 300;
        f.simulator->setFaults(faults);
        Result<ProcessOutcome> processed;
        bool finished = false;
        const QString run = kRun;
        const QString type = QStringLiteral("summarize");
        const QString actor = kActor;
        // Named values into the coroutine (g++ 12 destroys temporaries bound to its parameters twice).
        auto processing = [&]() -> QCoro::Task<> {
            processed = co_await f.service->process(run, type, actor);
            finished = true;
        };
        QCoro::Task<> task = processing();
        QTRY_COMPARE_WITH_TIMEOUT(f.job(kRun, QStringLiteral("summarize")).status, JobStatus::Processing, 5000);

        auto other = Database::open(f.db->url());
        QVERIFY(other.ok());
        auto otherConnection = (*other)->connection();
        QVERIFY(otherConnection.ok());
        auto hold = Transaction::begin(*otherConnection); // SQLite: BEGIN IMMEDIATE, the write lock
        QVERIFY(hold.ok());
        if (f.db->isPostgres())
            QVERIFY(sql::exec(*otherConnection,
                              QStringLiteral("SELECT id FROM pipeline_batch_jobs WHERE id = ? FOR UPDATE"),
                              {jobId})
                        .ok());

        int ticks = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, this, [&ticks] { ++ticks; });
        ticker.start(10);
        QTest::qWait(800); // the download, then the store waiting for the database
        QVERIFY2(!finished,
                 qPrintable(QStringLiteral("process ended while another connection held the database: %1")
                                .arg(processed.ok() ? QStringLiteral("it did not wait") : processed.error().message)));
        QVERIFY2(ticks >= 20, qPrintable(QStringLiteral("this thread's timer fired %1 times in 800 ms").arg(ticks)));

        hold->rollback();
        QTRY_VERIFY_WITH_TIMEOUT(finished, 15000);
        QVERIFY2(processed.ok(), qPrintable(processed.ok() ? QString() : processed.error().message));
        QCOMPARE(processed->resultsSaved, 200);
        QCOMPARE(f.job(kRun, QStringLiteral("summarize")).status, JobStatus::Completed);
        QCOMPARE(ResultStore(f.db).list(jobId)->size(), 200);
    }
    // The output and error files as a provider may hand them over, bad lines included, stored over
    // rows an earlier, interrupted store left: every line becomes one result, no id is stored twice.
    void processStoresErrorAndMalformedLinesOverEarlierRows()
    {
        ServiceFixture f;
        QCOMPARE(f.start(), QString());
        QCOMPARE(f.submitUntilCompleted(kRun, QStringLiteral("summarize"), 4), QString());
        const JobSnapshot job = f.job(kRun, QStringLiteral("summarize"));
        QCOMPARE(job.status, JobStatus::PendingProcessing);

        const QByteArray output =
            "{\"custom_id\":\"item-0\",\"response\":{\"status_code\":200,\"body\":{\"choices\":[{\"message\":"
            "{\"content\":\"A \\\"quote\\\" \xC3\xA9 \xF0\x9F\x8E\x89\"}}],\"usage\":{\"prompt_tokens\":3,"
            "\"completion_tokens\":4,\"total_tokens\":7}}},\"error\":null}\n"
            "\n"
            "{\"custom_id\":\"item-1\",\"response\":{\"status_code\":400,\"body\":{\"error\":{\"code\":\"bad_request\","
            "\"message\":\"no such model\"}}}}\n"
            "{\"custom_id\":\"item-2\",\"respo\n"
            "not json at all\n"
            "{\"custom_id\":\"item-3\",\"response\":{\"status_code\":200,\"body\":{\"choices\":[{\"message\":"
            "{\"content\":\"x\"}}]}}}\r\n"
            "{\"custom_id\":\"item-0\",\"response\":{\"status_code\":200,\"body\":{\"choices\":[{\"message\":"
            "{\"content\":\"A \\\"quote\\\" \xC3\xA9 \xF0\x9F\x8E\x89\"}}],\"usage\":{\"prompt_tokens\":3,"
            "\"completion_tokens\":4,\"total_tokens\":7}}},\"error\":null}";
        const QByteArray errors = "{\"custom_id\":\"item-9\",\"response\":null,\"error\":{\"code\":\"batch_expired\","
                                  "\"message\":\"late\"}}\n";
        auto upload = [&](const QByteArray& bytes, const QString& name) -> QString {
            QFile file(f.dir.filePath(name));
            if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
                return {};
            file.close();
            UploadFileRequest request;
            request.path = file.fileName();
            auto uploaded = await(f.provider->uploadFile(request));
            return uploaded ? uploaded->id : QString();
        };
        const QString outputId = upload(output, QStringLiteral("crafted-output.jsonl"));
        const QString errorId = upload(errors, QStringLiteral("crafted-errors.jsonl"));
        QVERIFY(!outputId.isEmpty() && !errorId.isEmpty());
        JobUpdate files;
        files.set(JobField::OutputFileId, outputId).set(JobField::ErrorFileId, errorId);
        QVERIFY(*JobStore(f.db).update(job.id, JobStatus::PendingProcessing, files));

        // Rows of an earlier store of this job (another attempt's answers, say).
        {
            auto db = f.db->connection();
            auto transaction = Transaction::begin(*db);
            QVERIFY(transaction.ok());
            auto writer = ResultWriter::prepare(*db, job.id, 1);
            QVERIFY(writer.ok());
            BatchResult old;
            old.customId = QStringLiteral("item-0");
            old.ok = false;
            old.errorCode = QStringLiteral("stale");
            old.errorMessage = QStringLiteral("an earlier answer");
            QVERIFY((*writer)->write(old).ok());
            old.customId = QStringLiteral("item-1");
            QVERIFY((*writer)->write(old).ok());
            QVERIFY((*writer)->finish().ok());
            writer->reset();
            QVERIFY(transaction->commit().ok());
        }

        auto processed = await(f.service->process(kRun, QStringLiteral("summarize"), kActor));
        QVERIFY2(processed.ok(), qPrintable(processed.ok() ? QString() : processed.error().message));
        QCOMPARE(processed->resultsSaved, 6);
        QCOMPARE(processed->errors, 4);
        const auto results = *ResultStore(f.db).list(job.id);
        QCOMPARE(results.size(), 6);
        QMap<QString, BatchResult> byId;
        for (const BatchResult& r : results)
            byId.insert(r.customId, r);
        QCOMPARE(byId.keys(),
                 (QStringList{QStringLiteral("_line:output:4"),
                              QStringLiteral("_line:output:5"),
                              QStringLiteral("item-0"),
                              QStringLiteral("item-1"),
                              QStringLiteral("item-3"),
                              QStringLiteral("item-9")}));
        const BatchResult& first = byId[QStringLiteral("item-0")];
        QVERIFY(first.ok);
        QCOMPARE(first.content, QStringLiteral("A \"quote\" \u00e9 \U0001F389"));
        QCOMPARE(first.errorCode, QString());
        QCOMPARE(first.lineNumber, 7); // the repeated line, the last one stored
        QCOMPARE(first.inputTokens, 3);
        QCOMPARE(first.totalTokens, 7);
        const BatchResult& refused = byId[QStringLiteral("item-1")];
        QVERIFY(!refused.ok);
        QCOMPARE(refused.statusCode, 400);
        QCOMPARE(refused.errorCode, QStringLiteral("bad_request"));
        QCOMPARE(refused.errorMessage, QStringLiteral("no such model"));
        QCOMPARE(refused.lineNumber, 3);
        QCOMPARE(byId[QStringLiteral("_line:output:4")].errorCode, QStringLiteral("malformed_line"));
        QCOMPARE(byId[QStringLiteral("_line:output:5")].lineNumber, 5);
        QCOMPARE(byId[QStringLiteral("item-3")].content, QStringLiteral("x"));
        QCOMPARE(byId[QStringLiteral("item-3")].lineNumber, 6);
        QCOMPARE(byId[QStringLiteral("item-9")].errorCode, QStringLiteral("batch_expired"));
        QCOMPARE(byId[QStringLiteral("item-9")].lineNumber, 1);
        // Once COMPLETED, process is skipped and stores nothing again.
        auto again = await(f.service->process(kRun, QStringLiteral("summarize"), kActor));
        QVERIFY(again.ok() && again->skipped);
        QCOMPARE(ResultStore(f.db).list(job.id)->size(), 6);
    }
};

QTEST_GUILESS_MAIN(BatchServiceTest)
#include "tst_batchservice.moc"
