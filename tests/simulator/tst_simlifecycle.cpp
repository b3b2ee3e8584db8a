// Batch lifecycle over HTTP. Most cases step the simulator's clock through 10-minute phases, so
// each state can be looked at without racing the wall clock; one case runs on real 20 ms phases.
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

#include "SimTestClient.h"
#include "simulator/SimulatorServer.h"

using namespace batchdeck::sim;
using namespace batchdeck::sim::test;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kPhase = 10 * 60 * 1000;

const QStringList kBatchFields{u"cancelled_at"_s, u"cancelling_at"_s,  u"completed_at"_s,   u"completion_window"_s,
                               u"created_at"_s,   u"endpoint"_s,       u"error_file_id"_s,  u"errors"_s,
                               u"expired_at"_s,   u"expires_at"_s,     u"failed_at"_s,      u"finalizing_at"_s,
                               u"id"_s,           u"in_progress_at"_s, u"input_file_id"_s,  u"metadata"_s,
                               u"model"_s,        u"object"_s,         u"output_file_id"_s, u"request_counts"_s,
                               u"status"_s,       u"usage"_s};

QJsonObject counts(const QJsonObject& batch)
{
    return batch.value(u"request_counts").toObject();
}

int completedOf(const QJsonObject& batch)
{
    return counts(batch).value(u"completed").toInt();
}

int failedOf(const QJsonObject& batch)
{
    return counts(batch).value(u"failed").toInt();
}

} // namespace

class TestSimLifecycle : public QObject
{
    Q_OBJECT

private:
    void start(qint64 phaseMs = kPhase, qint64 expiryMs = 24LL * 3600 * 1000)
    {
        SimulatorOptions options;
        options.phaseMs = phaseMs;
        options.expiryMs = expiryMs;
        m_server = std::make_unique<SimulatorServer>(options);
        QVERIFY(m_server->listen().ok());
        m_client = std::make_unique<SimTestClient>(m_server->baseUrl());
    }

    QString createBatch(const QByteArray& lines, const QJsonObject& extra = {})
    {
        const QString fileId = m_client->uploadBatchFile(lines);
        const HttpResult created = m_client->createBatch(fileId, u"/v1/chat/completions"_s, extra);
        if (created.status != 200)
            qWarning() << created.body;
        return created.json().value(u"id").toString();
    }

private Q_SLOTS:
    void cleanup()
    {
        m_client.reset();
        m_server.reset();
    }

