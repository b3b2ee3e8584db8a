// Trouble, against the real simulator over loopback: 429 with Retry-After, 500, stalls past the
// timeout, refused connections, a wrong key, a create whose answer is lost, a provider destroyed
// mid-call. Requests are counted on the simulator's side. The key never shows in an error or a log.
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QMutex>
#include <QTcpServer>
#include <QTest>

#include "ProviderHarness.h"

using namespace batchdeck;
using namespace batchdeck::test;
using namespace Qt::StringLiterals;

namespace {

const QString kSecret = u"sk-proj-RECOGNISABLE-SECRET-7f3a9c2e1b"_s;

// Every log line of the process, to check that none holds the key.
QMutex g_logMutex;
QStringList g_logLines;
QtMessageHandler g_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_logLines.append(message);
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

// Switches the faults off once the simulator has answered `status` once: the next try succeeds.
void clearFaultsAfterFirst(ProviderHarness& harness, int status)
{
    sim::SimulatorServer* server = &harness.server();
    QObject::connect(server,
                     &sim::SimulatorServer::requestServed,
                     server,
                     [server, status](const QByteArray&, const QString&, int served) {
                         if (served == status)
                             server->setFaults(sim::SimulatorFaults());
                     });
}

QString uploadSmallFile(OpenAiProvider& provider, ProviderHarness& harness)
{
    UploadFileRequest upload;
    upload.path = harness.writeJsonl(u"small.jsonl"_s, {chatLine(u"a"_s, u"q"_s)});
    ProviderResult<ProviderFile> file = await(provider.uploadFile(upload));
    if (!file.ok())
        qFatal("upload failed: %s", failureText(file));
    return file->id;
}

quint16 closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

} // namespace

class TestProviderFaults : public QObject
{
    Q_OBJECT

private:
    QStringList m_errorMessages; // every error text a test produced, checked for the key at the end

    void keep(const Error& error) { m_errorMessages.append(error.message); }

private Q_SLOTS:
    void initTestCase()
    {
        g_previousHandler = qInstallMessageHandler(captureMessage);
        // Debug lines too: they carry URLs and request ids, and must not carry the key either.
        QLoggingCategory::setFilterRules(u"batchdeck.provider.debug=true"_s);
    }

    void rateLimitWithRetryAfterIsRetriedAndSucceeds()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider();
        const QString fileId = uploadSmallFile(*provider, harness);

        sim::SimulatorFaults faults;
        faults.fail429Ratio = 1.0;
        faults.retryAfterSeconds = 1;
        harness.server().setFaults(faults);
        clearFaultsAfterFirst(harness, 429);
        harness.clearServed();

