// BatchService::submitFile and the ready-file check: a ready .jsonl request file goes out as it is,
// through the same submit steps (lease, adoption trace, limits, metadata); a bad file is refused by
// line number before anything is uploaded or a job exists. The real simulator over loopback, the
// backend of BATCHDECK_TEST_BACKEND.
#include "ServiceFixture.h"
#include "service/RequestFileCheck.h"
#include "store/ResultStore.h"

using namespace batchdeck;
using namespace batchdeck::test;

namespace {

const QString kRun = QStringLiteral("manual__2026-12-04T10:00:00+00:00");
const QString kActor = QStringLiteral("test");

QByteArray requestLine(const QString& id, const QString& url = QStringLiteral("/v1/chat/completions"))
{
    return QStringLiteral(R"({"custom_id":"%1","method":"POST","url":"%2","body":{"model":"gpt-4o-mini",)"
                          R"("messages":[{"role":"user","content":"Say hello to %1"}]}})")
        .arg(id, url)
        .toUtf8();
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& content)
{
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(content);
    return file.fileName();
}

} // namespace

class SubmitFileTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theCheckNamesEachBadLine()
    {
        QTemporaryDir dir;
        const QByteArray content = requestLine(QStringLiteral("a")) + '\n' + requestLine(QStringLiteral("a")) + '\n' +
                                   "[1,2]\n" + "\n" + R"({"custom_id":"","method":"PUT","url":"/v1/nope","body":3})" +
                                   '\n' + requestLine(QStringLiteral("e"), QStringLiteral("/v1/embeddings")) + '\n';
        const QString path = writeFile(dir, QStringLiteral("requests.jsonl"), content);
        auto report = checkRequestFile(path, {}, 2);
        QVERIFY(report.ok());
        QVERIFY(!report->ok());
        QStringList problems;
        for (const RequestLineProblem& problem : report->problems)
            problems << QStringLiteral("%1: %2").arg(problem.line).arg(problem.message);
        const QString all = problems.join(u'\n');
        QVERIFY2(all.contains(QStringLiteral("2: custom_id 'a' is used again (first on line 1)")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("3: not a JSON object")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("4: blank line")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("5: custom_id must be a non-empty string")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("5: method must be \"POST\"")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("5: url must be one of")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("5: body must be a JSON object")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("6: url /v1/embeddings differs from /v1/chat/completions")),
                 qPrintable(all));
        QCOMPARE(report->requests, 5);
        QCOMPARE(report->firstLines.size(), 2);
        QCOMPARE(report->url, QStringLiteral("/v1/chat/completions"));

        // Over the provider's limits.
        auto limited = checkRequestFile(path, RequestFileLimits{3, 1'000'000});
        QVERIFY(limited->summary(100).contains(QStringLiteral("5 requests: the provider takes at most 3 per batch")));
    }

    void aReadyFileIsSubmittedAsItIs()
    {
        ServiceFixture f;
        QCOMPARE(f.start(), QString());
        QByteArray content;
        for (int i = 1; i <= 4; ++i)
            content += requestLine(QStringLiteral("req-%1").arg(i)) + '\n';
        const QString path = writeFile(f.dir, QStringLiteral("ready.jsonl"), content);

        auto submitted = QCoro::waitFor(f.service->submitFile(kRun, QStringLiteral("summarize"), path, kActor));
        QVERIFY2(submitted.ok(), qPrintable(submitted.ok() ? QString() : submitted.error().message));
        QVERIFY(!submitted->skipped);
        QCOMPARE(submitted->requests, 4);
        QCOMPARE(submitted->job.status, JobStatus::Submitted);
        const auto simulated = f.simulator->batch(submitted->job.llmBatchId);
        QVERIFY(simulated.has_value());
        QCOMPARE(simulated->metadata.value(QStringLiteral("batchdeck_job_id")).toString(),
                 QString::number(submitted->job.id));
        QCOMPARE(simulated->metadata.value(QStringLiteral("batchdeck_batch_type")).toString(),
                 QStringLiteral("summarize"));
        // The file is left where it was; the service sent a copy.
        QVERIFY(QFile::exists(path));

        // A second submit of the same job is a skip, as for rendered requests.
        auto again = QCoro::waitFor(f.service->submitFile(kRun, QStringLiteral("summarize"), path, kActor));
        QVERIFY(again.ok());
        QVERIFY(again->skipped);
        QCOMPARE(f.simulator->batchesCreated(), 1);

        // Its results come back under the file's custom_ids.
        QCOMPARE(f.waitUntilTerminal(kRun, QStringLiteral("summarize")).value(QStringLiteral("job_status")).toString(),
                 QStringLiteral("PENDING_PROCESSING"));
        auto processed = QCoro::waitFor(f.service->process(kRun, QStringLiteral("summarize"), kActor));
        QVERIFY(processed.ok());
        QCOMPARE(processed->resultsSaved, 4);
        const auto results = *ResultStore(f.db).list(processed->job.id);
        QCOMPARE(results.first().customId, QStringLiteral("req-1"));
    }

    void aBadFileUploadsNothingAndMakesNoJob()
    {
        ServiceFixture f;
        QCOMPARE(f.start(), QString());
        const QByteArray content = requestLine(QStringLiteral("x")) + '\n' + "{\"custom_id\":\"y\"\n";
        const QString path = writeFile(f.dir, QStringLiteral("bad.jsonl"), content);
        auto refused = QCoro::waitFor(f.service->submitFile(kRun, QStringLiteral("summarize"), path, kActor));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, QStringLiteral("invalid_request_file"));
        QCOMPARE(refused.error().kind, ErrorKind::InvalidInput);
        QVERIFY2(refused.error().message.contains(QStringLiteral("line 2: not JSON")),
                 qPrintable(refused.error().message));
        QCOMPARE(f.simulator->requestsServed(), 0);
        QVERIFY(!JobStore(f.db).find(kRun, QStringLiteral("summarize")).value().has_value());

        // A good file for another endpoint than the batch type's is refused the same way.
        const QString embeddings = writeFile(f.dir,
                                             QStringLiteral("embeddings.jsonl"),
                                             requestLine(QStringLiteral("e"), QStringLiteral("/v1/embeddings")));
        auto wrongEndpoint =
            QCoro::waitFor(f.service->submitFile(kRun, QStringLiteral("summarize"), embeddings, kActor));
        QVERIFY(!wrongEndpoint.ok());
        QCOMPARE(wrongEndpoint.error().code, QStringLiteral("invalid_request_file"));
        QVERIFY(wrongEndpoint.error().message.contains(QStringLiteral("/v1/embeddings")));
        QCOMPARE(f.simulator->requestsServed(), 0);
    }
};

QTEST_MAIN(SubmitFileTest)
#include "tst_submitfile.moc"