    void completesThroughEveryPhase()
    {
        start();
        const QString fileId = m_client->uploadBatchFile(chatLines(10));
        const QJsonObject metadata{{u"job_id"_s, u"42"_s}, {u"attempt"_s, u"1"_s}};
        const HttpResult created =
            m_client->createBatch(fileId, u"/v1/chat/completions"_s, {{u"metadata"_s, metadata}});
        QCOMPARE(created.status, 200);
        QJsonObject batch = created.json();
        const QString id = batch.value(u"id").toString();
        QVERIFY(id.startsWith(u"batch_"));
        QCOMPARE(id.size(), 6 + 32);
        QCOMPARE(batch.keys(), kBatchFields);
        QCOMPARE(batch.value(u"object").toString(), u"batch"_s);
        QCOMPARE(batch.value(u"status").toString(), u"validating"_s);
        QCOMPARE(batch.value(u"endpoint").toString(), u"/v1/chat/completions"_s);
        QCOMPARE(batch.value(u"input_file_id").toString(), fileId);
        QCOMPARE(batch.value(u"completion_window").toString(), u"24h"_s);
        QCOMPARE(batch.value(u"metadata").toObject(), metadata);
        QVERIFY(batch.value(u"model").isNull());
        QVERIFY(batch.value(u"errors").isNull());
        QVERIFY(batch.value(u"output_file_id").isNull());
        QVERIFY(batch.value(u"error_file_id").isNull());
        for (const QString& field : {u"in_progress_at"_s,
                                     u"finalizing_at"_s,
                                     u"completed_at"_s,
                                     u"failed_at"_s,
                                     u"expired_at"_s,
                                     u"cancelling_at"_s,
                                     u"cancelled_at"_s})
            QVERIFY2(batch.value(field).isNull(), qPrintable(field));
        const qint64 createdAt = batch.value(u"created_at").toInteger();
        QCOMPARE(batch.value(u"expires_at").toInteger(), createdAt + 86400);
        QCOMPARE(counts(batch), (QJsonObject{{u"total"_s, 0}, {u"completed"_s, 0}, {u"failed"_s, 0}}));
        QCOMPARE(m_server->batchesCreated(), 1);
        QCOMPARE(m_server->batches().constFirst().metadata, metadata);

        m_server->advanceClock(kPhase);
        batch = m_client->batch(id);
        QCOMPARE(batch.value(u"status").toString(), u"in_progress"_s);
        QCOMPARE(batch.value(u"model").toString(), u"gpt-4o-mini-2024-07-18"_s);
        QCOMPARE(counts(batch).value(u"total").toInt(), 10);
        const qint64 inProgressAt = batch.value(u"in_progress_at").toInteger();
        QVERIFY(inProgressAt >= createdAt);

        // Progress grows over the in_progress phase and never goes back.
        int previous = completedOf(batch);
        for (int step = 0; step < 4; ++step) {
            m_server->advanceClock(kPhase / 5);
            batch = m_client->batch(id);
            QCOMPARE(batch.value(u"status").toString(), u"in_progress"_s);
            QVERIFY(completedOf(batch) >= previous);
            previous = completedOf(batch);
        }
        QVERIFY(previous > 0);
        QVERIFY(previous < 10);
        QVERIFY(batch.value(u"usage").toObject().value(u"input_tokens").toInt() > 0);

        m_server->advanceClock(kPhase / 5);
        batch = m_client->batch(id);
        QCOMPARE(batch.value(u"status").toString(), u"finalizing"_s);
        QCOMPARE(completedOf(batch), 10);
        QVERIFY(batch.value(u"output_file_id").isNull());
        const qint64 finalizingAt = batch.value(u"finalizing_at").toInteger();
        QVERIFY(finalizingAt >= inProgressAt);

        m_server->advanceClock(kPhase);
        batch = m_client->batch(id);
        QCOMPARE(batch.value(u"status").toString(), u"completed"_s);
        QCOMPARE(counts(batch), (QJsonObject{{u"total"_s, 10}, {u"completed"_s, 10}, {u"failed"_s, 0}}));
        // Each *_at is set once: later reads keep the earlier values.
        QCOMPARE(batch.value(u"in_progress_at").toInteger(), inProgressAt);
        QCOMPARE(batch.value(u"finalizing_at").toInteger(), finalizingAt);
        QVERIFY(batch.value(u"completed_at").toInteger() >= finalizingAt);
        QVERIFY(batch.value(u"error_file_id").isNull());
        QVERIFY(batch.value(u"failed_at").isNull());

        const QString outputId = batch.value(u"output_file_id").toString();
        const QJsonObject outputFile = m_client->get(u"files/"_s + outputId).json();
        QCOMPARE(outputFile.value(u"purpose").toString(), u"batch_output"_s);
        QCOMPARE(outputFile.value(u"filename").toString(), id + u"_output.jsonl"_s);
        const QList<QJsonObject> lines = jsonLines(m_client->fileContent(outputId));
        QCOMPARE(lines.size(), 10);
        qint64 input = 0;
        qint64 output = 0;
        QSet<QString> customIds;
        for (const QJsonObject& line : lines) {
            customIds.insert(line.value(u"custom_id").toString());
            QVERIFY(line.value(u"id").toString().startsWith(u"batch_req_"));
            QVERIFY(line.value(u"error").isNull());
            const QJsonObject response = line.value(u"response").toObject();
            QCOMPARE(response.value(u"status_code").toInt(), 200);
            const QJsonObject usage = response.value(u"body").toObject().value(u"usage").toObject();
            input += usage.value(u"prompt_tokens").toInteger();
            output += usage.value(u"completion_tokens").toInteger();
        }
        QCOMPARE(customIds.size(), 10);
        const QJsonObject usage = batch.value(u"usage").toObject();
        QCOMPARE(usage.value(u"input_tokens").toInteger(), input);
        QCOMPARE(usage.value(u"output_tokens").toInteger(), output);
        QCOMPARE(usage.value(u"total_tokens").toInteger(), input + output);
        QCOMPARE(usage.value(u"input_tokens_details").toObject().value(u"cached_tokens").toInt(), 0);
        QCOMPARE(usage.value(u"output_tokens_details").toObject().value(u"reasoning_tokens").toInt(), 0);

        // Time moving on changes nothing once terminal.
        m_server->advanceClock(3 * kPhase);
        QCOMPARE(m_client->batch(id), batch);
    }

