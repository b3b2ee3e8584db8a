// The result writers on the backend named by BATCHDECK_TEST_BACKEND: SQLite's goes through the
// sqlite3 API, PostgreSQL's through multi-row statements; both must store exactly what one upsert per
// result would: the same values and NULLs, the last result of a repeated custom_id, no duplicate rows
// when a job is stored again, nothing once the transaction rolls back.
#include <QMap>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

#include "TestDatabase.h"
#include "store/Database.h"
#include "store/JobStore.h"
#include "store/PostgresResultWriter.h"
#include "store/ResultStore.h"
#include "store/ResultWriter.h"
#include "store/Transaction.h"

using namespace batchdeck;

namespace {

BatchResult success(const QString& customId, const QString& content, qint64 line)
{
    BatchResult r;
    r.customId = customId;
    r.ok = true;
    r.statusCode = 200;
    r.content = content;
    r.lineNumber = line;
    r.inputTokens = line;
    r.outputTokens = 2 * line;
    r.totalTokens = 3 * line;
    r.attempt = 2;
    return r;
}

BatchResult failure(const QString& customId, int statusCode, const QString& code, const QString& message, qint64 line)
{
    BatchResult r;
    r.customId = customId;
    r.ok = false;
    r.statusCode = statusCode;
    r.errorCode = code;
    r.errorMessage = message;
    r.lineNumber = line;
    r.attempt = 2;
    return r;
}

// What a process of one output and error file gives: successes of every shape, per-request errors,
// unexecuted requests, malformed lines, and custom_ids repeated within one statement's rows and
// across statements (the later result wins).
QList<BatchResult> sampleResults()
{
    QList<BatchResult> results;
    const int count = 2 * PostgresResultWriter::kRowsPerStatement + 203;
    for (int i = 0; i < count; ++i) {
        const QString id = QStringLiteral("item-%1").arg(i, 5, 10, QChar(u'0'));
        results.append(success(id, QStringLiteral("Summary %1: \"quoted\" \\ é 中文 🎉\nline two").arg(i), i + 1));
    }
    results[3].content = QString();          // no text (a refusal kept as an error elsewhere)
    results[4].content = QStringLiteral(""); // an empty text is kept as empty, not NULL
    results[5].parsedJson = QStringLiteral("{\"a\":[1,2.5,\"x\"]}");
    results[6].statusCode = 0; // no HTTP status: NULL
    results[7] = failure(QStringLiteral("item-00007"),
                         429,
                         QStringLiteral("rate_limit_exceeded"),
                         QStringLiteral("Too many requests"),
                         8);
    results[8] = failure(QStringLiteral("item-00008"),
                         0,
                         QStringLiteral("batch_expired"),
                         QStringLiteral("The batch expired before this request ran."),
                         9);
    results[9] = failure(QStringLiteral("_line:output:10"),
                         0,
                         QStringLiteral("malformed_line"),
                         QStringLiteral("output file line 10: invalid JSON (unterminated string)"),
                         10);
    // Repeated within one statement's rows, and across statements.
    results[21] = success(QStringLiteral("item-00020"), QStringLiteral("second answer"), 22);
    results[count - 1] = failure(
        QStringLiteral("item-00011"), 500, QStringLiteral("server_error"), QStringLiteral("from the error file"), 1);
    return results;
}

QMap<QString, BatchResult> lastById(const QList<BatchResult>& results)
{
    QMap<QString, BatchResult> byId;
    for (const BatchResult& r : results)
        byId.insert(r.customId, r);
    return byId;
}

} // namespace

class ResultWriterTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::shared_ptr<Database> m_db;
    qint64 m_jobId = 0;

    Status store(const QList<BatchResult>& results, qint64 now, bool commit = true)
    {
        auto db = m_db->connection();
        if (!db)
            return db.error();
        auto transaction = Transaction::begin(*db);
        if (!transaction)
            return transaction.error();
        auto writer = ResultWriter::prepare(*db, m_jobId, now);
        if (!writer)
            return writer.error();
        for (const BatchResult& r : results) {
            if (auto written = (*writer)->write(r); !written)
                return written;
        }
        if (auto finished = (*writer)->finish(); !finished)
            return finished;
        writer->reset();
        if (!commit) {
            transaction->rollback();
            return {};
        }
        return transaction->commit();
    }

    QStringList idsWhere(const QString& condition)
    {
        QSqlQuery q(*m_db->connection());
        if (!q.exec(QStringLiteral("SELECT custom_id FROM batch_results WHERE ") + condition +
                    QStringLiteral(" ORDER BY custom_id")))
            return {QStringLiteral("query failed")};
        QStringList ids;
        while (q.next())
            ids.append(q.value(0).toString());
        return ids;
    }

    void compareStored(const QMap<QString, BatchResult>& expected)
    {
        auto stored = ResultStore(m_db).list(m_jobId);
        QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : stored.error().message));
        QCOMPARE(stored->size(), expected.size());
        for (const BatchResult& got : *stored) {
            QVERIFY2(expected.contains(got.customId), qPrintable(got.customId));
            const BatchResult& want = expected.value(got.customId);
            QCOMPARE(got.ok, want.ok);
            QCOMPARE(got.statusCode, want.statusCode);
            QCOMPARE(got.content, want.content);
            QCOMPARE(got.parsedJson, want.parsedJson);
            QCOMPARE(got.errorCode, want.errorCode);
            QCOMPARE(got.errorMessage, want.errorMessage);
            QCOMPARE(got.lineNumber, want.lineNumber);
            QCOMPARE(got.inputTokens, want.inputTokens);
            QCOMPARE(got.outputTokens, want.outputTokens);
            QCOMPARE(got.totalTokens, want.totalTokens);
            QCOMPARE(got.attempt, want.attempt);
        }
    }

private Q_SLOTS:
    void init()
    {
        const QString url = test::freshDatabaseUrl(m_dir);
        QVERIFY2(!url.isEmpty(), "BATCHDECK_TEST_PG_URL is not set: run the PostgreSQL tests through ./test.sh");
        auto opened = Database::open(url);
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
        m_db = *opened;
        auto job =
            JobStore(m_db).createOrGet(QStringLiteral("run-1"), QStringLiteral("summarize"), QStringLiteral("t"));
        QVERIFY(job.ok());
        m_jobId = job->id;
    }

    void cleanup() { m_db.reset(); }

    void storesEveryShapeWithTheLastResultOfARepeatedId()
    {
        const QList<BatchResult> results = sampleResults();
        const Status stored = store(results, 1000);
        QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : stored.error().message));
        compareStored(lastById(results));
        // NULL where nothing is known, as one QSqlQuery upsert per result stored it.
        QCOMPARE(idsWhere(QStringLiteral("content IS NULL AND ok = 1")), QStringList{QStringLiteral("item-00003")});
        QCOMPARE(idsWhere(QStringLiteral("content = ''")), QStringList{QStringLiteral("item-00004")});
        QCOMPARE(idsWhere(QStringLiteral("parsed IS NOT NULL")), QStringList{QStringLiteral("item-00005")});
        QCOMPARE(idsWhere(QStringLiteral("status_code IS NULL")),
                 (QStringList{
                     QStringLiteral("_line:output:10"), QStringLiteral("item-00006"), QStringLiteral("item-00008")}));
        QCOMPARE(idsWhere(QStringLiteral("error_code IS NULL AND ok = 0")), QStringList());
        QCOMPARE(idsWhere(QStringLiteral("error_message IS NOT NULL AND ok = 1")), QStringList());
        QCOMPARE(idsWhere(QStringLiteral("created_at <> 1000 OR updated_at <> 1000")), QStringList());
    }

    void storingAgainUpdatesInPlace()
    {
        const QList<BatchResult> first = sampleResults();
        QVERIFY(store(first, 1000).ok());
        // A rerun after a crash, or a resent request's new answer: the same ids, new values.
        QList<BatchResult> second = first.mid(0, PostgresResultWriter::kRowsPerStatement + 7);
        for (BatchResult& r : second) {
            if (r.ok)
                r.content = QStringLiteral("rerun ") + r.content;
            r.attempt = 3;
        }
        const Status stored = store(second, 2000);
        QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : stored.error().message));
        QMap<QString, BatchResult> expected = lastById(first);
        for (const auto& [id, r] : lastById(second).asKeyValueRange())
            expected.insert(id, r);
        compareStored(expected);
        QCOMPARE(idsWhere(QStringLiteral("created_at <> 1000")), QStringList());
        QCOMPARE(idsWhere(QStringLiteral("updated_at = 2000")).size(), lastById(second).size());
    }

    void nothingStaysWhenTheTransactionRollsBack()
    {
        QVERIFY(store(sampleResults(), 1000, false).ok());
        QCOMPARE(ResultStore(m_db).list(m_jobId)->size(), 0);
    }
};

QTEST_GUILESS_MAIN(ResultWriterTest)
#include "tst_resultwriter.moc"
