// The HTTP API through real sockets: an ApiServer on a free loopback port over the engine and the
// simulator, on SQLite and PostgreSQL. The seed's flow as Airflow drives it, the operator's routes,
// the feed, results, items, metrics, the OpenAPI document against the routes, the status cache,
// requests that wait for the provider without holding up others, and draining.
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include "ApiFixture.h"
#include "store/JobStore.h"

using namespace batchdeck;
using namespace batchdeck::test;

namespace {

const QString kRun = QStringLiteral("manual__2026-12-03T10:15:30.123456+00:00");
const QString kType = QStringLiteral("summarize");

QByteArray jobPath(const QString& route, const QString& run = kRun, const QString& type = kType)
{
    return "/pipeline/" + encodeSegment(run) + '/' + route.toUtf8() + '/' + type.toUtf8();
}

QByteArray jsonlItems(int count, int first = 0)
{
    QByteArray lines;
    for (int i = first; i < first + count; ++i)
        lines += QStringLiteral("{\"id\":\"item-%1\",\"text\":\"Document %1\"}\n").arg(i).toUtf8();
    return lines;
}

} // namespace

class ApiServerTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ApiFixture> m_api;

    ApiClient client() const { return m_api->client(); }

    void importItems(const QString& run, int count)
    {
        const HttpReply reply =
            client().post("/pipeline/" + encodeSegment(run) + "/items", jsonlItems(count), "application/x-ndjson");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(u"items").toInt(), count);
    }

    // What an Airflow HttpSensor does: poll until `terminal`.
    QJsonObject pollUntilTerminal(const QString& run, const QString& type = kType)
    {
        ApiClient api = client();
        QJsonObject body;
        for (int i = 0; i < 400; ++i) {
            const HttpReply reply = api.get(jobPath(QStringLiteral("batch-job-status"), run, type));
            if (reply.status != 200) {
                qWarning() << reply.status << reply.body;
                return {};
            }
            body = reply.json();
            if (body.value(u"terminal").toBool())
                return body;
            QTest::qWait(25);
        }
        return body;
    }

