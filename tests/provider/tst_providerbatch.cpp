// Parsing of the provider's Batch and File objects: every field of reference §4, the shapes real
// servers send instead of the spec's (null, "", ISO strings, capitalised statuses), and the raw object.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

#include "provider/ProviderBatch.h"
#include "provider/ProviderFile.h"
#include "provider/ProviderJson.h"

using namespace batchdeck;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(batchdeck::BatchStatus)

namespace {

QJsonObject parse(const QByteArray& text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad fixture: %s", qPrintable(error.errorString()));
    return document.object();
}

ProviderBatch parseBatch(const QByteArray& text)
{
    Result<ProviderBatch> batch = ProviderBatch::fromJson(parse(text));
    if (!batch.ok())
        qFatal("batch did not parse: %s", qPrintable(batch.error().message));
    return batch.value();
}

// A completed OpenAI batch with every documented field set.
const QByteArray kFullBatch = R"({
  "id": "batch_abc123",
  "object": "batch",
  "endpoint": "/v1/chat/completions",
  "model": "gpt-4o-mini-2024-07-18",
  "errors": {"object": "list", "data": [
      {"code": "invalid_json_line", "message": "This line is not parseable as valid JSON.", "param": "body", "line": 3},
      {"code": "token_limit_exceeded", "message": "Enqueued token limit reached.", "param": null, "line": null}]},
  "input_file_id": "file-in",
  "completion_window": "24h",
  "status": "completed",
  "output_file_id": "file-out",
  "error_file_id": "file-err",
  "created_at": 1711471533,
  "in_progress_at": 1711471538,
  "expires_at": 1711557933,
  "finalizing_at": 1711493133,
  "completed_at": 1711493163,
  "failed_at": 1711493164,
  "expired_at": 1711493165,
  "cancelling_at": 1711493166,
  "cancelled_at": 1711493167,
  "request_counts": {"total": 100, "completed": 95, "failed": 5},
  "usage": {"input_tokens": 1500, "input_tokens_details": {"cached_tokens": 300},
            "output_tokens": 700, "output_tokens_details": {"reasoning_tokens": 120}, "total_tokens": 2200},
  "metadata": {"job_id": "42", "attempt": "1", "run_id": "scheduled__2026-12-03T00:00:00+00:00"},
  "some_future_field": {"nested": [1, 2, 3]}
})";

} // namespace

