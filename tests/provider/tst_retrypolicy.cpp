// Retry rules without a network: which failures are retried, how long we wait, and the headers that
// change that (retry-after-ms, Retry-After in seconds or as an HTTP date, x-should-retry).
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTest>
#include <QTimeZone>

#include "provider/RetryPolicy.h"

using namespace batchdeck;
using namespace Qt::StringLiterals;

namespace {

const QDateTime kNow(QDate(2026, 12, 3), QTime(12, 0, 0), QTimeZone::utc());

} // namespace

class TestRetryPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void retryAfterHeaders_data()
    {
        QTest::addColumn<QByteArray>("ms");
        QTest::addColumn<QByteArray>("seconds");
        QTest::addColumn<qint64>("expected"); // -1: no hint
        QTest::newRow("none") << QByteArray() << QByteArray() << qint64(-1);
        QTest::newRow("retry-after-ms") << QByteArray("1500") << QByteArray() << qint64(1500);
        QTest::newRow("fractional ms rounds up") << QByteArray("20.2") << QByteArray() << qint64(21);
        QTest::newRow("ms wins over seconds") << QByteArray("250") << QByteArray("7") << qint64(250);
        QTest::newRow("seconds") << QByteArray() << QByteArray("7") << qint64(7000);
        QTest::newRow("fractional seconds") << QByteArray() << QByteArray("1.5") << qint64(1500);
        QTest::newRow("zero seconds") << QByteArray() << QByteArray("0") << qint64(0);
        QTest::newRow("IMF date") << QByteArray() << QByteArray("Thu, 03 Dec 2026 12:00:30 GMT") << qint64(30000);
        QTest::newRow("RFC 850 date") << QByteArray() << QByteArray("Thursday, 03-Dec-26 12:01:00 GMT")
                                      << qint64(60000);
        QTest::newRow("asctime date") << QByteArray() << QByteArray("Thu Dec  3 12:00:10 2026") << qint64(10000);
        QTest::newRow("date in the past") << QByteArray() << QByteArray("Thu, 03 Dec 2026 11:00:00 GMT") << qint64(0);
        QTest::newRow("junk") << QByteArray() << QByteArray("soon") << qint64(-1);
        QTest::newRow("negative") << QByteArray() << QByteArray("-3") << qint64(-1);
        QTest::newRow("junk ms falls back to seconds") << QByteArray("x") << QByteArray("2") << qint64(2000);
    }

    void retryAfterHeaders()
    {
        QFETCH(QByteArray, ms);
        QFETCH(QByteArray, seconds);
        QFETCH(qint64, expected);
        const RetryHints hints = parseRetryHints(ms, seconds, QByteArray(), kNow);
        if (expected < 0)
            QVERIFY(!hints.retryAfterMs.has_value());
        else
            QCOMPARE(hints.retryAfterMs, std::optional<qint64>(expected));
    }

    void shouldRetryHeader()
    {
        QCOMPARE(parseRetryHints({}, {}, "true", kNow).shouldRetry, std::optional<bool>(true));
        QCOMPARE(parseRetryHints({}, {}, " False ", kNow).shouldRetry, std::optional<bool>(false));
        QVERIFY(!parseRetryHints({}, {}, "maybe", kNow).shouldRetry.has_value());
        QVERIFY(!parseRetryHints({}, {}, {}, kNow).shouldRetry.has_value());
    }

    void retryableStatuses()
    {
        for (int status : {408, 409, 429, 500, 502, 503, 504, 520})
            QVERIFY2(isRetryableStatus(status), qPrintable(QString::number(status)));
        for (int status : {400, 401, 403, 404, 405, 413, 415, 422})
            QVERIFY2(!isRetryableStatus(status), qPrintable(QString::number(status)));
    }

    void retryableNetworkErrors()
    {
        QVERIFY(isRetryableNetworkError(QNetworkReply::ConnectionRefusedError));
        QVERIFY(isRetryableNetworkError(QNetworkReply::RemoteHostClosedError));
        QVERIFY(isRetryableNetworkError(QNetworkReply::TimeoutError));
        QVERIFY(isRetryableNetworkError(QNetworkReply::OperationCanceledError));
        QVERIFY(!isRetryableNetworkError(QNetworkReply::ProtocolUnknownError));
        QVERIFY(!isRetryableNetworkError(QNetworkReply::InsecureRedirectError));
    }

    void backoffCeilingDoublesUpToTheCap()
    {
        RetryPolicy policy;
        policy.backoffBaseMs = 500;
        policy.backoffCapMs = 8000;
        QCOMPARE(backoffCeilingMs(policy, 0), 500);
        QCOMPARE(backoffCeilingMs(policy, 1), 1000);
        QCOMPARE(backoffCeilingMs(policy, 3), 4000);
        QCOMPARE(backoffCeilingMs(policy, 4), 8000);
        QCOMPARE(backoffCeilingMs(policy, 5), 8000);
        QCOMPARE(backoffCeilingMs(policy, 1000), 8000);
    }

    void fullJitterStaysWithinBoundsAndSpreads()
    {
        RetryPolicy policy;
        QRandomGenerator random(42);
        for (int retry = 0; retry < 8; ++retry) {
            const qint64 ceiling = backoffCeilingMs(policy, retry);
            qint64 lowest = ceiling;
            qint64 highest = 0;
            for (int i = 0; i < 2000; ++i) {
                const qint64 delay = backoffDelayMs(policy, retry, random);
                QVERIFY(delay >= 0);
                QVERIFY(delay <= ceiling);
                lowest = std::min(lowest, delay);
                highest = std::max(highest, delay);
            }
            // Full jitter: the draws cover the whole range, not just its top.
            QVERIFY(lowest < ceiling / 10);
            QVERIFY(highest > ceiling * 9 / 10);
        }
    }

    void zeroBaseMeansNoWait()
    {
        RetryPolicy policy;
        policy.backoffBaseMs = 0;
        policy.backoffCapMs = 0;
        QRandomGenerator random(1);
        QCOMPARE(backoffDelayMs(policy, 3, random), 0);
    }

    void decisions()
    {
        RetryPolicy policy;
        policy.maxAttempts = 3;
        policy.maxRetryAfterMs = 60'000;
        QRandomGenerator random(7);
        const RetryHints none;

        RetryDecision d = decideRetry(policy, 1, 400, 0, none, random);
        QVERIFY(!d.retryable);
        QVERIFY(!d.retryNow);

        d = decideRetry(policy, 1, 500, 0, none, random);
        QVERIFY(d.retryable);
        QVERIFY(d.retryNow);
        QVERIFY(d.delayMs <= policy.backoffBaseMs);

        d = decideRetry(policy, 3, 500, 0, none, random);
        QVERIFY(d.retryable);
        QVERIFY2(!d.retryNow, "the last attempt is not followed by another");

        RetryHints wait;
        wait.retryAfterMs = 2000;
        d = decideRetry(policy, 1, 429, 0, wait, random);
        QVERIFY(d.retryNow);
        QCOMPARE(d.delayMs, 2000);

        wait.retryAfterMs = 120'000;
        d = decideRetry(policy, 1, 429, 0, wait, random);
        QVERIFY2(d.retryable && !d.retryNow, "a long Retry-After goes back to the caller");

        RetryHints no;
        no.shouldRetry = false;
        d = decideRetry(policy, 1, 503, 0, no, random);
        QVERIFY(!d.retryable);
        QVERIFY(!d.retryNow);

        RetryHints yes;
        yes.shouldRetry = true;
        d = decideRetry(policy, 1, 400, 0, yes, random);
        QVERIFY(d.retryable);
        QVERIFY(d.retryNow);

        d = decideRetry(policy, 1, 0, QNetworkReply::ConnectionRefusedError, none, random);
        QVERIFY(d.retryNow);
        d = decideRetry(policy, 1, 0, QNetworkReply::ProtocolUnknownError, none, random);
        QVERIFY(!d.retryable);
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
