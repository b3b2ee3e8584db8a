// Item import from JSONL and CSV on the backend named by BATCHDECK_TEST_BACKEND.
#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

#include "TestDatabase.h"
#include "store/Database.h"
#include "store/ItemImporter.h"
#include "store/RunStore.h"

using namespace batchdeck;

class ItemImportTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::shared_ptr<Database> m_db;

    Result<ImportReport> importText(const QByteArray& text,
                                    ItemFormat format,
                                    const QString& run = QStringLiteral("run-1"),
                                    const QString& key = QStringLiteral("id"))
    {
        QBuffer buffer;
        buffer.setData(text);
        buffer.open(QIODevice::ReadOnly);
        return ItemImporter(m_db).importDevice(run, buffer, format, key, QStringLiteral("input"));
    }

    // item_key -> payload of a run, read back through SQL.
    QMap<QString, QJsonObject> items(const QString& run = QStringLiteral("run-1"))
    {
        QMap<QString, QJsonObject> map;
        QSqlQuery q(*m_db->connection());
        q.prepare(QStringLiteral("SELECT item_key, payload FROM run_items WHERE run_id = ? ORDER BY position"));
        q.addBindValue(run);
        if (!q.exec())
            qFatal("select failed");
        while (q.next())
            map.insert(q.value(0).toString(), QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object());
        return map;
    }

    static QString messageOf(const Result<ImportReport>& result)
    {
        return result.ok() ? QString() : result.error().message;
    }

