// Every error the API answers, through real sockets: each status code of the routes, more than forty
// malformed requests (bad JSON, wrong types, huge bodies, bad percent-encoding, unknown routes,
// missing and wrong tokens, path tricks, SQL-looking and unicode ids) each with its 4xx and the
// {"error": {"code", "message"}} envelope and the server healthy after every one, provider trouble
// (502/503 with Retry-After), a database gone (503 with Retry-After), and readiness.
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryFile>
#include <QTest>

#include "ApiFixture.h"
#include "http/ApiErrors.h"
#include "http/BearerAuth.h"
#include "http/PathSegments.h"
#include "store/Database.h"
#include "store/JobStore.h"

using namespace batchdeck;
using namespace batchdeck::test;

namespace {

const QByteArray kToken = "test-token-0123456789";

QByteArray request(const QByteArray& method,
                   const QByteArray& target,
                   const QByteArray& body = {},
                   const QByteArray& extraHeaders = {},
                   bool withToken = true)
{
    QByteArray bytes = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (withToken)
        bytes += "Authorization: Bearer " + kToken + "\r\n";
    bytes += extraHeaders;
    if (!body.isEmpty() || method == "POST")
        bytes += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    return bytes + "\r\n" + body;
}

QByteArray json(const QByteArray& method, const QByteArray& target, const QByteArray& body)
{
    return request(method, target, body, "Content-Type: application/json\r\n");
}

} // namespace

class ApiErrorsTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ApiFixture> m_api;

    void startApi(sim::SimulatorOptions simulator = ServiceFixture::fastSimulator(), bool withEngine = true)
    {
        m_api = std::make_unique<ApiFixture>();
        m_api->token = kToken;
        m_api->options.maxBodyBytes = 1024 * 1024;
        const QString failed = m_api->start(simulator, withEngine);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
    }

    void importItems(const QString& run, int count) { QVERIFY(m_api->engine.importItems(run, count)); }

