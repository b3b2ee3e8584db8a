// Every provider call against the real simulator over loopback, and every batch lifecycle as the
// client sees it: completed (with per-line failures), failed validation, token limit, cancelled,
// expired; list paging with cursors; file retrieval, download and deletion.
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include "ProviderHarness.h"

using namespace batchdeck;
using namespace batchdeck::test;
using namespace Qt::StringLiterals;

namespace {

bool isStatus(const ProviderBatch& batch, BatchStatus status)
{
    return batch.status == status;
}

} // namespace

class TestProviderLifecycle : public QObject
{
    Q_OBJECT

private:
    // Uploads `lines` and creates a chat batch of them.
    ProviderBatch submit(OpenAiProvider& provider,
                         ProviderHarness& harness,
                         const QString& name,
                         const QList<QByteArray>& lines,
                         const QMap<QString, QString>& metadata = {})
    {
        UploadFileRequest upload;
        upload.path = harness.writeJsonl(name, lines);
        ProviderResult<ProviderFile> file = await(provider.uploadFile(upload));
        if (!file.ok())
            qFatal("upload failed: %s", failureText(file));
        CreateBatchRequest create;
        create.inputFileId = file->id;
        create.endpoint = u"/v1/chat/completions"_s;
        create.metadata = metadata;
        ProviderResult<ProviderBatch> batch = await(provider.createBatch(create));
        if (!batch.ok())
            qFatal("create failed: %s", failureText(batch));
        return batch.value();
    }

private Q_SLOTS:
    void uploadAndGetFile()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider();

        const QString path = harness.writeJsonl(u"input.jsonl"_s, {chatLine(u"a"_s, u"hi"_s)});
        UploadFileRequest upload;
        upload.path = path;
        upload.expiresAfterSeconds = 7200;
        ProviderResult<ProviderFile> file = await(provider->uploadFile(upload));
        QVERIFY2(file.ok(), failureText(file));
        QVERIFY(file->id.startsWith(u"file-"_s));
        QCOMPARE(file->object, u"file"_s);
        QCOMPARE(file->purpose, u"batch"_s);
        QCOMPARE(file->filename, u"input.jsonl"_s);
        QCOMPARE(file->bytes, QFileInfo(path).size());
        QVERIFY(file->createdAtMs.has_value());
        QVERIFY(file->expiresAtMs.has_value());
        QCOMPARE(*file->expiresAtMs - *file->createdAtMs, 7200 * 1000);
        QCOMPARE(harness.servedStatuses("POST", u"/v1/files"_s), QList<int>{200});

        ProviderResult<ProviderFile> fetched = await(provider->getFile(file->id));
        QVERIFY2(fetched.ok(), failureText(fetched));
        QCOMPARE(fetched->id, file->id);
        QCOMPARE(fetched->bytes, file->bytes);