private Q_SLOTS:
    void init()
    {
        auto db = test::openFreshDatabase(m_dir);
        QVERIFY2(db.ok(), qPrintable(test::messageOf(db)));
        m_db = *db;
    }

    void cleanup() { m_db.reset(); }

    void jsonlKeepsEveryCharacter()
    {
        const QByteArray text =
            "\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"quote \\\" backslash \\\\ newline \\n tab \\t\"}\n"
            "\n"
            "{\"id\":7,\"text\":\"\xC3\xBC\xC3\xB1\xC3\xAF \xF0\x9F\x8E\x89 \xE4\xB8\xAD\xE6\x96\x87\"}\r\n";
        auto report = importText(text, ItemFormat::Jsonl);
        QVERIFY2(report.ok(), qPrintable(messageOf(report)));
        QCOMPARE(report->items, 2);
        const auto stored = items();
        QCOMPARE(stored.size(), 2);
        QCOMPARE(stored.value(QStringLiteral("a")).value(QStringLiteral("text")).toString(),
                 QStringLiteral("quote \" backslash \\ newline \n tab \t"));
        QCOMPARE(stored.value(QStringLiteral("7")).value(QStringLiteral("text")).toString(),
                 QString::fromUtf8("üñï 🎉 中文"));
        QCOMPARE(*RunStore(m_db).itemCount(QStringLiteral("run-1")), 2);
    }

    void csvHandlesQuotesCommasAndNewlines()
    {
        const QByteArray text = "id,text,note\n"
                                "x1,\"multi\nline, with comma\",\"say \"\"hi\"\"\"\n"
                                "x2,plain,\n"
                                "x3,\"caf\xC3\xA9 \xF0\x9F\x98\x80\",end\n";
        auto report = importText(text, ItemFormat::Csv);
        QVERIFY2(report.ok(), qPrintable(messageOf(report)));
        QCOMPARE(report->items, 3);
        const auto stored = items();
        QCOMPARE(stored.value(QStringLiteral("x1")).value(QStringLiteral("text")).toString(),
                 QStringLiteral("multi\nline, with comma"));
        QCOMPARE(stored.value(QStringLiteral("x1")).value(QStringLiteral("note")).toString(),
                 QStringLiteral("say \"hi\""));
        QCOMPARE(stored.value(QStringLiteral("x2")).value(QStringLiteral("note")).toString(), QString());
        QCOMPARE(stored.value(QStringLiteral("x3")).value(QStringLiteral("text")).toString(),
                 QString::fromUtf8("café 😀"));
    }

    void badJsonlLinesAreReportedByNumberAndNothingIsImported()
    {
        const QByteArray text = "{\"id\":\"ok1\"}\n"
                                "not json\n"
                                "{\"id\":\"ok1\"}\n"
                                "[1,2]\n"
                                "{\"name\":\"no key\"}\n"
                                "{\"id\":1.5}\n"
                                "{\"id\":\"\"}\n"
                                "{\"id\":\"ok2\"}\n";
        auto report = importText(text, ItemFormat::Jsonl);
        QVERIFY(!report.ok());
        QCOMPARE(report.error().kind, ErrorKind::InvalidInput);
        const QString message = report.error().message;
        QVERIFY2(message.contains(QStringLiteral("6 bad records")), qPrintable(message));
        QVERIFY(message.contains(QStringLiteral("line 2: invalid JSON")));
        QVERIFY(message.contains(QStringLiteral("line 3: key 'ok1' was already given on line 1")));
        QVERIFY(message.contains(QStringLiteral("line 4: not a JSON object")));
        QVERIFY(message.contains(QStringLiteral("line 5: field 'id' is missing")));
        QVERIFY(message.contains(QStringLiteral("line 6: field 'id' must be a string or an integer")));
        QVERIFY(message.contains(QStringLiteral("line 7: field 'id' is empty")));
        QVERIFY(items().isEmpty());
        QCOMPARE(*RunStore(m_db).itemCount(QStringLiteral("run-1")), 0);
    }

    // fuzz_jsonl found 1e53 cast to qint64 before its range was checked (undefined behaviour, which
    // the sanitizer builds stop on).
    void integerKeysMustBeExactIntegers()
    {
        auto report = importText("{\"id\":1e53}\n{\"id\":-1e300}\n{\"id\":9007199254740994}\n", ItemFormat::Jsonl);
        QVERIFY(!report.ok());
        const QString message = report.error().message;
        QVERIFY2(message.contains(QStringLiteral("3 bad records")), qPrintable(message));
        QVERIFY(message.contains(QStringLiteral("line 1: field 'id' must be a string or an integer")));
        QVERIFY(message.contains(QStringLiteral("line 2: field 'id' must be a string or an integer")));
        QVERIFY(importText("{\"id\":9007199254740992}\n{\"id\":-7}\n", ItemFormat::Jsonl).ok());
        QCOMPARE(items().keys(), (QStringList{QStringLiteral("-7"), QStringLiteral("9007199254740992")}));
    }

    void aBadFileLeavesEarlierItemsUntouched()
    {
        QVERIFY(importText("{\"id\":\"a\",\"v\":1}\n", ItemFormat::Jsonl).ok());
        QVERIFY(!importText("{\"id\":\"a\",\"v\":2}\n{broken\n", ItemFormat::Jsonl).ok());
        QCOMPARE(items().value(QStringLiteral("a")).value(QStringLiteral("v")).toInt(), 1);
    }

    void wrongEncodingIsRefused()
    {
        auto jsonl = importText("{\"id\":\"a\",\"text\":\"caf\xE9\"}\n", ItemFormat::Jsonl);
        QVERIFY(!jsonl.ok());
        QVERIFY2(jsonl.error().message.contains(QStringLiteral("line 1: not valid UTF-8")),
                 qPrintable(jsonl.error().message));
        auto csv = importText("id,text\na,caf\xE9\n", ItemFormat::Csv);
        QVERIFY(!csv.ok());
        QVERIFY2(csv.error().message.contains(QStringLiteral("line 2: not valid UTF-8")),
                 qPrintable(csv.error().message));
    }

    void emptyFilesAreRefused()
    {
        QVERIFY(!importText("", ItemFormat::Jsonl).ok());
        QVERIFY(!importText("\n\n  \n", ItemFormat::Jsonl).ok());
        QVERIFY(!importText("id,text\n", ItemFormat::Csv).ok());
        QVERIFY(importText("", ItemFormat::Jsonl).error().message.contains(QStringLiteral("no items")));
    }

    void badCsvIsReportedByLine()
    {
        auto fields = importText("id,text\na,1\nb,2,3\nc\n", ItemFormat::Csv);
        QVERIFY(!fields.ok());
        QVERIFY(fields.error().message.contains(QStringLiteral("line 3: 3 fields, but the header has 2")));
        QVERIFY(fields.error().message.contains(QStringLiteral("line 4: 1 fields, but the header has 2")));
        auto unclosed = importText("id,text\na,\"never closed\nb,2\n", ItemFormat::Csv);
        QVERIFY(!unclosed.ok());
        QVERIFY2(unclosed.error().message.contains(QStringLiteral("line 2: a quoted field is never closed")),
                 qPrintable(unclosed.error().message));
        auto header = importText("id,id\na,b\n", ItemFormat::Csv);
        QVERIFY(!header.ok());
        QVERIFY(header.error().message.contains(QStringLiteral("line 1: the header row names 'id' twice")));
        auto stray = importText("id,text\na,x\"y\n", ItemFormat::Csv);
        QVERIFY(!stray.ok());
        QVERIFY(stray.error().message.contains(QStringLiteral("line 2: a quote in the middle")));
        QVERIFY(items().isEmpty());
    }

    void reimportUpdatesAndAddsKeys()
    {
        QVERIFY(importText("{\"id\":\"a\",\"v\":1}\n{\"id\":\"b\",\"v\":1}\n", ItemFormat::Jsonl).ok());
        auto again = importText("{\"id\":\"b\",\"v\":2}\n{\"id\":\"c\",\"v\":2}\n", ItemFormat::Jsonl);
        QVERIFY(again.ok());
        QCOMPARE(again->items, 2);
        const auto stored = items();
        QCOMPARE(stored.size(), 3);
        QCOMPARE(stored.value(QStringLiteral("a")).value(QStringLiteral("v")).toInt(), 1);
        QCOMPARE(stored.value(QStringLiteral("b")).value(QStringLiteral("v")).toInt(), 2);
        QCOMPARE(stored.value(QStringLiteral("c")).value(QStringLiteral("v")).toInt(), 2);
    }

    void keyFieldIsConfigurable()
    {
        auto report = importText(
            "{\"doc\":\"d1\",\"id\":\"ignored\"}\n", ItemFormat::Jsonl, QStringLiteral("r"), QStringLiteral("doc"));
        QVERIFY(report.ok());
        QVERIFY(items(QStringLiteral("r")).contains(QStringLiteral("d1")));
        auto missing = importText("{\"id\":\"x\"}\n", ItemFormat::Jsonl, QStringLiteral("r"), QStringLiteral("doc"));
        QVERIFY(missing.error().message.contains(QStringLiteral("field 'doc' is missing")));
    }

    void runsAreKeptApart()
    {
        QVERIFY(
            importText("{\"id\":\"a\"}\n", ItemFormat::Jsonl, QStringLiteral("scheduled__2026-12-03T00:00:00+00:00"))
                .ok());
        QVERIFY(importText("{\"id\":\"a\"}\n{\"id\":\"b\"}\n", ItemFormat::Jsonl, QStringLiteral("other")).ok());
        auto runs = RunStore(m_db).list();
        QVERIFY(runs.ok());
        QCOMPARE(runs->size(), 2);
        QCOMPARE(*RunStore(m_db).itemCount(QStringLiteral("scheduled__2026-12-03T00:00:00+00:00")), 1);
        QCOMPARE(*RunStore(m_db).itemCount(QStringLiteral("other")), 2);
        QCOMPARE(importText("{\"id\":\"a\"}\n", ItemFormat::Jsonl, QStringLiteral("bad/run")).error().kind,
                 ErrorKind::InvalidInput);
    }

    void importFileTellsFormatByName()
    {
        const QString csvPath = m_dir.filePath(QStringLiteral("items.csv"));
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write("id,text\nk,v\n");
        csv.close();
        QVERIFY(ItemImporter(m_db).importFile(QStringLiteral("f"), csvPath).ok());
        auto unknown = ItemImporter(m_db).importFile(QStringLiteral("f"), m_dir.filePath(QStringLiteral("items.txt")));
        QVERIFY(!unknown.ok());
        QVERIFY(unknown.error().message.contains(QStringLiteral("--format")));
        auto absent =
            ItemImporter(m_db).importFile(QStringLiteral("f"), m_dir.filePath(QStringLiteral("absent.jsonl")));
        QCOMPARE(absent.error().kind, ErrorKind::Io);
    }
};

QTEST_GUILESS_MAIN(ItemImportTest)
#include "tst_itemimport.moc"