private Q_SLOTS:
    void init() { startApi(); }
    void cleanup() { m_api.reset(); }

    void malformedRequestsGetTheirStatusAndEnvelope_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");

        const QByteArray status = "/pipeline/r1/batch-job-status/summarize";
        const QByteArray process = "/pipeline/r1/process-batch-results/summarize";
        const QByteArray retry = "/pipeline/r1/retry-batch/summarize";
        const QByteArray items = "/pipeline/r1/items";
        const auto row = [](const char* name, const QByteArray& bytes, int code, const char* errorCode) {
            QTest::newRow(name) << bytes << code << QString::fromLatin1(errorCode);
        };

        // Tokens.
        row("no token", request("GET", "/jobs", {}, {}, false), 401, "missing_token");
        row("wrong token", request("GET", "/jobs", {}, "Authorization: Bearer nope\r\n", false), 401, "invalid_token");
        row("token of another case",
            request("GET", "/jobs", {}, "Authorization: Bearer TEST-TOKEN-0123456789\r\n", false),
            401,
            "invalid_token");
        row("basic auth",
            request("GET", "/jobs", {}, "Authorization: Basic dXNlcjpwYXNz\r\n", false),
            401,
            "missing_token");
        row("bearer without token",
            request("GET", "/jobs", {}, "Authorization: Bearer \r\n", false),
            401,
            "missing_token");
        row("token prefix only",
            request("GET", "/jobs", {}, "Authorization: Bearer test-token\r\n", false),
            401,
            "invalid_token");
        row("no token on an unknown route", request("GET", "/admin", {}, {}, false), 401, "missing_token");

        // Routes and methods.
        row("unknown route", request("GET", "/nope"), 404, "route_not_found");
        row("unknown pipeline route", request("GET", "/pipeline/r1/unknown/summarize"), 404, "route_not_found");
        row("empty segment", request("GET", "/pipeline//jobs"), 404, "route_not_found");
        row("trailing slash", request("GET", "/jobs/"), 404, "route_not_found");
        row("delete jobs", request("DELETE", "/jobs"), 405, "method_not_allowed");
        row("get on submit", request("GET", "/pipeline/r1/submit-batch/summarize"), 405, "method_not_allowed");
        row("post on status", request("POST", status), 405, "method_not_allowed");
        row("put on healthz", request("PUT", "/healthz"), 405, "method_not_allowed");

        // Bodies.
        row("bad json", json("POST", process, R"({"harvest": tru)"), 400, "invalid_json");
        row("json array instead of object", json("POST", process, "[true]"), 400, "invalid_json");
        row("json string instead of object", json("POST", retry, R"("please")"), 400, "invalid_json");
        row("json trailing garbage", json("POST", retry, R"({} x)"), 400, "invalid_json");
        row("json nested too deep",
            json("POST", process, QByteArray(2000, '[') + QByteArray(2000, ']')),
            400,
            "invalid_json");
        row("harvest as string", json("POST", process, R"({"harvest": "yes"})"), 400, "invalid_field");
        row("harvest as number", json("POST", process, R"({"harvest": 1})"), 400, "invalid_field");
        row("misspelt field", json("POST", process, R"({"harvst": true})"), 400, "unknown_field");
        row("reason as number", json("POST", retry, R"({"reason": 5})"), 400, "invalid_field");
        row("reason too long",
            json("POST", retry, R"({"reason": ")" + QByteArray(1500, 'x') + R"("})"),
            400,
            "invalid_field");
        row("body on submit",
            json("POST", "/pipeline/r1/submit-batch/summarize", R"({"force": true})"),
            400,
            "unknown_field");
        row("text body",
            request("POST", process, "harvest", "Content-Type: text/plain\r\n"),
            415,
            "unsupported_media_type");
        row("items as csv",
            request("POST", items, "id,text\n1,a\n", "Content-Type: text/csv\r\n"),
            415,
            "unsupported_media_type");
        row("items without content type", request("POST", items, "[]"), 415, "unsupported_media_type");
        row("items object not array", json("POST", items, R"({"id": "a"})"), 400, "invalid_json");
        row("items broken json", json("POST", items, R"([{"id": )"), 400, "invalid_json");
        row("items empty", request("POST", items, {}, "Content-Type: application/json\r\n"), 400, "invalid_items");
        row("items bad jsonl line",
            request("POST", items, "{\"id\":\"a\"}\nnot json\n", "Content-Type: application/x-ndjson\r\n"),
            400,
            "invalid_items");
        row("items without keys", json("POST", items, R"([{"text": "no id"}])"), 400, "invalid_items");
        row("body over the limit",
            request("POST", items, {}, "Content-Type: application/json\r\nContent-Length: 5000000\r\n")
                .replace("Content-Length: 0\r\n", ""),
            413,
            "body_too_large");
        row("chunked body over the limit",
            request("POST", items, {}, "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n")
                    .replace("Content-Length: 0\r\n", "") +
                "200000\r\n" + QByteArray(0x200000, 'x') + "\r\n0\r\n\r\n",
            413,
            "body_too_large");

        // Paths: percent-encoding, traversal, control characters, lengths, SQL, unicode.
        row("bad percent escape", request("GET", "/pipeline/%zz/jobs"), 400, "invalid_path");
        row("truncated percent escape", request("GET", "/pipeline/abc%2/jobs"), 400, "invalid_path");
        row("encoded NUL", request("GET", "/pipeline/a%00b/jobs"), 400, "invalid_path");
        row("not UTF-8", request("GET", "/pipeline/a%C3%28/jobs"), 400, "invalid_path");
        row("encoded slash in run id", request("GET", "/pipeline/a%2Fb/jobs"), 400, "invalid_run_id");
        row("dot dot run id", request("GET", "/pipeline/../jobs"), 400, "invalid_run_id");
        row("encoded dot dot", request("GET", "/pipeline/%2e%2e/jobs"), 400, "invalid_run_id");
        row("dot dot inside run id", request("GET", "/pipeline/a..b/jobs"), 400, "invalid_run_id");
        row("newline in run id", request("GET", "/pipeline/a%0Ab/jobs"), 400, "invalid_run_id");
        row("tab in run id", request("GET", "/pipeline/a%09b/jobs"), 400, "invalid_run_id");
        row("space in run id", request("GET", "/pipeline/a%20b/jobs"), 400, "invalid_run_id");
        row("run id of 201 characters",
            request("GET", "/pipeline/" + QByteArray(201, 'r') + "/jobs"),
            400,
            "invalid_run_id");
        row("sql run id", request("GET", "/pipeline/r1'%3BDROP%20TABLE%20runs%3B--/jobs"), 400, "invalid_run_id");
        row("sql batch type", request("GET", "/pipeline/r1/batch-job-status/summarize'--"), 400, "invalid_batch_type");
        row("sql in query", request("GET", "/jobs?run_id=x'%20OR%20'1'%3D'1"), 400, "invalid_run_id");
        row("unicode run id", request("GET", "/pipeline/caf%C3%A9/jobs"), 400, "invalid_run_id");
        row("emoji run id", request("GET", "/pipeline/%F0%9F%8E%89/jobs"), 400, "invalid_run_id");
        row("upper-case batch type",
            request("GET", "/pipeline/r1/batch-job-status/Summarize"),
            400,
            "invalid_batch_type");
        row("batch type of 65 characters",
            request("GET", "/pipeline/r1/batch-job-status/" + QByteArray(65, 'b')),
            400,
            "invalid_batch_type");
        row("relative target", request("GET", "jobs"), 400, "invalid_path");
        row("absolute-form target", request("GET", "http://127.0.0.1/jobs"), 400, "invalid_path");

        // Query parameters.
        row("unknown query parameter", request("GET", status + "?force=1"), 400, "unknown_parameter");
        row("limit zero", request("GET", "/jobs?limit=0"), 400, "invalid_parameter");
        row("limit not a number", request("GET", "/jobs?limit=ten"), 400, "invalid_parameter");
        row("limit too large", request("GET", "/jobs?limit=100000"), 400, "invalid_parameter");
        row("negative offset", request("GET", "/jobs?offset=-1"), 400, "invalid_parameter");
        row("unknown status filter", request("GET", "/jobs?status=DONE"), 400, "invalid_parameter");
        row("negative cursor", request("GET", "/jobs?since=-5"), 400, "invalid_parameter");
        row("full not a boolean", request("GET", "/jobs?since=0&full=maybe"), 400, "invalid_parameter");
        row("results kind", request("GET", "/pipeline/r1/results/summarize?kind=bad"), 400, "invalid_parameter");
        row("results format", request("GET", "/pipeline/r1/results/summarize?format=xml"), 400, "invalid_parameter");

        // Names that are valid but unknown.
        row("unknown batch type", request("POST", "/pipeline/r1/submit-batch/nosuchtype"), 404, "unknown_batch_type");
        row("unknown job", request("GET", "/pipeline/nosuchrun/batch-job-status/summarize"), 404, "job_not_found");
        row("process unknown job",
            request("POST", "/pipeline/nosuchrun/process-batch-results/summarize"),
            404,
            "job_not_found");

        // HTTP itself.
        row("garbage request line", "GARBAGE\r\n\r\n", 400, "bad_request");
        row("http/2 request line", "GET /jobs HTTP/2.0\r\n\r\n", 400, "bad_request");
        row("bad content length",
            request("POST", items, {}, "Content-Length: abc\r\n").replace("Content-Length: 0\r\n", ""),
            400,
            "bad_request");
        row("bad chunk size",
            request("POST", items, {}, "Transfer-Encoding: chunked\r\n").replace("Content-Length: 0\r\n", "") +
                "zz\r\n",
            400,
            "bad_request");
        row("headers too large",
            "GET /jobs HTTP/1.1\r\nX-Big: " + QByteArray(70 * 1024, 'a') + "\r\n\r\n",
            431,
            "headers_too_large");
    }

    void malformedRequestsGetTheirStatusAndEnvelope()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        QFETCH(QString, code);
        ApiClient api = m_api->client();
        const HttpReply reply = api.raw(bytes);
        QCOMPARE(reply.status, status);
        QVERIFY2(reply.hasErrorEnvelope(), reply.body.constData());
        QCOMPARE(reply.errorCode(), code);
        QCOMPARE(reply.headers.value("content-type"), QByteArray("application/json"));
        if (status == 401)
            QVERIFY(reply.headers.value("www-authenticate").startsWith("Bearer"));
        if (status == 405)
            QVERIFY(!reply.headers.value("allow").isEmpty());
        // Still healthy, and still serving the real routes.
        QCOMPARE(api.get("/healthz").status, 200);
        QCOMPARE(api.get("/jobs").status, 200);
    }

    void manyMalformedRequestsInARowLeaveTheServerHealthy()
    {
        importItems(QStringLiteral("r1"), 3);
        ApiClient api = m_api->client();
        QCOMPARE(api.post("/pipeline/r1/submit-batch/summarize").status, 200);
        for (int i = 0; i < 200; ++i)
            QCOMPARE(api.raw(request("GET", "/pipeline/%zz" + QByteArray::number(i) + "/jobs")).status, 400);
        const HttpReply status = api.get("/pipeline/r1/batch-job-status/summarize");
        QCOMPARE(status.status, 200);
        QCOMPARE(status.json().value(u"run_id").toString(), u"r1");
    }

    void seedRoutesAnswerEveryStatusOfTheDesign()
    {
        ApiClient api = m_api->client();
        const QByteArray submit = "/pipeline/r1/submit-batch/summarize";
        // 422: nothing to submit.
        const HttpReply empty = api.post(submit);
        QCOMPARE(empty.status, 422);
        QCOMPARE(empty.errorCode(), u"nothing_to_submit");
        QVERIFY(empty.hasErrorEnvelope());

        // 409 with Retry-After while another caller holds the submit lease.
        importItems(QStringLiteral("r1"), 3);
        JobStore jobs(m_api->engine.db);
        auto job = jobs.createOrGet(QStringLiteral("r1"), QStringLiteral("summarize"), QStringLiteral("test"));
        QVERIFY(job.ok());
        QVERIFY(*jobs.takeLease(job->id, QStringLiteral("another-server:1:abc"), 60'000));
        const HttpReply busy = api.post(submit);
        QCOMPARE(busy.status, 409);
        QCOMPARE(busy.errorCode(), u"submission_in_progress");
        QVERIFY(busy.headers.value("retry-after").toInt() > 0);
        QVERIFY(busy.hasErrorEnvelope());
        QVERIFY(*jobs.releaseLease(job->id, QStringLiteral("another-server:1:abc")));

        // 200 submitted, then 409 job_not_ready naming the status while the batch runs.
        const HttpReply submitted = api.post(submit);
        QCOMPARE(submitted.status, 200);
        const HttpReply early = api.post("/pipeline/r1/process-batch-results/summarize");
        if (early.status == 409) {
            QCOMPARE(early.errorCode(), u"job_not_ready");
            QVERIFY2(early.errorMessage().contains(u"SUBMITTED"), qPrintable(early.errorMessage()));
        } else {
            QCOMPARE(early.status, 200); // the simulator was faster than this line
        }
        // 404 for an unknown batch type and an unknown job, on every job route.
        for (const QByteArray route :
             {"batch-job-status", "process-batch-results", "retry-batch", "cancel-batch", "batch-jobs", "results"}) {
            const QByteArray method = route == "batch-job-status" || route == "batch-jobs" || route == "results"
                                          ? QByteArray("GET")
                                          : QByteArray("POST");
            const HttpReply unknownJob = api.send(method, "/pipeline/none/" + route + "/summarize");
            QCOMPARE(unknownJob.status, 404);
            QCOMPARE(unknownJob.errorCode(), u"job_not_found");
        }
    }

    void providerTroubleIs503WithRetryAfterThen200()
    {
        importItems(QStringLiteral("r1"), 3);
        sim::SimulatorFaults faults;
        faults.fail500Ratio = 1.0;
        m_api->engine.simulator->setFaults(faults);
        ApiClient api = m_api->client();
        const HttpReply down = api.post("/pipeline/r1/submit-batch/summarize");
        QCOMPARE(down.status, 503);
        QCOMPARE(down.errorCode(), u"provider_unavailable");
        QVERIFY(down.headers.value("retry-after").toInt() > 0);
        QVERIFY(down.hasErrorEnvelope());
        // The job waits for the next try; once the provider is back it goes out.
        m_api->engine.simulator->setFaults({});
        const HttpReply up = api.post("/pipeline/r1/submit-batch/summarize");
        QCOMPARE(up.status, 200);
        QCOMPARE(up.json().value(u"status").toString(), u"submitted");
    }

    void providerRefusalIs502()
    {
        sim::SimulatorOptions options = ServiceFixture::fastSimulator();
        options.apiKey = QStringLiteral("sk-not-the-fixtures-key");
        startApi(options);
        importItems(QStringLiteral("r1"), 2);
        const HttpReply refused = m_api->client().post("/pipeline/r1/submit-batch/summarize");
        QCOMPARE(refused.status, 502);
        QCOMPARE(refused.errorCode(), u"provider_error");
        QVERIFY(refused.hasErrorEnvelope());
        QVERIFY(!refused.headers.contains("retry-after"));
        const HttpReply status = m_api->client().get("/pipeline/r1/batch-job-status/summarize");
        QCOMPARE(status.status, 200);
        QCOMPARE(status.json().value(u"llm_status").toString(), u"failed");
        QVERIFY(status.json().value(u"error").isObject());
    }

    void databaseTroubleIs503WithRetryAfter()
    {
        importItems(QStringLiteral("r1"), 2);
        ApiClient api = m_api->client();
        QCOMPARE(api.post("/pipeline/r1/submit-batch/summarize").status, 200);
        auto connection = m_api->engine.db->connection();
        QVERIFY(connection.ok());
        QSqlQuery away(*connection);
        QVERIFY2(away.exec(QStringLiteral("ALTER TABLE pipeline_batch_jobs RENAME TO jobs_away")),
                 qPrintable(away.lastError().text()));
        const HttpReply down = api.get("/pipeline/r1/batch-job-status/summarize");
        QSqlQuery back(*connection);
        QVERIFY(back.exec(QStringLiteral("ALTER TABLE jobs_away RENAME TO pipeline_batch_jobs")));
        QCOMPARE(down.status, 503);
        QVERIFY(down.headers.value("retry-after").toInt() > 0);
        QVERIFY(down.hasErrorEnvelope());
        QCOMPARE(api.get("/pipeline/r1/batch-job-status/summarize").status, 200);
    }

    void notReadyUntilTheDatabaseIsOpen()
    {
        startApi(ServiceFixture::fastSimulator(), false);
        ApiClient api = m_api->client();
        const HttpReply health = ApiClient(m_api->server->port()).get("/healthz"); // no token needed
        QCOMPARE(health.status, 503);
        QCOMPARE(health.errorCode(), u"not_ready");
        QVERIFY(health.headers.value("retry-after").toInt() > 0);
        const HttpReply status = api.get("/pipeline/r1/batch-job-status/summarize");
        QCOMPARE(status.status, 503);
        QCOMPARE(status.errorCode(), u"not_ready");
        QCOMPARE(api.get("/openapi.json").status, 200);
        QCOMPARE(api.get("/metrics").status, 200);
        QVERIFY(api.get("/metrics").body.contains("batchdeck_ready 0"));

        m_api->server->setEngine(*m_api->engine.service, m_api->engine.provider.get());
        QCOMPARE(ApiClient(m_api->server->port()).get("/healthz").status, 200);
        QCOMPARE(api.get("/pipeline/r1/batch-job-status/summarize").status, 404);
    }

    void refusesNonLoopbackWithoutToken()
    {
        http::ApiServer open(http::ApiServerOptions{});
        auto refused = open.listen(QHostAddress::AnyIPv4, 0);
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message.contains(u"BATCHDECK_API_TOKEN"));
        QVERIFY(open.listen(QHostAddress::LocalHost, 0).ok());
        http::ApiServerOptions withToken;
        withToken.token = "secret";
        http::ApiServer guarded(withToken);
        QVERIFY(guarded.listen(QHostAddress::AnyIPv4, 0).ok());
    }

    void tokenComesFromFileOrEnvironment()
    {
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write("  from-file \nsecond line\n");
        file.flush();
        QCOMPARE(*http::BearerAuth::tokenFrom(file.fileName(), "from-env"), QByteArray("from-file"));
        QCOMPARE(*http::BearerAuth::tokenFrom(QString(), "from-env\n"), QByteArray("from-env"));
        QVERIFY(!http::BearerAuth::tokenFrom(QStringLiteral("/no/such/file"), {}).ok());
        QTemporaryFile empty;
        QVERIFY(empty.open());
        QVERIFY(!http::BearerAuth::tokenFrom(empty.fileName(), "from-env").ok());

        const http::BearerAuth auth("s3cret");
        QCOMPARE(auth.check("Bearer s3cret"), http::BearerAuth::Outcome::Allowed);
        QCOMPARE(auth.check("bearer s3cret"), http::BearerAuth::Outcome::Allowed);
        QCOMPARE(auth.check("Bearer s3cre"), http::BearerAuth::Outcome::Wrong);
        QCOMPARE(auth.check("Bearer s3cret2"), http::BearerAuth::Outcome::Wrong);
        QCOMPARE(auth.check(""), http::BearerAuth::Outcome::Missing);
        QVERIFY(http::constantTimeEquals("abc", "abc"));
        QVERIFY(!http::constantTimeEquals("abc", "abd"));
        QVERIFY(!http::constantTimeEquals("abc", "ab"));
    }

    void oneMappingFromEngineErrorsToStatuses()
    {
        const auto status = [](ErrorKind kind, const char* code) {
            return http::httpStatusFor(makeError(kind, QString::fromLatin1(code), QStringLiteral("m")));
        };
        QCOMPARE(status(ErrorKind::NotFound, "unknown_batch_type"), 404);
        QCOMPARE(status(ErrorKind::NotFound, "job_not_found"), 404);
        QCOMPARE(status(ErrorKind::Conflict, "submission_in_progress"), 409);
        QCOMPARE(status(ErrorKind::Conflict, "job_not_ready"), 409);
        QCOMPARE(status(ErrorKind::Conflict, "job_failed"), 409);
        QCOMPARE(status(ErrorKind::InvalidInput, "nothing_to_submit"), 422);
        QCOMPARE(status(ErrorKind::InvalidInput, "render_failed"), 422);
        QCOMPARE(status(ErrorKind::InvalidInput, "over_provider_limit"), 422);
        QCOMPARE(status(ErrorKind::InvalidInput, ""), 400);
        QCOMPARE(status(ErrorKind::Database, ""), 503);
        QCOMPARE(status(ErrorKind::ProviderTransient, ""), 503);
        QCOMPARE(status(ErrorKind::ProviderPermanent, ""), 502);
        QCOMPARE(status(ErrorKind::Io, ""), 500);
        QCOMPARE(status(ErrorKind::Internal, ""), 500);
        // Messages never start with a digit (Airflow reads that as a status code).
        const http::HttpResponse response =
            http::errorResponse(makeError(ErrorKind::ProviderTransient, QStringLiteral("429 Too Many Requests")));
        const QString message =
            QJsonDocument::fromJson(response.body)[QStringLiteral("error")][QStringLiteral("message")].toString();
        QVERIFY2(!message.front().isDigit(), qPrintable(message));
        QCOMPARE(response.header("retry-after"), QByteArray("30"));
    }

    void pathSegmentsAreSplitBeforeDecoding()
    {
        QCOMPARE(*http::decodePathSegments("/pipeline/a%2Fb/jobs"),
                 (QStringList{QStringLiteral("pipeline"), QStringLiteral("a/b"), QStringLiteral("jobs")}));
        QCOMPARE(*http::decodePathSegments("/pipeline/x%3A1%2B0/y"),
                 (QStringList{QStringLiteral("pipeline"), QStringLiteral("x:1+0"), QStringLiteral("y")}));
        QCOMPARE(*http::decodePathSegments("/"), QStringList());
        QCOMPARE(*http::decodePathSegments("/a//b/"),
                 (QStringList{QStringLiteral("a"), QString(), QStringLiteral("b"), QString()}));
        QVERIFY(!http::decodePathSegments("/a%4").ok());
        QVERIFY(!http::decodePathSegments("a/b").ok());
    }
};

QTEST_GUILESS_MAIN(ApiErrorsTest)
#include "tst_apierrors.moc"