class TestProviderBatch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyFieldOfAFullBatch()
    {
        const ProviderBatch batch = parseBatch(kFullBatch);
        QCOMPARE(batch.id, u"batch_abc123"_s);
        QCOMPARE(batch.object, u"batch"_s);
        QCOMPARE(batch.endpoint, u"/v1/chat/completions"_s);
        QCOMPARE(batch.model, u"gpt-4o-mini-2024-07-18"_s);
        QCOMPARE(batch.inputFileId, u"file-in"_s);
        QCOMPARE(batch.completionWindow, u"24h"_s);
        QCOMPARE(batch.status, BatchStatus::Completed);
        QCOMPARE(batch.statusText, u"completed"_s);
        QVERIFY(batch.isTerminal());
        QCOMPARE(batch.outputFileId, u"file-out"_s);
        QCOMPARE(batch.errorFileId, u"file-err"_s);

        QCOMPARE(batch.errors.size(), 2);
        QCOMPARE(batch.errors[0].code, u"invalid_json_line"_s);
        QCOMPARE(batch.errors[0].message, u"This line is not parseable as valid JSON."_s);
        QCOMPARE(batch.errors[0].param, u"body"_s);
        QCOMPARE(batch.errors[0].line, std::optional<qint64>(3));
        QCOMPARE(batch.errors[1].code, u"token_limit_exceeded"_s);
        QVERIFY(batch.errors[1].param.isEmpty());
        QVERIFY(!batch.errors[1].line.has_value());

        QCOMPARE(batch.createdAtMs, std::optional<qint64>(1711471533000));
        QCOMPARE(batch.inProgressAtMs, std::optional<qint64>(1711471538000));
        QCOMPARE(batch.expiresAtMs, std::optional<qint64>(1711557933000));
        QCOMPARE(batch.finalizingAtMs, std::optional<qint64>(1711493133000));
        QCOMPARE(batch.completedAtMs, std::optional<qint64>(1711493163000));
        QCOMPARE(batch.failedAtMs, std::optional<qint64>(1711493164000));
        QCOMPARE(batch.expiredAtMs, std::optional<qint64>(1711493165000));
        QCOMPARE(batch.cancellingAtMs, std::optional<qint64>(1711493166000));
        QCOMPARE(batch.cancelledAtMs, std::optional<qint64>(1711493167000));

        QCOMPARE(batch.requestCounts.total, 100);
        QCOMPARE(batch.requestCounts.completed, 95);
        QCOMPARE(batch.requestCounts.failed, 5);

        QVERIFY(batch.usage.has_value());
        QCOMPARE(batch.usage->inputTokens, 1500);
        QCOMPARE(batch.usage->cachedTokens, 300);
        QCOMPARE(batch.usage->outputTokens, 700);
        QCOMPARE(batch.usage->reasoningTokens, 120);
        QCOMPARE(batch.usage->totalTokens, 2200);

        QCOMPARE(batch.metadata.size(), 3);
        QCOMPARE(batch.metadata.value(u"job_id"_s), u"42"_s);
        QCOMPARE(batch.metadata.value(u"run_id"_s), u"scheduled__2026-12-03T00:00:00+00:00"_s);
    }

    void unknownFieldsStayInTheRawObject()
    {
        const ProviderBatch batch = parseBatch(kFullBatch);
        QCOMPARE(batch.raw, parse(kFullBatch));
        QCOMPARE(batch.raw.value("some_future_field"_L1).toObject().value("nested"_L1).toArray().size(), 3);
    }

    void aFreshBatchWithNulls()
    {
        // What create returns: every key present, most of them null (reference §1, §3).
        const ProviderBatch batch = parseBatch(R"({
          "id": "batch_1", "object": "batch", "endpoint": "/v1/embeddings", "model": null, "errors": null,
          "input_file_id": "file-1", "completion_window": "24h", "status": "validating",
          "output_file_id": null, "error_file_id": null, "created_at": 1711471533, "in_progress_at": null,
          "expires_at": null, "finalizing_at": null, "completed_at": null, "failed_at": null, "expired_at": null,
          "cancelling_at": null, "cancelled_at": null,
          "request_counts": {"total": 0, "completed": 0, "failed": 0}, "usage": null, "metadata": null})");
        QCOMPARE(batch.status, BatchStatus::Validating);
        QVERIFY(!batch.isTerminal());
        QVERIFY(batch.model.isEmpty());
        QVERIFY(batch.errors.isEmpty());
        QVERIFY(batch.outputFileId.isEmpty());
        QVERIFY(batch.errorFileId.isEmpty());
        QVERIFY(batch.createdAtMs.has_value());
        QVERIFY(!batch.inProgressAtMs.has_value());
        QVERIFY(!batch.expiresAtMs.has_value());
        QVERIFY(!batch.cancelledAtMs.has_value());
        QVERIFY(!batch.usage.has_value());
        QVERIFY(batch.metadata.isEmpty());
        QCOMPARE(batch.requestCounts.total, 0);
    }

    void fileIdsMissingNullOrEmptyAreAllEmpty_data()
    {
        QTest::addColumn<QByteArray>("fields");
        QTest::newRow("missing") << QByteArray();
        QTest::newRow("null") << QByteArray(R"(, "output_file_id": null, "error_file_id": null)");
        QTest::newRow("empty string") << QByteArray(R"(, "output_file_id": "", "error_file_id": "")");
    }

    void fileIdsMissingNullOrEmptyAreAllEmpty()
    {
        QFETCH(QByteArray, fields);
        const ProviderBatch batch = parseBatch(R"({"id": "batch_1", "status": "completed")" + fields + "}");
        QVERIFY(batch.outputFileId.isEmpty());
        QVERIFY(batch.errorFileId.isEmpty());
    }

    void azureShapes()
    {
        // From the Azure docs: ISO-8601 times, a capitalised status, null counts and endpoint, "" file ids.
        const ProviderBatch batch = parseBatch(R"({
          "id": "batch_6caaf24d-54a5-46be-b1b7-518884fcbdde", "object": "batch", "endpoint": null,
          "errors": null, "input_file_id": "file-b4fa7277f3eb4722ac18b90f46102c3f", "completion_window": "24h",
          "status": "Validating", "output_file_id": "", "error_file_id": "",
          "created_at": "2024-07-19T21:31:44.000Z", "in_progress_at": "2024-07-19T21:33:00+02:00",
          "expires_at": "2024-07-20T21:31:44", "finalizing_at": null, "completed_at": null,
          "request_counts": {"total": null, "completed": null, "failed": null}, "metadata": null,
          "input_blob": null})");
        QCOMPARE(batch.status, BatchStatus::Validating);
        QCOMPARE(batch.statusText, u"Validating"_s);
        QVERIFY(batch.endpoint.isEmpty());
        QVERIFY(batch.outputFileId.isEmpty());
        QVERIFY(batch.errorFileId.isEmpty());
        QCOMPARE(batch.createdAtMs,
                 std::optional<qint64>(
                     QDateTime(QDate(2024, 7, 19), QTime(21, 31, 44), QTimeZone::utc()).toMSecsSinceEpoch()));
        QCOMPARE(batch.inProgressAtMs,
                 std::optional<qint64>(
                     QDateTime(QDate(2024, 7, 19), QTime(19, 33, 0), QTimeZone::utc()).toMSecsSinceEpoch()));
        // No zone: Azure means UTC, not the machine's local time.
        QCOMPARE(batch.expiresAtMs,
                 std::optional<qint64>(
                     QDateTime(QDate(2024, 7, 20), QTime(21, 31, 44), QTimeZone::utc()).toMSecsSinceEpoch()));
        QCOMPARE(batch.requestCounts.total, 0);
        QCOMPARE(batch.requestCounts.completed, 0);
        QCOMPARE(batch.requestCounts.failed, 0);
        QVERIFY(batch.raw.contains("input_blob"_L1));
    }

    void missingRequestCountsAndPartialCounts()
    {
        const ProviderBatch none = parseBatch(R"({"id": "b", "status": "in_progress"})");
        QCOMPARE(none.requestCounts.total, 0);
        const ProviderBatch partial =
            parseBatch(R"({"id": "b", "status": "in_progress", "request_counts": {"total": "10", "completed": 4}})");
        QCOMPARE(partial.requestCounts.total, 10);
        QCOMPARE(partial.requestCounts.completed, 4);
        QCOMPARE(partial.requestCounts.failed, 0);
    }

    void usageWithoutDetailsAndWithoutTotal()
    {
        const ProviderBatch batch = parseBatch(R"({"id": "b", "usage": {"input_tokens": 10, "output_tokens": 5}})");
        QVERIFY(batch.usage.has_value());
        QCOMPARE(batch.usage->cachedTokens, 0);
        QCOMPARE(batch.usage->reasoningTokens, 0);
        QCOMPARE(batch.usage->totalTokens, 15);
    }

    void errorsAsABareArray()
    {
        const ProviderBatch batch = parseBatch(R"({"id": "b", "errors": [{"code": "empty_file", "message": "x"}]})");
        QCOMPARE(batch.errors.size(), 1);
        QCOMPARE(batch.errors[0].code, u"empty_file"_s);
    }

    void metadataWithNonStringValues()
    {
        const ProviderBatch batch =
            parseBatch(R"({"id": "b", "metadata": {"n": 3, "flag": true, "obj": {"a": 1}, "gone": null}})");
        QCOMPARE(batch.metadata.value(u"n"_s), u"3"_s);
        QCOMPARE(batch.metadata.value(u"flag"_s), u"true"_s);
        QCOMPARE(batch.metadata.value(u"obj"_s), u"{\"a\":1}"_s);
        QVERIFY(!batch.metadata.contains(u"gone"_s));
    }

    void withoutAnIdItIsAnError()
    {
        QVERIFY(!ProviderBatch::fromJson(parse(R"({"object": "batch", "status": "completed"})")).ok());
        QVERIFY(!ProviderBatch::fromJson(parse(R"({"id": null})")).ok());
        QVERIFY(!ProviderBatch::fromJson(QJsonObject()).ok());
    }

    void statusNames_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<BatchStatus>("status");
        QTest::addColumn<bool>("terminal");
        QTest::newRow("validating") << u"validating"_s << BatchStatus::Validating << false;
        QTest::newRow("in_progress") << u"in_progress"_s << BatchStatus::InProgress << false;
        QTest::newRow("finalizing") << u"finalizing"_s << BatchStatus::Finalizing << false;
        QTest::newRow("completed") << u"completed"_s << BatchStatus::Completed << true;
        QTest::newRow("failed") << u"failed"_s << BatchStatus::Failed << true;
        QTest::newRow("expired") << u"expired"_s << BatchStatus::Expired << true;
        QTest::newRow("cancelling") << u"cancelling"_s << BatchStatus::Cancelling << false;
        QTest::newRow("cancelled") << u"cancelled"_s << BatchStatus::Cancelled << true;
        QTest::newRow("Azure Validating") << u"Validating"_s << BatchStatus::Validating << false;
        QTest::newRow("InProgress") << u"InProgress"_s << BatchStatus::InProgress << false;
        QTest::newRow("IN_PROGRESS") << u"IN_PROGRESS"_s << BatchStatus::InProgress << false;
        QTest::newRow("American canceled") << u"canceled"_s << BatchStatus::Cancelled << true;
        QTest::newRow("American canceling") << u"Canceling"_s << BatchStatus::Cancelling << false;
        QTest::newRow("unknown") << u"paused"_s << BatchStatus::Unknown << false;
        QTest::newRow("empty") << QString() << BatchStatus::Unknown << false;
    }

    void statusNames()
    {
        QFETCH(QString, text);
        QFETCH(BatchStatus, status);
        QFETCH(bool, terminal);
        QCOMPARE(batchStatusFromString(text), status);
        QCOMPARE(isTerminal(status), terminal);
        if (status != BatchStatus::Unknown)
            QCOMPARE(batchStatusFromString(batchStatusToString(status)), status);
    }

    void unknownStatusKeepsItsText()
    {
        const ProviderBatch batch = parseBatch(R"({"id": "b", "status": "paused"})");
        QCOMPARE(batch.status, BatchStatus::Unknown);
        QCOMPARE(batch.statusText, u"paused"_s);
    }

    void timeShapes_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("expectedMs"); // -1: nullopt
        QTest::newRow("seconds") << QByteArray("1711471533") << qint64(1711471533000);
        QTest::newRow("fractional seconds") << QByteArray("1711471533.25") << qint64(1711471533250);
        QTest::newRow("seconds as text") << QByteArray("\"1711471533\"") << qint64(1711471533000);
        QTest::newRow("milliseconds") << QByteArray("1711471533123") << qint64(1711471533123);
        QTest::newRow("ISO with Z") << QByteArray("\"2024-03-26T16:45:33Z\"") << qint64(1711471533000);
        QTest::newRow("ISO with ms") << QByteArray("\"2024-03-26T16:45:33.500Z\"") << qint64(1711471533500);
        QTest::newRow("ISO with offset") << QByteArray("\"2024-03-26T17:45:33+01:00\"") << qint64(1711471533000);
        QTest::newRow("null") << QByteArray("null") << qint64(-1);
        QTest::newRow("zero") << QByteArray("0") << qint64(-1);
        QTest::newRow("empty text") << QByteArray("\"\"") << qint64(-1);
        QTest::newRow("junk") << QByteArray("\"soon\"") << qint64(-1);
        QTest::newRow("object") << QByteArray("{}") << qint64(-1);
    }

    void timeShapes()
    {
        QFETCH(QByteArray, value);
        QFETCH(qint64, expectedMs);
        const QJsonValue v = parse("{\"t\": " + value + "}").value("t"_L1);
        const std::optional<qint64> ms = providerjson::epochMs(v);
        if (expectedMs < 0)
            QVERIFY(!ms.has_value());
        else
            QCOMPARE(ms, std::optional<qint64>(expectedMs));
    }

    void fileObject()
    {
        const QJsonObject object = parse(R"({"id": "file-abc", "object": "file", "bytes": 120000,
            "created_at": 1677610602, "expires_at": null, "filename": "requests.jsonl", "purpose": "batch",
            "status": "processed", "status_details": null, "extra": 1})");
        Result<ProviderFile> file = ProviderFile::fromJson(object);
        QVERIFY(file.ok());
        QCOMPARE(file->id, u"file-abc"_s);
        QCOMPARE(file->object, u"file"_s);
        QCOMPARE(file->bytes, 120000);
        QCOMPARE(file->createdAtMs, std::optional<qint64>(1677610602000));
        QVERIFY(!file->expiresAtMs.has_value());
        QCOMPARE(file->filename, u"requests.jsonl"_s);
        QCOMPARE(file->purpose, u"batch"_s);
        QCOMPARE(file->status, u"processed"_s);
        QVERIFY(file->statusDetails.isEmpty());
        QCOMPARE(file->raw, object);
        QVERIFY(!ProviderFile::fromJson(parse(R"({"object": "file"})")).ok());
    }
};

QTEST_GUILESS_MAIN(TestProviderBatch)
#include "tst_providerbatch.moc"