private Q_SLOTS:
    void init()
    {
        m_api = std::make_unique<ApiFixture>();
        m_api->options.statusCacheMs = 0; // tests poll for state changes made by the simulator
        const QString failed = m_api->start();
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
    }

    void cleanup() { m_api.reset(); }

    void seedFlowAsAirflowDrivesIt()
    {
        importItems(kRun, 12);
        ApiClient api = client();
        const HttpReply submitted = api.post(jobPath(QStringLiteral("submit-batch")));
        QCOMPARE(submitted.status, 200);
        QCOMPARE(submitted.json().value(u"status").toString(), u"submitted");
        const QString batchId = submitted.json().value(u"llm_batch_id").toString();
        QVERIFY(batchId.startsWith(u"batch_"));
        QCOMPARE(submitted.json().value(u"requests").toInt(), 12);

        // An Airflow task retry submits again: same batch, nothing sent.
        const HttpReply again = api.post(jobPath(QStringLiteral("submit-batch")));
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json().value(u"status").toString(), u"skipped");
        QCOMPARE(again.json().value(u"llm_batch_id").toString(), batchId);
        QCOMPARE(m_api->engine.simulator->batchesCreated(), 1);

        // Before the batch is done, processing is refused with the current status named.
        const HttpReply early = api.post(jobPath(QStringLiteral("process-batch-results")));
        if (early.status == 409) {
            QCOMPARE(early.errorCode(), u"job_not_ready");
            QVERIFY(early.hasErrorEnvelope());
        }

        const QJsonObject status = pollUntilTerminal(kRun);
        for (const char* key : {"run_id",
                                "batch_type",
                                "job_status",
                                "llm_status",
                                "terminal",
                                "outcome",
                                "provider",
                                "request_counts",
                                "attempt",
                                "error",
                                "updated_at"})
            QVERIFY2(status.contains(QLatin1String(key)), key);
        QCOMPARE(status.value(u"run_id").toString(), kRun);
        QCOMPARE(status.value(u"llm_status").toString(), u"completed");
        QCOMPARE(status.value(u"job_status").toString(), u"PENDING_PROCESSING");
        QCOMPARE(status.value(u"provider").toObject().value(u"batch_id").toString(), batchId);
        QCOMPARE(status.value(u"request_counts").toObject().value(u"total").toInt(), 12);

        const HttpReply processed = api.post(jobPath(QStringLiteral("process-batch-results")));
        QCOMPARE(processed.status, 200);
        QCOMPARE(processed.json().value(u"status").toString(), u"processed");
        QCOMPARE(processed.json().value(u"results_saved").toInt(), 12);
        QCOMPARE(processed.json().value(u"errors").toInt(), 0);
        const HttpReply repeated = api.post(jobPath(QStringLiteral("process-batch-results")));
        QCOMPARE(repeated.status, 200);
        QCOMPARE(repeated.json().value(u"status").toString(), u"skipped");
        QCOMPARE(repeated.json().value(u"results_saved").toInt(), 12);
        QCOMPARE(repeated.json().value(u"errors").toInt(), 0);

        const HttpReply done = api.get(jobPath(QStringLiteral("batch-job-status")));
        QCOMPARE(done.json().value(u"job_status").toString(), u"COMPLETED");
        QCOMPARE(done.json().value(u"outcome").toString(), u"success");

        const HttpReply page = api.get(jobPath(QStringLiteral("results")) + "?limit=5&offset=10");
        QCOMPARE(page.status, 200);
        QCOMPARE(page.json().value(u"total").toInt(), 12);
        QCOMPARE(page.json().value(u"results").toArray().size(), 2);
        QVERIFY(page.json().value(u"next_offset").isNull());
        const HttpReply first = api.get(jobPath(QStringLiteral("results")) + "?limit=5");
        QCOMPARE(first.json().value(u"next_offset").toInt(), 5);
        QVERIFY(first.json().value(u"results").toArray().first().toObject().value(u"content").toString().size() > 0);

        const HttpReply jsonl = api.get(jobPath(QStringLiteral("results")), {"Accept: application/x-ndjson"});
        QCOMPARE(jsonl.status, 200);
        QCOMPARE(jsonl.headers.value("content-type"), QByteArray("application/x-ndjson"));
        const QList<QByteArray> lines = jsonl.body.trimmed().split('\n');
        QCOMPARE(lines.size(), 12);
        QSet<QString> ids;
        for (const QByteArray& line : lines)
            ids.insert(QJsonDocument::fromJson(line).object().value(u"custom_id").toString());
        QCOMPARE(ids.size(), 12);

        const HttpReply detail = api.get(jobPath(QStringLiteral("batch-jobs")));
        QCOMPARE(detail.status, 200);
        QCOMPARE(detail.json().value(u"provider_batches").toArray().size(), 1);
        QVERIFY(detail.json().value(u"events").toArray().size() >= 4);
        QCOMPARE(detail.json().value(u"status").toObject().value(u"job_status").toString(), u"COMPLETED");
    }

    void airflowRunIdsWorkEncodedOrNot()
    {
        const QString run = QStringLiteral("scheduled__2026-12-03T00:00:00+00:00");
        importItems(run, 3);
        ApiClient api = client();
        const QByteArray plain = "/pipeline/" + run.toUtf8() + "/submit-batch/summarize";
        const HttpReply submitted = api.post(plain);
        QCOMPARE(submitted.status, 200);
        QCOMPARE(submitted.json().value(u"run_id").toString(), run);
        const HttpReply encoded = api.post(jobPath(QStringLiteral("submit-batch"), run));
        QCOMPARE(encoded.status, 200);
        QCOMPARE(encoded.json().value(u"status").toString(), u"skipped");
        // Lower-case escapes and a mix of both are the same run too.
        const HttpReply mixed =
            api.get("/pipeline/scheduled__2026-12-03T00%3a00:00%2b00:00/batch-job-status/summarize");
        QCOMPARE(mixed.status, 200);
        QCOMPARE(mixed.json().value(u"run_id").toString(), run);
    }

    void itemsAsJsonArrayOrJsonLines()
    {
        ApiClient api = client();
        const HttpReply array =
            api.post("/pipeline/r1/items?key=doc", R"([{"doc": "a", "text": "x"}, {"doc": 7, "text": "y"}])");
        QCOMPARE(array.status, 200);
        QCOMPARE(array.json().value(u"items").toInt(), 2);
        const HttpReply lines = api.post("/pipeline/r1/items", jsonlItems(3), "application/jsonl");
        QCOMPARE(lines.status, 200);
        QCOMPARE(lines.json().value(u"items").toInt(), 3);

        // A bad record imports nothing and is named by its line (its element for an array).
        const HttpReply bad =
            api.post("/pipeline/r2/items", R"([{"id": "a"}, {"text": "no id"}, 5, {"id": "a"}])", "application/json");
        QCOMPARE(bad.status, 400);
        QCOMPARE(bad.errorCode(), u"invalid_items");
        QVERIFY2(bad.errorMessage().contains(u"line 2") && bad.errorMessage().contains(u"line 3") &&
                     bad.errorMessage().contains(u"line 4"),
                 qPrintable(bad.errorMessage()));
        QCOMPARE(api.get("/pipeline/r2/jobs").json().value(u"jobs").toArray().size(), 0);
        const HttpReply submit = api.post("/pipeline/r2/submit-batch/summarize");
        QCOMPARE(submit.status, 422);
        QCOMPARE(submit.errorCode(), u"nothing_to_submit");
    }

    void jobListFiltersPagesAndFeed()
    {
        importItems(QStringLiteral("run-a"), 2);
        importItems(QStringLiteral("run-b"), 2);
        ApiClient api = client();
        QCOMPARE(api.post("/pipeline/run-a/submit-batch/summarize").status, 200);
        QCOMPARE(api.post("/pipeline/run-b/submit-batch/summarize").status, 200);
        QCOMPARE(api.post("/pipeline/run-b/submit-batch/classify").status, 200);

        const HttpReply all = api.get("/jobs");
        QCOMPARE(all.status, 200);
        QCOMPARE(all.json().value(u"jobs").toArray().size(), 3);
        const HttpReply runB = api.get("/jobs?run_id=run-b");
        QCOMPARE(runB.json().value(u"jobs").toArray().size(), 2);
        const HttpReply keywords = api.get("/jobs?batch_type=classify&status=submitted");
        QCOMPARE(keywords.json().value(u"jobs").toArray().size(), 1);
        QCOMPARE(keywords.json().value(u"jobs").toArray().first().toObject().value(u"llm_status").toString(),
                 u"in_progress");
        const HttpReply pageOne = api.get("/jobs?limit=2");
        QCOMPARE(pageOne.json().value(u"jobs").toArray().size(), 2);
        QCOMPARE(pageOne.json().value(u"next_offset").toInt(), 2);
        const HttpReply pageTwo = api.get("/jobs?limit=2&offset=2");
        QCOMPARE(pageTwo.json().value(u"jobs").toArray().size(), 1);
        QVERIFY(pageTwo.json().value(u"next_offset").isNull());
        QCOMPARE(api.get("/pipeline/run-b/jobs").json().value(u"jobs").toArray().size(), 2);

        // The feed: a full first read, then only what changed since its cursor.
        const HttpReply full = api.get("/jobs?since=0");
        QCOMPARE(full.status, 200);
        QVERIFY(full.json().value(u"full").toBool());
        QCOMPARE(full.json().value(u"jobs").toArray().size(), 3);
        QCOMPARE(full.json().value(u"counts").toObject().value(u"SUBMITTED").toInt(), 3);
        const qint64 cursor = full.json().value(u"cursor").toInteger();
        QVERIFY(cursor > 0);
        QCOMPARE(api.post("/pipeline/run-a/submit-batch/classify").status, 200);
        const HttpReply delta = api.get("/jobs?since=" + QByteArray::number(cursor));
        QCOMPARE(delta.status, 200);
        QVERIFY(!delta.json().value(u"full").toBool());
        bool sawNewJob = false;
        for (const QJsonValue& job : delta.json().value(u"jobs").toArray())
            sawNewJob |= job.toObject().value(u"run_id").toString() == u"run-a" &&
                         job.toObject().value(u"batch_type").toString() == u"classify";
        QVERIFY(sawNewJob);
        QVERIFY(delta.json().value(u"cursor").toInteger() >= cursor);
        QVERIFY(delta.json().value(u"removed_ids").toArray().isEmpty());

        // A filtered feed: a job whose status moves on leaves the view as a removed id.
        const HttpReply submitted = api.get("/jobs?since=0&status=submitted&run_id=run-b");
        QCOMPARE(submitted.status, 200);
        const QJsonArray watched = submitted.json().value(u"jobs").toArray();
        QCOMPARE(watched.size(), 2);
        const qint64 leaving = watched.first().toObject().value(u"job_id").toInteger();
        const qint64 filteredCursor = submitted.json().value(u"cursor").toInteger();
        TransitionRequest done;
        done.jobId = leaving;
        done.from = JobStatus::Submitted;
        done.to = JobStatus::PendingProcessing;
        done.actor = QStringLiteral("test");
        done.message = QStringLiteral("the provider finished");
        auto moved = JobStore(m_api->engine.db).transition(done);
        QVERIFY(moved && moved->applied);
        const HttpReply after =
            api.get("/jobs?since=" + QByteArray::number(filteredCursor) + "&status=SUBMITTED&run_id=run-b");
        QCOMPARE(after.status, 200);
        // Other jobs that changed lately and never matched may be listed too: a reader ignores ids it
        // does not hold. The one still watched is not.
        const QJsonArray removed = after.json().value(u"removed_ids").toArray();
        QVERIFY(removed.contains(QJsonValue(leaving)));
        QVERIFY(!removed.contains(watched.last().toObject().value(u"job_id")));
        for (const QJsonValue& job : after.json().value(u"jobs").toArray())
            QCOMPARE(job.toObject().value(u"job_status").toString(), u"SUBMITTED");
        QCOMPARE(api.get("/jobs?since=0&status=bogus").status, 400);
    }

    void retryAndCancelAsTheOperatorDoes()
    {
        importItems(kRun, 2);
        ApiClient api = client();
        // Cancelling a job that was never sent fails it at once, with the reason in its history.
        QCOMPARE(api.post(jobPath(QStringLiteral("submit-batch"), kRun, QStringLiteral("classify"))).status, 200);
        QVERIFY(JobStore(m_api->engine.db).createOrGet(kRun, kType, QStringLiteral("test")).ok());
        const HttpReply cancelled = api.post(jobPath(QStringLiteral("cancel-batch")), R"({"reason": "wrong prompt"})");
        QCOMPARE(cancelled.status, 200);
        QCOMPARE(cancelled.json().value(u"job_status").toString(), u"SUBMISSION_FAILED");
        QCOMPARE(cancelled.json().value(u"llm_status").toString(), u"failed");
        const HttpReply refused = api.post(jobPath(QStringLiteral("submit-batch")));
        QCOMPARE(refused.status, 409);
        QCOMPARE(refused.errorCode(), u"job_failed");

        const HttpReply retried = api.post(jobPath(QStringLiteral("retry-batch")), R"({"reason": "prompt fixed"})");
        QCOMPARE(retried.status, 200);
        QCOMPARE(retried.json().value(u"job_status").toString(), u"PENDING_SUBMISSION");
        QCOMPARE(retried.json().value(u"attempt").toInt(), 2);
        const HttpReply twice = api.post(jobPath(QStringLiteral("retry-batch")));
        QCOMPARE(twice.status, 409);
        QCOMPARE(twice.errorCode(), u"job_not_retryable");
        QVERIFY(twice.hasErrorEnvelope());

        const HttpReply detail = api.get(jobPath(QStringLiteral("batch-jobs")));
        QString history;
        for (const QJsonValue& event : detail.json().value(u"events").toArray())
            history += event.toObject().value(u"message").toString() + u'\n';
        QVERIFY2(history.contains(u"wrong prompt") && history.contains(u"prompt fixed"), qPrintable(history));

        // A submitted batch is cancelled at the provider.
        const QByteArray keywords = jobPath(QStringLiteral("cancel-batch"), kRun, QStringLiteral("classify"));
        const HttpReply atProvider = api.post(keywords);
        QCOMPARE(atProvider.status, 200);
        const QJsonObject end = pollUntilTerminal(kRun, QStringLiteral("classify"));
        QCOMPARE(end.value(u"outcome").toString(), u"cancelled");
        const HttpReply again = api.post(keywords);
        QCOMPARE(again.status, 409);
        QCOMPARE(again.errorCode(), u"job_not_cancellable");
    }

    void requestsAwaitingTheProviderDoNotHoldUpOthers()
    {
        importItems(kRun, 2);
        sim::SimulatorFaults faults;
        faults.stallMs = 4000;
        m_api->engine.simulator->setFaults(faults);
        ApiClient api = client();
        auto submit = api.start("POST", jobPath(QStringLiteral("submit-batch")));
        QTRY_COMPARE(m_api->server->requestsInFlight(), 1);
        // Answered while the submit still waits for the provider: it holds nothing up.
        for (int i = 0; i < 20; ++i) {
            QCOMPARE(api.get("/healthz").status, 200);
            QCOMPARE(api.get("/batch-types").status, 200);
        }
        QVERIFY2(!submit->isDone(), "the other requests were only answered after the provider's");
        const HttpReply submitted = submit->wait();
        QCOMPARE(submitted.status, 200);
        QCOMPARE(submitted.json().value(u"status").toString(), u"submitted");
    }

    void drainFinishesRequestsInFlightThenStops()
    {
        importItems(kRun, 2);
        sim::SimulatorFaults faults;
        faults.stallMs = 1500;
        m_api->engine.simulator->setFaults(faults);
        ApiClient api = client();
        auto submit = api.start("POST", jobPath(QStringLiteral("submit-batch")));
        QTRY_COMPARE(m_api->server->requestsInFlight(), 1);
        QSignalSpy drained(m_api->server.get(), &http::ApiServer::drained);
        m_api->server->drain();
        QCOMPARE(api.get("/healthz").status, 0); // no longer accepting
        QVERIFY(drained.isEmpty());
        const HttpReply submitted = submit->wait();
        QCOMPARE(submitted.status, 200);
        QVERIFY(drained.wait(5000) || drained.size() == 1);
    }

    void statusCacheAnswersPollsFromMemoryAndForgetsLocalChanges()
    {
        // A batch that stays in validating, and answers kept for a minute.
        m_api = std::make_unique<ApiFixture>();
        m_api->options.statusCacheMs = 60'000;
        m_api->engine.settings.statusIntervalMs = 60'000; // the provider answer is kept in the database too
        sim::SimulatorOptions slow;
        slow.phaseMs = 600'000;
        const QString failed = m_api->start(slow);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));

        importItems(kRun, 2);
        ApiClient api = client();
        QCOMPARE(api.post(jobPath(QStringLiteral("submit-batch"))).status, 200);
        // The first poll asks the provider (and the job changes with its answer); the next is kept.
        QCOMPARE(api.get(jobPath(QStringLiteral("batch-job-status"))).status, 200);
        const HttpReply first = api.get(jobPath(QStringLiteral("batch-job-status")));
        QCOMPARE(first.status, 200);
        const int served = m_api->engine.simulator->requestsServed();
        for (int i = 0; i < 50; ++i)
            QCOMPARE(api.get(jobPath(QStringLiteral("batch-job-status"))).body, first.body);
        QCOMPARE(m_api->engine.simulator->requestsServed(), served); // the provider was not asked again

        // A change this server makes shows at once.
        const HttpReply cancelled = api.post(jobPath(QStringLiteral("cancel-batch")));
        QCOMPARE(cancelled.status, 200);
        const HttpReply after = api.get(jobPath(QStringLiteral("batch-job-status")));
        QVERIFY(after.body != first.body);
        QCOMPARE(after.json().value(u"provider").toObject().value(u"status").toString(), u"cancelling");
    }

    void metricsCountRequestsJobsAndProviderCalls()
    {
        importItems(kRun, 3);
        ApiClient api = client();
        QCOMPARE(api.post(jobPath(QStringLiteral("submit-batch"))).status, 200);
        pollUntilTerminal(kRun);
        QCOMPARE(api.post(jobPath(QStringLiteral("process-batch-results"))).status, 200);
        QCOMPARE(api.get("/no/such/route").status, 404);
        const HttpReply metrics = api.get("/metrics");
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.headers.value("content-type").startsWith("text/plain; version=0.0.4"));
        const QByteArray text = metrics.body;
        for (const char* line : {"batchdeck_ready 1",
                                 "batchdeck_jobs{status=\"COMPLETED\"} 1",
                                 "batchdeck_jobs{status=\"SUBMITTED\"} 0",
                                 "batchdeck_results_stored{kind=\"ok\"} 3",
                                 "batchdeck_provider_calls_total{operation=\"create batch\",outcome=\"ok\"} 1",
                                 "batchdeck_http_requests_total{method=\"POST\",route=\"/pipeline/{run_id}/"
                                 "submit-batch/{batch_type}\",code=\"200\"} 1",
                                 "batchdeck_http_requests_total{method=\"GET\",route=\"-\",code=\"404\"} 1",
                                 "# TYPE batchdeck_http_request_duration_seconds histogram",
                                 "batchdeck_http_requests_in_flight 1",
                                 "batchdeck_provider_call_duration_seconds_count{operation=\"upload file\"} 1"})
            QVERIFY2(text.contains(line), line);
        // Every sample line is "name{labels} value" or "name value".
        for (const QByteArray& line : text.split('\n')) {
            if (line.isEmpty() || line.startsWith('#'))
                continue;
            bool numeric = false;
            line.split(' ').last().toDouble(&numeric);
            QVERIFY2(numeric, line.constData());
        }
    }

    void openApiDocumentMatchesTheRoutes()
    {
        ApiClient api = client();
        const HttpReply reply = api.get("/openapi.json");
        QCOMPARE(reply.status, 200);
        const QJsonObject document = reply.json();
        QCOMPARE(document.value(u"openapi").toString(), u"3.0.3");
        const QJsonObject paths = document.value(u"paths").toObject();
        const QJsonObject schemas = document.value(u"components").toObject().value(u"schemas").toObject();

        QSet<QString> documented;
        for (auto path = paths.begin(); path != paths.end(); ++path) {
            const QJsonObject operations = path.value().toObject();
            for (auto operation = operations.begin(); operation != operations.end(); ++operation)
                documented.insert(operation.key().toUpper() + u' ' + path.key());
        }
        QSet<QString> routed;
        for (const http::RouteTable::Entry& entry : m_api->server->router().table().entries())
            routed.insert(QString::fromLatin1(entry.method) + u' ' + entry.pattern);
        QCOMPARE(documented, routed);

        // Every documented operation exists on the live server, with its documented parameters,
        // and every $ref points at a schema that exists.
        importItems(kRun, 1);
        for (auto path = paths.begin(); path != paths.end(); ++path) {
            QByteArray concrete = path.key().toUtf8();
            concrete.replace("{run_id}", encodeSegment(kRun)).replace("{batch_type}", kType.toUtf8());
            const QJsonObject operations = path.value().toObject();
            for (auto operation = operations.begin(); operation != operations.end(); ++operation) {
                const QJsonObject op = operation.value().toObject();
                QVERIFY(!op.value(u"summary").toString().isEmpty());
                QVERIFY(op.value(u"responses").toObject().contains(u"200"));
                const HttpReply answer = api.send(operation.key().toUpper().toLatin1(), concrete);
                QVERIFY2(answer.status != 0 && answer.status != 405 && answer.errorCode() != u"route_not_found",
                         qPrintable(operation.key() + u' ' + path.key()));
                // A query parameter the document names is one the route takes.
                for (const QJsonValue& parameter : op.value(u"parameters").toArray()) {
                    if (parameter.toObject().value(u"in").toString() != u"query")
                        continue;
                    const QByteArray name = parameter.toObject().value(u"name").toString().toUtf8();
                    const HttpReply withParameter =
                        api.send(operation.key().toUpper().toLatin1(), concrete + '?' + name + "=1");
                    QVERIFY2(withParameter.errorCode() != u"unknown_parameter", name.constData());
                }
            }
            const HttpReply patch = api.send("PATCH", concrete);
            QCOMPARE(patch.status, 405);
            QVERIFY(!patch.headers.value("allow").isEmpty());
        }
        const QByteArray text = reply.body;
        qsizetype at = 0;
        while ((at = text.indexOf("#/components/schemas/", at)) >= 0) {
            at += 21;
            const qsizetype end = text.indexOf('"', at);
            const QString name = QString::fromUtf8(text.mid(at, end - at));
            QVERIFY2(schemas.contains(name), qPrintable(name));
        }
    }
};

QTEST_GUILESS_MAIN(ApiServerTest)
#include "tst_apiserver.moc"