    void runsEndToEndOnShortPhases()
    {
        start(20);
        const QString id = createBatch(chatLines(25));
        const QJsonObject batch = m_client->waitForStatus(id, {u"completed"_s});
        QCOMPARE(batch.value(u"status").toString(), u"completed"_s);
        QCOMPARE(completedOf(batch), 25);
        QCOMPARE(jsonLines(m_client->fileContent(batch.value(u"output_file_id").toString())).size(), 25);
    }

    void perRequestFailuresGoToTheErrorFile()
    {
        start();
        QByteArray lines = chatLines(4);
        lines += chatLine(u"limited"_s, u"please fail [[sim:fail:429]] here"_s);
        lines += chatLine(u"broken"_s, u"[[sim:fail:500]]"_s);
        const QString id = createBatch(lines);
        m_server->advanceClock(3 * kPhase);
        const QJsonObject batch = m_client->batch(id);
        QCOMPARE(batch.value(u"status").toString(), u"completed"_s);
        QCOMPARE(counts(batch), (QJsonObject{{u"total"_s, 6}, {u"completed"_s, 4}, {u"failed"_s, 2}}));
        QCOMPARE(jsonLines(m_client->fileContent(batch.value(u"output_file_id").toString())).size(), 4);
        const QList<QJsonObject> errors = jsonLines(m_client->fileContent(batch.value(u"error_file_id").toString()));
        QCOMPARE(errors.size(), 2);
        for (const QJsonObject& line : errors) {
            const QJsonObject response = line.value(u"response").toObject();
            const int expected = line.value(u"custom_id").toString() == u"limited" ? 429 : 500;
            QCOMPARE(response.value(u"status_code").toInt(), expected);
            QVERIFY(line.value(u"error").isNull());
            const QJsonObject error = response.value(u"body").toObject().value(u"error").toObject();
            QCOMPARE(error.keys(), (QStringList{u"code"_s, u"message"_s, u"param"_s, u"type"_s}));
            if (expected == 429)
                QCOMPARE(error.value(u"code").toString(), u"rate_limit_exceeded"_s);
            else
                QCOMPARE(error.value(u"type").toString(), u"server_error"_s);
        }
    }

    void everyLineFailingCompletesWithoutOutputFile()
    {
        start();
        QByteArray lines;
        for (int i = 0; i < 3; ++i)
            lines += chatLine(u"bad-%1"_s.arg(i), u"[[sim:fail:400]]"_s);
        const QString id = createBatch(lines);
        m_server->advanceClock(3 * kPhase);
        const QJsonObject batch = m_client->batch(id);
        QCOMPARE(batch.value(u"status").toString(), u"completed"_s);
        QCOMPARE(counts(batch), (QJsonObject{{u"total"_s, 3}, {u"completed"_s, 0}, {u"failed"_s, 3}}));
        QVERIFY(batch.value(u"output_file_id").isNull());
        QCOMPARE(jsonLines(m_client->fileContent(batch.value(u"error_file_id").toString())).size(), 3);
    }

