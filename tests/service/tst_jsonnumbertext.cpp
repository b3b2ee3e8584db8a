// json::appendQtNumberText against Qt itself: for numbers spelled every way JSON allows (shortest
// float32 and float64 forms, fixed and exponent forms, trailing zeros, upper-case E, explicit +),
// whatever text it gives must be exactly what QJsonDocument writes after reading the number; and it
// must take the numbers embedding vectors hold.
#include <charconv>
#include <cmath>
#include <random>

#include <QJsonDocument>
#include <QTest>

#include "core/JsonNumberText.h"

using namespace batchdeck;

namespace {

QByteArray qtText(const QByteArray& token)
{
    const QByteArray written = QJsonDocument::fromJson('[' + token + ']').toJson(QJsonDocument::Compact);
    return written.mid(1, written.size() - 2);
}

// The spellings a JSON writer may give `value`.
QList<QByteArray> spellings(double value)
{
    QList<QByteArray> out;
    char buffer[64];
    const auto add = [&](std::to_chars_result r) {
        if (r.ec == std::errc())
            out.append(QByteArray(buffer, r.ptr - buffer));
    };
    add(std::to_chars(buffer, buffer + sizeof buffer, value));
    add(std::to_chars(buffer, buffer + sizeof buffer, float(value)));
    add(std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific));
    add(std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed));
    for (int precision : {1, 3, 7, 9, 15, 17})
        add(std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, precision));
    const QByteArray shortest = out.constFirst();
    if (!shortest.contains('e'))
        out.append(shortest + "000"); // trailing zeros
    QByteArray upper = out.at(2);
    upper.replace('e', 'E');
    out.append(upper);
    QByteArray plus = out.at(2);
    if (plus.contains("e+"))
        out.append(plus.replace("e+", "e"));
    return out;
}

} // namespace

class TestJsonNumberText : public QObject
{
    Q_OBJECT

private:
    int m_taken = 0;
    int m_checked = 0;

    void check(const QByteArray& token)
    {
        ++m_checked;
        QByteArray mine = "prefix";
        if (!json::appendQtNumberText(token, &mine)) {
            QCOMPARE(mine, QByteArray("prefix")); // nothing appended when not taken
            return;
        }
        ++m_taken;
        QCOMPARE(mine.mid(6), qtText(token));
    }

private Q_SLOTS:
    void embeddingLikeValues()
    {
        std::mt19937_64 random(20261205);
        std::normal_distribution<double> component(0, 0.03);
        const int takenBefore = m_taken;
        for (int i = 0; i < 30000; ++i) {
            for (const QByteArray& token : spellings(component(random))) {
                check(token);
                if (QTest::currentTestFailed())
                    return;
            }
        }
        // The shortest forms of such values are nearly all taken, or the fast path would not be fast.
        QVERIFY2(m_taken - takenBefore > 30000 * 5, qPrintable(QString::number(m_taken - takenBefore)));
    }

    void everyMagnitude()
    {
        std::mt19937_64 random(7);
        std::uniform_real_distribution<double> mantissa(1, 10);
        for (int exponent = -320; exponent <= 3; ++exponent) {
            for (int i = 0; i < 40; ++i) {
                const double value = (i % 2 ? -1 : 1) * mantissa(random) * std::pow(10.0, exponent);
                for (const QByteArray& token : spellings(value)) {
                    check(token);
                    if (QTest::currentTestFailed())
                        return;
                }
            }
        }
    }

    void edges()
    {
        for (const char* token : {"0.0001",
                                  "0.00012",
                                  "0.000123",
                                  "0.00099",
                                  "0.001",
                                  "0.1",
                                  "0.5",
                                  "0.50",
                                  "0.9999999",
                                  "1",
                                  "1.0",
                                  "0",
                                  "-0",
                                  "0.0",
                                  "-0.0",
                                  "1e-4",
                                  "1e-04",
                                  "1E-4",
                                  "10e-5",
                                  "100e-6",
                                  "1e0",
                                  "0.1e1",
                                  "1e-300",
                                  "1e-301",
                                  "9.9e-300",
                                  "123e-5",
                                  "-0.0069292835",
                                  "0.123456789012345",
                                  "0.1234567890123456",
                                  "0.000000000000001",
                                  "5e-324",
                                  "1.7976931348623157e308",
                                  "2.2250738585072014e-308"}) {
            check(QByteArray(token));
            if (QTest::currentTestFailed())
                return;
        }
    }

    void notNumbers()
    {
        for (const char* token : {"", "-", "e-5", "0.1x", "0.1e", "0.1e-", "0.1e-12345", "abc"}) {
            QByteArray out;
            QVERIFY2(!json::appendQtNumberText(QByteArray(token), &out), token);
            QVERIFY(out.isEmpty());
        }
    }

    void cleanupTestCase() { qInfo("%d tokens checked, %d taken", m_checked, m_taken); }
};

QTEST_GUILESS_MAIN(TestJsonNumberText)
#include "tst_jsonnumbertext.moc"