        QElapsedTimer clock;
        clock.start();
        ProviderResult<ProviderFile> file = await(provider->getFile(fileId));
        QVERIFY2(file.ok(), failureText(file));
        QCOMPARE(harness.servedStatuses("GET", u"/v1/files/"_s + fileId), QList<int>({429, 200}));
        // The wait came from the header (1 s), not from the 20 ms backoff of the test config.
        QVERIFY(clock.elapsed() >= 950);
    }

    void rateLimitThatLastsEndsTransient()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider([](OpenAiConfig& c) { c.retry.maxAttempts = 2; });
        sim::SimulatorFaults faults;
        faults.fail429Ratio = 1.0;
        faults.retryAfterSeconds = 0;
        harness.server().setFaults(faults);

        ProviderResult<ProviderBatchPage> page = await(provider->listBatches({}));
        QVERIFY(!page.ok());
        keep(page.error());
        QCOMPARE(page.error().kind, ErrorKind::ProviderTransient);
        const ProviderError& error = *page.providerError();
        QCOMPARE(error.httpStatus, 429);
        QCOMPARE(error.code, u"rate_limit_exceeded"_s);
        QVERIFY(error.retryable);
        QCOMPARE(error.attempts, 2);
        QCOMPARE(error.retryAfterMs, std::optional<qint64>(0));
        QCOMPARE(harness.servedStatuses("GET", u"/v1/batches"_s), QList<int>({429, 429}));
    }

    void longRetryAfterGoesBackToTheCaller()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider([](OpenAiConfig& c) { c.retry.maxRetryAfterMs = 2000; });
        sim::SimulatorFaults faults;
        faults.fail429Ratio = 1.0;
        faults.retryAfterSeconds = 30;
        harness.server().setFaults(faults);

        ProviderResult<ProviderBatch> batch = await(provider->getBatch(u"batch_x"_s));
        QVERIFY(!batch.ok());
        keep(batch.error());
        QCOMPARE(batch.error().kind, ErrorKind::ProviderTransient);
        QCOMPARE(batch.providerError()->retryAfterMs, std::optional<qint64>(30'000));
        QCOMPARE(harness.servedCount("GET", u"/v1/batches/batch_x"_s), 1);
    }

    void serverErrorIsRetriedAndSucceeds()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider();
        sim::SimulatorFaults faults;
        faults.fail500Ratio = 1.0;
        harness.server().setFaults(faults);
        clearFaultsAfterFirst(harness, 500);

        // An upload is sent again from disk after a 500.
        UploadFileRequest upload;
        upload.path = harness.writeJsonl(u"retry.jsonl"_s, {chatLine(u"a"_s, u"q"_s), chatLine(u"b"_s, u"q"_s)});
        ProviderResult<ProviderFile> file = await(provider->uploadFile(upload));
        QVERIFY2(file.ok(), failureText(file));
        QCOMPARE(file->bytes, QFileInfo(upload.path).size());
        QCOMPARE(harness.servedStatuses("POST", u"/v1/files"_s), QList<int>({500, 200}));
    }

    void serverErrorThatLastsEndsTransient()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider();
        sim::SimulatorFaults faults;
        faults.fail500Ratio = 1.0;
        harness.server().setFaults(faults);
        ProviderResult<ProviderBatch> batch = await(provider->getBatch(u"batch_x"_s));
        QVERIFY(!batch.ok());
        keep(batch.error());
        QCOMPARE(batch.error().kind, ErrorKind::ProviderTransient);
        QCOMPARE(batch.providerError()->httpStatus, 500);
        QCOMPARE(batch.providerError()->type, u"server_error"_s);
        QCOMPARE(harness.servedStatuses("GET", u"/v1/batches/batch_x"_s), QList<int>({500, 500, 500}));
    }

    void wrongKeyIsRefusedOnceAndNeverShown()
    {
        sim::SimulatorOptions options = ProviderHarness::fastOptions();
        options.apiKey = u"sk-the-right-key-000000"_s;
        ProviderHarness harness(options);
        QVERIFY(harness.start());
        auto provider = harness.makeProvider([](OpenAiConfig& c) { c.apiKey = kSecret; });

        UploadFileRequest upload;
        upload.path = harness.writeJsonl(u"k.jsonl"_s, {chatLine(u"a"_s, u"q"_s)});
        CreateBatchRequest create;
        create.inputFileId = u"file-x"_s;
        create.endpoint = u"/v1/chat/completions"_s;

        QList<ProviderError> errors;
        auto collect = [&errors, this](const auto& result) {
            QVERIFY(!result.ok());
            keep(result.error());
            QCOMPARE(result.error().kind, ErrorKind::ProviderPermanent);
            QVERIFY(result.providerError().has_value());
            errors.append(*result.providerError());
        };
        collect(await(provider->uploadFile(upload)));
        collect(await(provider->getFile(u"file-x"_s)));
        collect(await(provider->downloadFileContent(u"file-x"_s, harness.path(u"x.jsonl"_s))));
        collect(await(provider->deleteFile(u"file-x"_s)));
        collect(await(provider->createBatch(create)));
        collect(await(provider->getBatch(u"batch_x"_s)));
        collect(await(provider->listBatches({})));
        collect(await(provider->cancelBatch(u"batch_x"_s)));
        QCOMPARE(errors.size(), 8);
        for (const ProviderError& error : errors) {
            QCOMPARE(error.httpStatus, 401);
            QCOMPARE(error.code, u"invalid_api_key"_s);
            QCOMPARE(error.attempts, 1);
            QVERIFY(!error.message.contains(kSecret));
        }
        // One request per call: a 401 is not retried.
        QCOMPARE(harness.served().size(), 8);
    }

    void stallPastTheTimeoutEndsTransient()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider([](OpenAiConfig& c) {
            c.transferTimeoutMs = 300;
            c.retry.maxAttempts = 2;
        });
        sim::SimulatorFaults faults;
        faults.stallMs = 2000;
        harness.server().setFaults(faults);
        ProviderResult<ProviderBatch> batch = await(provider->getBatch(u"batch_x"_s));
        QVERIFY(!batch.ok());
        keep(batch.error());
        QCOMPARE(batch.error().kind, ErrorKind::ProviderTransient);
        QCOMPARE(batch.providerError()->httpStatus, 0);
        QVERIFY(batch.error().message.contains(u"timeout"_s));
        QCOMPARE(harness.servedCount("GET", u"/v1/batches/batch_x"_s), 2);
    }

    void refusedConnectionIsRetriedThenTransient()
    {
        OpenAiConfig config;
        config.baseUrl = QUrl(u"http://127.0.0.1:%1/v1"_s.arg(closedPort()));
        config.apiKey = kSecret;
        config.retry.backoffBaseMs = 10;
        OpenAiProvider provider(config);
        ProviderCallRecord record;
        connect(&provider, &BatchProvider::callFinished, this, [&record](const ProviderCallRecord& r) { record = r; });
        ProviderResult<ProviderBatch> batch = await(provider.getBatch(u"batch_x"_s));
        QVERIFY(!batch.ok());
        keep(batch.error());
        QCOMPARE(batch.error().kind, ErrorKind::ProviderTransient);
        QCOMPARE(batch.providerError()->attempts, 3);
        QCOMPARE(batch.providerError()->networkError, int(QNetworkReply::ConnectionRefusedError));
        QCOMPARE(record.attempts, 3);
        QCOMPARE(record.outcome, u"transient_error"_s);
    }

    void lostCreateAnswerAdoptsTheBatchInsteadOfDuplicating_data()
    {
        QTest::addColumn<int>("maxAttempts");
        QTest::newRow("before sending again") << 3;
        QTest::newRow("before giving up") << 1;
    }

    void lostCreateAnswerAdoptsTheBatchInsteadOfDuplicating()
    {
        QFETCH(int, maxAttempts);
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider([maxAttempts](OpenAiConfig& c) {
            c.transferTimeoutMs = 400;
            c.retry.maxAttempts = maxAttempts;
        });
        const QString fileId = uploadSmallFile(*provider, harness);
        sim::SimulatorFaults faults;
        faults.createDelayMs = 3000; // the batch exists at once, its answer comes too late
        harness.server().setFaults(faults);

        CreateBatchRequest create;
        create.inputFileId = fileId;
        create.endpoint = u"/v1/chat/completions"_s;
        create.metadata = {{u"job_id"_s, u"99"_s}, {u"attempt"_s, u"1"_s}};
        ProviderResult<ProviderBatch> batch = await(provider->createBatch(create));
        QVERIFY2(batch.ok(), failureText(batch));
        QCOMPARE(batch->metadata.value(u"job_id"_s), u"99"_s);
        QCOMPARE(batch->inputFileId, fileId);
        QCOMPARE(harness.server().batchesCreated(), 1);
        QCOMPARE(harness.servedCount("POST", u"/v1/batches"_s), 1);
        QCOMPARE(harness.servedCount("GET", u"/v1/batches"_s), 1);
    }

    void destroyingTheProviderEndsCallsInFlight()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider();
        sim::SimulatorFaults faults;
        faults.stallMs = 5000;
        harness.server().setFaults(faults);

        QCoro::Task<ProviderResult<ProviderBatch>> pending = provider->getBatch(u"batch_x"_s);
        QTest::qWait(100); // the request is out and waiting
        provider.reset();
        ProviderResult<ProviderBatch> batch = await(std::move(pending));
        QVERIFY(!batch.ok());
        QCOMPARE(batch.error().kind, ErrorKind::ProviderTransient);
        QVERIFY(batch.error().message.contains(u"shut down"_s));
    }

    void theKeyIsInNoErrorAndNoLogLine()
    {
        QVERIFY(m_errorMessages.size() >= 8);
        for (const QString& message : std::as_const(m_errorMessages))
            QVERIFY2(!message.contains(kSecret), qPrintable(message));
        QMutexLocker lock(&g_logMutex);
        QVERIFY(!g_logLines.isEmpty());
        for (const QString& line : std::as_const(g_logLines))
            QVERIFY2(!line.contains(kSecret), qPrintable(line));
    }

    void cleanupTestCase() { qInstallMessageHandler(g_previousHandler); }
};

QTEST_GUILESS_MAIN(TestProviderFaults)
#include "tst_providerfaults.moc"