    void expiryKeepsPartialOutput()
    {
        // Expires half way through in_progress: half the lines ran, the rest are batch_expired.
        start(kPhase, kPhase + kPhase / 2);
        QByteArray lines = chatLines(9);
        lines += chatLine(u"fails"_s, u"[[sim:fail:503]]"_s);
        const QString id = createBatch(lines);
        m_server->advanceClock(3 * kPhase); // both the validation and the expiry are due by now
        const QJsonObject batch = m_client->batch(id);
        QCOMPARE(batch.value(u"status").toString(), u"expired"_s);
        QVERIFY(!batch.value(u"expired_at").isNull());
        QVERIFY(batch.value(u"finalizing_at").isNull());
        QVERIFY(batch.value(u"completed_at").isNull());
        QCOMPARE(counts(batch).value(u"total").toInt(), 10);
        QCOMPARE(completedOf(batch) + failedOf(batch), 5); // unexecuted lines are not counted as failed

        const QList<QJsonObject> output = jsonLines(m_client->fileContent(batch.value(u"output_file_id").toString()));
        const QList<QJsonObject> errors = jsonLines(m_client->fileContent(batch.value(u"error_file_id").toString()));
        QCOMPARE(output.size(), completedOf(batch));
        int expired = 0;
        for (const QJsonObject& line : errors) {
            if (line.value(u"response").isNull()) {
                QCOMPARE(line.value(u"error").toObject().value(u"code").toString(), u"batch_expired"_s);
                QVERIFY(!line.value(u"error").toObject().value(u"message").toString().isEmpty());
                ++expired;
            }
        }
        QCOMPARE(expired, 5);
        QCOMPARE(errors.size(), 5 + failedOf(batch));
    }

    void cancelWhileInProgress()
    {
        start();
        const QString id = createBatch(chatLines(10));
        m_server->advanceClock(kPhase + kPhase / 2);
        const HttpResult cancelled = m_client->postEmpty(u"batches/%1/cancel"_s.arg(id));
        QCOMPARE(cancelled.status, 200);
        QJsonObject batch = cancelled.json();
        QCOMPARE(batch.value(u"status").toString(), u"cancelling"_s);
        QVERIFY(!batch.value(u"cancelling_at").isNull());
        const int ran = completedOf(batch);
        QVERIFY(ran > 0 && ran < 10);

        // Nothing runs while cancelling, and a second cancel answers with the current object.
        m_server->advanceClock(kPhase / 4);
        const HttpResult again = m_client->postEmpty(u"batches/%1/cancel"_s.arg(id));
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json().value(u"status").toString(), u"cancelling"_s);
        QCOMPARE(completedOf(again.json()), ran);