        // The provider-side name can differ from the local one.
        upload.filename = u"renamed.jsonl"_s;
        upload.expiresAfterSeconds.reset();
        ProviderResult<ProviderFile> renamed = await(provider->uploadFile(upload));
        QVERIFY(renamed.ok());
        QCOMPARE(renamed->filename, u"renamed.jsonl"_s);
    }

    void uploadOfAMissingFileFailsLocally()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider();
        UploadFileRequest upload;
        upload.path = harness.path(u"does-not-exist.jsonl"_s);
        ProviderResult<ProviderFile> file = await(provider->uploadFile(upload));
        QVERIFY(!file.ok());
        QCOMPARE(file.error().kind, ErrorKind::Io);
        QVERIFY(!file.providerError().has_value());
        QCOMPARE(harness.servedCount("POST", u"/v1/files"_s), 0);
    }

    void completedLifecycleWithPerLineFailures()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider();

        QList<QByteArray> lines;
        for (int i = 0; i < 8; ++i)
            lines.append(chatLine(u"req-%1"_s.arg(i), u"question %1"_s.arg(i)));
        lines.append(chatLine(u"req-bad"_s, u"this one fails [[sim:fail:500]]"_s));
        const QMap<QString, QString> metadata{{u"job_id"_s, u"17"_s}, {u"attempt"_s, u"1"_s}};

        const ProviderBatch created = submit(*provider, harness, u"lifecycle.jsonl"_s, lines, metadata);
        QVERIFY(created.id.startsWith(u"batch_"_s));
        QCOMPARE(created.object, u"batch"_s);
        QCOMPARE(created.status, BatchStatus::Validating);
        QCOMPARE(created.endpoint, u"/v1/chat/completions"_s);
        QCOMPARE(created.completionWindow, u"24h"_s);
        QCOMPARE(created.metadata, metadata);
        QVERIFY(created.createdAtMs.has_value());
        QVERIFY(created.expiresAtMs.has_value());
        QVERIFY(created.outputFileId.isEmpty());

        QList<ProviderBatch> seen;
        const ProviderBatch done = pollBatch(
            *provider, created.id, [](const ProviderBatch& b) { return b.isTerminal(); }, 15000, &seen);
        QCOMPARE(done.status, BatchStatus::Completed);

        QList<BatchStatus> statuses;
        qint64 lastCompleted = 0;
        for (const ProviderBatch& snapshot : seen) {
            statuses.append(snapshot.status);
            QVERIFY2(snapshot.requestCounts.completed >= lastCompleted, "request counts never go backwards");
            lastCompleted = snapshot.requestCounts.completed;
        }
        QVERIFY(statuses.contains(BatchStatus::InProgress));
        QVERIFY(statuses.contains(BatchStatus::Completed));

        QCOMPARE(done.requestCounts.total, 9);
        QCOMPARE(done.requestCounts.completed, 8);
        QCOMPARE(done.requestCounts.failed, 1);
        QVERIFY(!done.model.isEmpty());
        QVERIFY(done.inProgressAtMs.has_value());
        QVERIFY(done.finalizingAtMs.has_value());
        QVERIFY(done.completedAtMs.has_value());
        QVERIFY(!done.failedAtMs.has_value());
        QVERIFY(!done.cancelledAtMs.has_value());
        QVERIFY(*done.createdAtMs <= *done.inProgressAtMs);
        QVERIFY(*done.inProgressAtMs <= *done.finalizingAtMs);
        QVERIFY(*done.finalizingAtMs <= *done.completedAtMs);
        QVERIFY(done.usage.has_value());
        QVERIFY(done.usage->inputTokens > 0);
        QVERIFY(done.usage->totalTokens >= done.usage->inputTokens);
        QVERIFY(!done.outputFileId.isEmpty());
        QVERIFY(!done.errorFileId.isEmpty());
        QCOMPARE(done.metadata, metadata);

        const QString outputPath = harness.path(u"out/output.jsonl"_s);
        ProviderResult<DownloadedFile> output = await(provider->downloadFileContent(done.outputFileId, outputPath));
        QVERIFY2(output.ok(), failureText(output));
        QCOMPARE(output->path, outputPath);
        QCOMPARE(output->bytes, QFileInfo(outputPath).size());
        const QList<QJsonObject> outputLines = readJsonl(outputPath);
        QCOMPARE(outputLines.size(), 8);
        QSet<QString> ids;
        for (const QJsonObject& line : outputLines) {
            ids.insert(line.value("custom_id"_L1).toString());
            QCOMPARE(line.value("response"_L1).toObject().value("status_code"_L1).toInt(), 200);
        }
        QCOMPARE(ids.size(), 8);
        QVERIFY(!ids.contains(u"req-bad"_s));

        const QString errorPath = harness.path(u"out/errors.jsonl"_s);
        ProviderResult<DownloadedFile> errors = await(provider->downloadFileContent(done.errorFileId, errorPath));
        QVERIFY(errors.ok());
        const QList<QJsonObject> errorLines = readJsonl(errorPath);
        QCOMPARE(errorLines.size(), 1);
        QCOMPARE(errorLines[0].value("custom_id"_L1).toString(), u"req-bad"_s);
        QCOMPARE(errorLines[0].value("response"_L1).toObject().value("status_code"_L1).toInt(), 500);

        // The output file is a provider file like any other.
        ProviderResult<ProviderFile> outputFile = await(provider->getFile(done.outputFileId));
        QVERIFY(outputFile.ok());
        QCOMPARE(outputFile->purpose, u"batch_output"_s);
    }

    void failedValidationCarriesLineErrors()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider();
        const ProviderBatch created =
            submit(*provider, harness, u"broken.jsonl"_s, {chatLine(u"a"_s, u"fine"_s), "{not json"});
        const ProviderBatch done =
            pollBatch(*provider, created.id, [](const ProviderBatch& b) { return b.isTerminal(); });
        QCOMPARE(done.status, BatchStatus::Failed);
        QVERIFY(done.failedAtMs.has_value());
        QVERIFY(!done.errors.isEmpty());
        QCOMPARE(done.errors[0].code, u"invalid_json_line"_s);
        QCOMPARE(done.errors[0].line, std::optional<qint64>(2));
        QVERIFY(!done.errors[0].message.isEmpty());
        QVERIFY(done.outputFileId.isEmpty());
        QVERIFY(done.errorFileId.isEmpty());
    }

    void tokenLimitFailsTheBatchLater()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        sim::SimulatorFaults faults;
        faults.enqueuedTokenLimitPerModel = 1;
        harness.server().setFaults(faults);
        auto provider = harness.makeProvider();
        const ProviderBatch created = submit(*provider, harness, u"big.jsonl"_s, {chatLine(u"a"_s, u"many tokens"_s)});
        QCOMPARE(created.status, BatchStatus::Validating);
        const ProviderBatch done =
            pollBatch(*provider, created.id, [](const ProviderBatch& b) { return b.isTerminal(); });
        QCOMPARE(done.status, BatchStatus::Failed);
        QVERIFY(!done.errors.isEmpty());
        QCOMPARE(done.errors[0].code, u"token_limit_exceeded"_s);
        QVERIFY(!done.errors[0].line.has_value());
    }

    void cancelledKeepsPartialWork()
    {
        sim::SimulatorOptions options = ProviderHarness::fastOptions();
        options.phaseMs = 1500; // long enough to cancel while in_progress
        ProviderHarness harness(options);
        QVERIFY(harness.start());
        auto provider = harness.makeProvider();
        QList<QByteArray> lines;
        for (int i = 0; i < 20; ++i)
            lines.append(chatLine(u"c-%1"_s.arg(i), u"q"_s));
        const ProviderBatch created = submit(*provider, harness, u"cancel.jsonl"_s, lines);
        pollBatch(*provider, created.id, [](const ProviderBatch& b) { return isStatus(b, BatchStatus::InProgress); });

        ProviderResult<ProviderBatch> cancelling = await(provider->cancelBatch(created.id));
        QVERIFY2(cancelling.ok(), failureText(cancelling));
        QCOMPARE(cancelling->status, BatchStatus::Cancelling);
        QVERIFY(cancelling->cancellingAtMs.has_value());
        // The SDKs send cancel with an empty body; the simulator must have taken it.
        QCOMPARE(harness.servedStatuses("POST", u"/v1/batches/"_s + created.id + u"/cancel"_s), QList<int>{200});

        const ProviderBatch done =
            pollBatch(*provider, created.id, [](const ProviderBatch& b) { return b.isTerminal(); });
        QCOMPARE(done.status, BatchStatus::Cancelled);
        QVERIFY(done.cancelledAtMs.has_value());
        QVERIFY(done.requestCounts.completed < 20);
        QVERIFY(!done.errorFileId.isEmpty());
        const QString errorPath = harness.path(u"cancel-errors.jsonl"_s);
        QVERIFY(await(provider->downloadFileContent(done.errorFileId, errorPath)).ok());
        const QList<QJsonObject> unexecuted = readJsonl(errorPath);
        QCOMPARE(unexecuted.size(), 20 - done.requestCounts.completed - done.requestCounts.failed);
        QCOMPARE(unexecuted[0].value("error"_L1).toObject().value("code"_L1).toString(), u"batch_cancelled"_s);

        // Cancelling again answers with the current object.
        ProviderResult<ProviderBatch> again = await(provider->cancelBatch(created.id));
        QVERIFY(again.ok());
        QCOMPARE(again->status, BatchStatus::Cancelled);
    }

    void cancelOfACompletedBatchIsAConflict()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider();
        const ProviderBatch created = submit(*provider, harness, u"done.jsonl"_s, {chatLine(u"a"_s, u"q"_s)});
        pollBatch(*provider, created.id, [](const ProviderBatch& b) { return b.isTerminal(); });
        harness.clearServed();

        ProviderResult<ProviderBatch> cancel = await(provider->cancelBatch(created.id));
        QVERIFY(!cancel.ok());
        QVERIFY(cancel.providerError().has_value());
        QCOMPARE(cancel.providerError()->httpStatus, 409);
        QVERIFY(cancel.providerError()->message.contains(u"completed"_s));
        // 409 is retried like the SDKs do (a state conflict may clear), within the configured tries.
        QCOMPARE(harness.servedStatuses("POST", u"/v1/batches/*"_s), QList<int>({409, 409, 409}));
        QCOMPARE(cancel.error().kind, ErrorKind::ProviderTransient);
    }

    void expiredKeepsPartialOutput()
    {
        sim::SimulatorOptions options = ProviderHarness::fastOptions();
        options.phaseMs = 800;
        options.expiryMs = 1200; // runs out 400 ms into in_progress
        ProviderHarness harness(options);
        QVERIFY(harness.start());
        auto provider = harness.makeProvider();
        QList<QByteArray> lines;
        for (int i = 0; i < 40; ++i)
            lines.append(chatLine(u"e-%1"_s.arg(i), u"q"_s));
        const ProviderBatch created = submit(*provider, harness, u"expire.jsonl"_s, lines);
        QVERIFY(created.expiresAtMs.has_value());
        // Wire times are whole seconds, so 1.2 s shows as 1 or 2.
        QVERIFY(*created.expiresAtMs - *created.createdAtMs >= 1000);
        QVERIFY(*created.expiresAtMs - *created.createdAtMs <= 2000);

        const ProviderBatch done =
            pollBatch(*provider, created.id, [](const ProviderBatch& b) { return b.isTerminal(); });
        QCOMPARE(done.status, BatchStatus::Expired);
        QVERIFY(done.expiredAtMs.has_value());
        QCOMPARE(done.requestCounts.total, 40);
        QVERIFY(done.requestCounts.completed > 0);
        QVERIFY(done.requestCounts.completed < 40);
        QCOMPARE(done.requestCounts.failed, 0); // lines that never ran are not "failed"
        QVERIFY(!done.outputFileId.isEmpty());
        QVERIFY(!done.errorFileId.isEmpty());
        const QString errorPath = harness.path(u"expired-errors.jsonl"_s);
        QVERIFY(await(provider->downloadFileContent(done.errorFileId, errorPath)).ok());
        const QList<QJsonObject> unexecuted = readJsonl(errorPath);
        QCOMPARE(unexecuted.size(), 40 - done.requestCounts.completed);
        QCOMPARE(unexecuted[0].value("error"_L1).toObject().value("code"_L1).toString(), u"batch_expired"_s);
    }

    void emptyStringFileIdsReadAsNone()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        sim::SimulatorFaults faults;
        faults.emptyStringFileIds = true;
        harness.server().setFaults(faults);
        auto provider = harness.makeProvider();
        const ProviderBatch created = submit(*provider, harness, u"clean.jsonl"_s, {chatLine(u"a"_s, u"q"_s)});
        QVERIFY(created.outputFileId.isEmpty());
        const ProviderBatch done =
            pollBatch(*provider, created.id, [](const ProviderBatch& b) { return b.isTerminal(); });
        QCOMPARE(done.status, BatchStatus::Completed);
        QVERIFY(!done.outputFileId.isEmpty());
        QVERIFY(done.errorFileId.isEmpty());
        QCOMPARE(done.raw.value("error_file_id"_L1).toString(u"not a string"_s), QString());
    }

    void listPagesFollowTheCursor()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider();
        UploadFileRequest upload;
        upload.path = harness.writeJsonl(u"list.jsonl"_s, {chatLine(u"a"_s, u"q"_s)});
        ProviderResult<ProviderFile> file = await(provider->uploadFile(upload));
        QVERIFY(file.ok());
        QStringList createdIds;
        for (int i = 0; i < 5; ++i) {
            CreateBatchRequest create;
            create.inputFileId = file->id;
            create.endpoint = u"/v1/chat/completions"_s;
            create.metadata = {{u"n"_s, QString::number(i)}};
            ProviderResult<ProviderBatch> batch = await(provider->createBatch(create));
            QVERIFY(batch.ok());
            createdIds.prepend(batch->id); // newest first, as the list answers
        }

        ListBatchesRequest first;
        first.limit = 2;
        ProviderResult<ProviderBatchPage> page = await(provider->listBatches(first));
        QVERIFY2(page.ok(), failureText(page));
        QCOMPARE(page->data.size(), 2);
        QVERIFY(page->hasMore);
        QCOMPARE(page->firstId, createdIds[0]);
        QCOMPARE(page->lastId, createdIds[1]);

        ListBatchesRequest next;
        next.limit = 2;
        next.after = page->data.constLast().id;
        ProviderResult<ProviderBatchPage> second = await(provider->listBatches(next));
        QVERIFY(second.ok());
        QCOMPARE(second->data[0].id, createdIds[2]);

        harness.clearServed();
        ProviderResult<QList<ProviderBatch>> all = await(provider->listAllBatches(2));
        QVERIFY2(all.ok(), failureText(all));
        QStringList allIds;
        for (const ProviderBatch& batch : all.value())
            allIds.append(batch.id);
        QCOMPARE(allIds, createdIds);
        QCOMPARE(harness.servedCount("GET", u"/v1/batches"_s), 3); // 2 + 2 + 1

        // A visitor stops early: only the pages needed are read.
        harness.clearServed();
        int visited = 0;
        ProviderResult<QList<ProviderBatch>> some =
            await(provider->listAllBatches(2, [&visited](const ProviderBatch&) { return ++visited < 3; }));
        QVERIFY(some.ok());
        QCOMPARE(some->size(), 3);
        QCOMPARE(harness.servedCount("GET", u"/v1/batches"_s), 2);

        // A bad limit is the caller's mistake: a 400, not retried.
        harness.clearServed();
        ListBatchesRequest bad;
        bad.limit = 1000;
        ProviderResult<ProviderBatchPage> refused = await(provider->listBatches(bad));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.providerError()->httpStatus, 400);
        QCOMPARE(refused.error().kind, ErrorKind::ProviderPermanent);
        QCOMPARE(harness.servedCount("GET", u"/v1/batches"_s), 1);
    }

    void deletedFilesAreGone()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider();
        UploadFileRequest upload;
        upload.path = harness.writeJsonl(u"gone.jsonl"_s, {chatLine(u"a"_s, u"q"_s)});
        ProviderResult<ProviderFile> file = await(provider->uploadFile(upload));
        QVERIFY(file.ok());
        ProviderResult<bool> deleted = await(provider->deleteFile(file->id));
        QVERIFY2(deleted.ok(), failureText(deleted));
        QVERIFY(deleted.value());

        harness.clearServed();
        ProviderResult<ProviderFile> lookup = await(provider->getFile(file->id));
        QVERIFY(!lookup.ok());
        QCOMPARE(lookup.providerError()->httpStatus, 404);
        QCOMPARE(lookup.error().kind, ErrorKind::ProviderPermanent);

        const QString target = harness.path(u"never.jsonl"_s);
        ProviderResult<DownloadedFile> content = await(provider->downloadFileContent(file->id, target));
        QVERIFY(!content.ok());
        QCOMPARE(content.providerError()->httpStatus, 404);
        QVERIFY(content.providerError()->message.contains(file->id));
        QVERIFY2(!QFile::exists(target), "a failed download leaves no file behind");
        // 404s are not retried.
        QCOMPARE(harness.served().size(), 2);
    }

    // A preview reads only the head of a file: the bytes asked for, and whether that was all of it.
    void theHeadOfAFileIsReadWithoutTheRest()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider();
        QList<QByteArray> lines;
        for (int i = 0; i < 2000; ++i)
            lines.append(chatLine(u"line-"_s + QString::number(i), QString(200, u'y')));
        UploadFileRequest upload;
        upload.path = harness.writeJsonl(u"head.jsonl"_s, lines);
        QFile written(upload.path);
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QByteArray all = written.readAll();
        QVERIFY(all.size() > 400'000);
        ProviderResult<ProviderFile> file = await(provider->uploadFile(upload));
        QVERIFY2(file.ok(), failureText(file));

        ProviderResult<FileHead> head = await(provider->readFileContentHead(file->id, 10'000));
        QVERIFY2(head.ok(), failureText(head));
        QCOMPARE(head->fileId, file->id);
        QCOMPARE(head->data.size(), 10'000);
        QVERIFY(!head->complete);
        QCOMPARE(head->data, all.left(10'000));

        ProviderResult<FileHead> whole = await(provider->readFileContentHead(file->id, all.size() + 1));
        QVERIFY2(whole.ok(), failureText(whole));
        QVERIFY(whole->complete);
        QCOMPARE(whole->data, all);
        ProviderResult<FileHead> exact = await(provider->readFileContentHead(file->id, all.size()));
        QVERIFY2(exact.ok(), failureText(exact));
        QCOMPARE(exact->data, all);

        ProviderResult<FileHead> missing = await(provider->readFileContentHead(u"file-missing"_s, 100));
        QVERIFY(!missing.ok());
        QCOMPARE(missing.providerError()->httpStatus, 404);
    }

    void unknownBatchIsNotFoundAndNotRetried()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider();
        ProviderResult<ProviderBatch> batch = await(provider->getBatch(u"batch_doesnotexist"_s));
        QVERIFY(!batch.ok());
        QCOMPARE(batch.providerError()->httpStatus, 404);
        QCOMPARE(batch.providerError()->type, u"invalid_request_error"_s);
        QVERIFY(!batch.providerError()->requestId.isEmpty());
        QVERIFY(!batch.providerError()->retryable);
        QCOMPARE(harness.servedStatuses("GET", u"/v1/batches/batch_doesnotexist"_s), QList<int>{404});
    }

    void createWithABadBodyIsNotRetried()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider();
        UploadFileRequest upload;
        upload.path = harness.writeJsonl(u"w.jsonl"_s, {chatLine(u"a"_s, u"q"_s)});
        ProviderResult<ProviderFile> file = await(provider->uploadFile(upload));
        QVERIFY(file.ok());
        CreateBatchRequest create;
        create.inputFileId = file->id;
        create.endpoint = u"/v1/chat/completions"_s;
        create.completionWindow = u"48h"_s;
        ProviderResult<ProviderBatch> batch = await(provider->createBatch(create));
        QVERIFY(!batch.ok());
        QCOMPARE(batch.providerError()->httpStatus, 400);
        QCOMPARE(batch.error().kind, ErrorKind::ProviderPermanent);
        QVERIFY(batch.error().message.startsWith(u"create batch failed"_s));
        QCOMPARE(harness.servedStatuses("POST", u"/v1/batches"_s), QList<int>{400});
        QCOMPARE(harness.server().batchesCreated(), 0);
    }

    void azureStyleAuthAndApiVersionOverTheWire()
    {
        // The simulator serves the /v1 paths only, but takes Azure's api-key header; the api-version
        // query parameter must not disturb any call.
        sim::SimulatorOptions options = ProviderHarness::fastOptions();
        options.apiKey = u"azure-key-0123456789"_s;
        ProviderHarness harness(options);
        QVERIFY(harness.start());
        auto provider = harness.makeProvider([](OpenAiConfig& c) {
            c.authStyle = OpenAiConfig::AuthStyle::ApiKeyHeader;
            c.apiVersion = u"2024-10-21"_s;
        });
        const ProviderBatch created = submit(*provider, harness, u"azure.jsonl"_s, {chatLine(u"a"_s, u"q"_s)});
        ProviderResult<ProviderBatch> fetched = await(provider->getBatch(created.id));
        QVERIFY2(fetched.ok(), failureText(fetched));
        ListBatchesRequest list;
        list.limit = 10;
        ProviderResult<ProviderBatchPage> page = await(provider->listBatches(list));
        QVERIFY2(page.ok(), failureText(page));
        QCOMPARE(page->data.size(), 1);
        for (const ServedRequest& request : harness.served())
            QVERIFY2(request.status == 200, qPrintable(request.path));
    }

    void everyCallReportsMetrics()
    {
        ProviderHarness harness;
        QVERIFY(harness.start());
        auto provider = harness.makeProvider();
        QList<ProviderCallRecord> records;
        connect(provider.get(), &BatchProvider::callFinished, this, [&records](const ProviderCallRecord& record) {
            records.append(record);
        });
        const ProviderBatch created = submit(*provider, harness, u"m.jsonl"_s, {chatLine(u"a"_s, u"q"_s)});
        QVERIFY(await(provider->getBatch(created.id)).ok());
        QVERIFY(!await(provider->getBatch(u"batch_missing"_s)).ok());

        QCOMPARE(records.size(), 4);
        QCOMPARE(records[0].operation, u"upload file"_s);
        QCOMPARE(records[1].operation, u"create batch"_s);
        QCOMPARE(records[2].operation, u"get batch"_s);
        QCOMPARE(records[2].outcome, u"ok"_s);
        QCOMPARE(records[2].httpStatus, 200);
        QCOMPARE(records[2].attempts, 1);
        QVERIFY(records[2].durationMs >= 0);
        QCOMPARE(records[3].outcome, u"permanent_error"_s);
        QCOMPARE(records[3].httpStatus, 404);
    }
};

QTEST_GUILESS_MAIN(TestProviderLifecycle)
#include "tst_providerlifecycle.moc"