        m_server->advanceClock(kPhase);
        batch = m_client->batch(id);
        QCOMPARE(batch.value(u"status").toString(), u"cancelled"_s);
        QVERIFY(!batch.value(u"cancelled_at").isNull());
        QVERIFY(batch.value(u"finalizing_at").isNull());
        QCOMPARE(counts(batch), (QJsonObject{{u"total"_s, 10}, {u"completed"_s, ran}, {u"failed"_s, 0}}));
        QCOMPARE(jsonLines(m_client->fileContent(batch.value(u"output_file_id").toString())).size(), ran);
        const QList<QJsonObject> errors = jsonLines(m_client->fileContent(batch.value(u"error_file_id").toString()));
        QCOMPARE(errors.size(), 10 - ran);
        for (const QJsonObject& line : errors)
            QCOMPARE(line.value(u"error").toObject().value(u"code").toString(), u"batch_cancelled"_s);
        QCOMPARE(m_client->postEmpty(u"batches/%1/cancel"_s.arg(id)).json().value(u"status").toString(),
                 u"cancelled"_s);
    }

    void cancelWhileValidating()
    {
        start();
        const QString id = createBatch(chatLines(3));
        QCOMPARE(m_client->postEmpty(u"batches/%1/cancel"_s.arg(id)).json().value(u"status").toString(),
                 u"cancelling"_s);
        m_server->advanceClock(kPhase);
        const QJsonObject batch = m_client->batch(id);
        QCOMPARE(batch.value(u"status").toString(), u"cancelled"_s);
        QVERIFY(batch.value(u"in_progress_at").isNull());
        QCOMPARE(counts(batch).value(u"total").toInt(), 0);
        QVERIFY(batch.value(u"output_file_id").isNull());
        QVERIFY(batch.value(u"error_file_id").isNull());
    }

    void cancelWhileFinalizingKeepsAllResults()
    {
        start();
        const QString id = createBatch(chatLines(4));
        m_server->advanceClock(2 * kPhase);
        QCOMPARE(m_client->batch(id).value(u"status").toString(), u"finalizing"_s);
        QCOMPARE(m_client->postEmpty(u"batches/%1/cancel"_s.arg(id)).status, 200);
        m_server->advanceClock(kPhase);
        const QJsonObject batch = m_client->batch(id);
        QCOMPARE(batch.value(u"status").toString(), u"cancelled"_s);
        QCOMPARE(completedOf(batch), 4);
        QVERIFY(batch.value(u"error_file_id").isNull());
    }

    void cancelOnTerminalBatchesIsAConflict()
    {
        // The window ends half way through in_progress: the first batch expires, the second fails
        // validation, the third completes on a second server below.
        start(kPhase, kPhase + kPhase / 2);
        const QString expired = createBatch(chatLines(1));
        const QString failed = createBatch("not json\n");
        m_server->advanceClock(3 * kPhase);
        for (const auto& [id, status] : {std::pair{expired, u"expired"_s}, std::pair{failed, u"failed"_s}}) {
            QCOMPARE(m_client->batch(id).value(u"status").toString(), status);
            const HttpResult result = m_client->postEmpty(u"batches/%1/cancel"_s.arg(id));
            QCOMPARE(result.status, 409);
            QCOMPARE(result.error().value(u"message").toString(),
                     u"Cannot cancel a batch with status '%1'."_s.arg(status));
            QCOMPARE(result.error().value(u"type").toString(), u"invalid_request_error"_s);
        }
    }

    void cancelOnCompletedBatchIsAConflict()
    {
        start();
        const QString id = createBatch(chatLines(1));
        m_server->advanceClock(3 * kPhase);
        const HttpResult result = m_client->postEmpty(u"batches/%1/cancel"_s.arg(id));
        QCOMPARE(result.status, 409);
        QCOMPARE(result.error().value(u"message").toString(), u"Cannot cancel a batch with status 'completed'."_s);
    }

    void unknownBatches()
    {
        start();
        for (const HttpResult& result :
             {m_client->get(u"batches/batch_nope"_s), m_client->postEmpty(u"batches/batch_nope/cancel"_s)}) {
            QCOMPARE(result.status, 404);
            QCOMPARE(result.error().value(u"message").toString(), u"No batch found with id 'batch_nope'."_s);
        }
    }

    void inputFileDeletedBeforeValidation()
    {
        start();
        const QString fileId = m_client->uploadBatchFile(chatLines(2));
        const QString id = m_client->createBatch(fileId).json().value(u"id").toString();
        QCOMPARE(m_client->deleteResource(u"files/"_s + fileId).status, 200);
        m_server->advanceClock(kPhase);
        const QJsonObject batch = m_client->batch(id);
        QCOMPARE(batch.value(u"status").toString(), u"failed"_s);
        const QJsonObject error = batch.value(u"errors").toObject().value(u"data").toArray().first().toObject();
        QCOMPARE(error.value(u"code").toString(), u"invalid_request"_s);
        QVERIFY(error.value(u"message").toString().contains(fileId));
    }

    void listIsNewestFirstWithCursorPaging()
    {
        start();
        const QJsonObject empty = m_client->get(u"batches"_s).json();
        QCOMPARE(empty.value(u"object").toString(), u"list"_s);
        QVERIFY(empty.value(u"data").toArray().isEmpty());
        QCOMPARE(empty.value(u"has_more").toBool(), false);
        QVERIFY(empty.value(u"first_id").isNull());
        QVERIFY(empty.value(u"last_id").isNull());

        const QString fileId = m_client->uploadBatchFile(chatLines(1));
        QStringList created;
        for (int i = 0; i < 5; ++i)
            created.prepend(m_client->createBatch(fileId).json().value(u"id").toString());

        QStringList seen;
        QString after;
        int pages = 0;
        while (true) {
            const QJsonObject page =
                m_client->get(after.isEmpty() ? u"batches?limit=2"_s : u"batches?limit=2&after="_s + after).json();
            const QJsonArray data = page.value(u"data").toArray();
            QVERIFY(!data.isEmpty());
            for (const QJsonValue& batch : data)
                seen.append(batch.toObject().value(u"id").toString());
            QCOMPARE(page.value(u"first_id").toString(), data.first().toObject().value(u"id").toString());
            QCOMPARE(page.value(u"last_id").toString(), data.last().toObject().value(u"id").toString());
            ++pages;
            if (!page.value(u"has_more").toBool())
                break;
            after = page.value(u"last_id").toString(); // SDKs use the last element's id
        }
        QCOMPARE(pages, 3);
        QCOMPARE(seen, created);
        QCOMPARE(m_client->get(u"batches"_s).json().value(u"data").toArray().size(), 5); // default 20

        for (const QString& limit : {u"0"_s, u"101"_s, u"ten"_s}) {
            const HttpResult result = m_client->get(u"batches?limit="_s + limit);
            QCOMPARE(result.status, 400);
            QCOMPARE(result.error().value(u"param").toString(), u"limit"_s);
        }
        QCOMPARE(m_client->get(u"batches?limit=100"_s).status, 200);
    }

    void emptyStringFileIdsSwitch()
    {
        start();
        SimulatorFaults faults;
        faults.emptyStringFileIds = true;
        m_server->setFaults(faults);
        const QString id = createBatch(chatLines(1));
        QJsonObject batch = m_client->batch(id);
        QCOMPARE(batch.value(u"output_file_id").toString(u"null"_s), QString());
        QCOMPARE(batch.value(u"error_file_id").toString(u"null"_s), QString());
        m_server->advanceClock(3 * kPhase);
        batch = m_client->batch(id);
        QVERIFY(batch.value(u"output_file_id").toString().startsWith(u"file-"));
        QCOMPARE(batch.value(u"error_file_id").toString(u"null"_s), QString());
    }

    void enqueuedTokenLimitPerModel()
    {
        start();
        // The documented estimate: about one token per four characters of each request body.
        const auto estimate = [](const QByteArray& lines) {
            qint64 tokens = 0;
            for (const QJsonObject& line : jsonLines(lines))
                tokens += (QJsonDocument(line.value(u"body").toObject()).toJson(QJsonDocument::Compact).size() + 3) / 4;
            return tokens;
        };
        const QByteArray lines = chatLines(4);
        SimulatorFaults faults;
        faults.enqueuedTokenLimitPerModel = estimate(lines) * 3 / 2; // room for one such batch, not two
        m_server->setFaults(faults);

        const QString first = createBatch(lines);
        const QString second = createBatch(lines);
        const QString otherModel = createBatch(chatLines(4, u"gpt-4.1"_s));
        m_server->advanceClock(kPhase);
        QCOMPARE(m_client->batch(first).value(u"status").toString(), u"in_progress"_s);
        QCOMPARE(m_client->batch(otherModel).value(u"status").toString(), u"in_progress"_s);
        const QJsonObject failed = m_client->batch(second);
        QCOMPARE(failed.value(u"status").toString(), u"failed"_s);
        const QJsonObject error = failed.value(u"errors").toObject().value(u"data").toArray().first().toObject();
        QCOMPARE(error.value(u"code").toString(), u"token_limit_exceeded"_s);
        QVERIFY(error.value(u"line").isNull());
        QVERIFY(
            error.value(u"message").toString().startsWith(u"Enqueued token limit reached for gpt-4o-mini-2024-07-18"));
        QCOMPARE(counts(failed).value(u"total").toInt(), 0);

        // Once the first is terminal, its tokens are free again.
        m_server->advanceClock(2 * kPhase);
        QCOMPARE(m_client->batch(first).value(u"status").toString(), u"completed"_s);
        const QString later = createBatch(lines);
        m_server->advanceClock(kPhase);
        QCOMPARE(m_client->batch(later).value(u"status").toString(), u"in_progress"_s);
    }

private:
    std::unique_ptr<SimulatorServer> m_server;
    std::unique_ptr<SimTestClient> m_client;
};

QTEST_GUILESS_MAIN(TestSimLifecycle)
#include "tst_simlifecycle.moc"
