// A 200 MB batch file up to the simulator and back down, with the client's peak memory checked: the
// upload streams from disk and the download streams to disk, so neither may hold the file in RAM.
// The simulator runs in a child process (provider_simhost) so only the client's memory is measured.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "ProviderHarness.h"

using namespace batchdeck;
using namespace batchdeck::test;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kFileBytes = 200LL * 1024 * 1024;
// Generous: the whole file is 200 MiB; buffering even half of it would fail. Measured growth is a few MiB.
constexpr qint64 kMaxGrowthKiB = 64 * 1024;

// Peak resident set size of this process so far (VmHWM), in KiB.
qint64 peakRssKiB()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    // readAll, not atEnd()/readLine(): a /proc file reports size 0, so atEnd() is true at once.
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray& line : lines) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// Valid JSONL of exactly `bytes` bytes, built in 1 MiB chunks (the test itself must not hold the file).
// Every line gets its own custom_id, as a batch input needs.
bool writeBigJsonl(const QString& path, qint64 bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    const QString filler(900, u'x');
    qint64 written = 0;
    qint64 n = 0;
    while (written < bytes) {
        QByteArray chunk;
        chunk.reserve(1024 * 1024 + 2048);
        while (chunk.size() < 1024 * 1024 && written + chunk.size() < bytes)
            chunk += chatLine(u"req-"_s + QString::number(n++), filler) + '\n';
        const qint64 room = bytes - written;
        if (chunk.size() > room) {
            // Cut after the last whole line that fits and pad with spaces: the size is exact, lines stay valid.
            chunk.truncate(chunk.lastIndexOf('\n', room - 1) + 1);
            chunk += QByteArray(room - chunk.size(), ' ');
        }
        if (file.write(chunk) != chunk.size())
            return false;
        written += chunk.size();
    }
    return true;
}

} // namespace

class TestProviderLargeFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void twoHundredMegabytesBothWaysWithFlatMemory()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString input = dir.filePath(u"big.jsonl"_s);
        QVERIFY(writeBigJsonl(input, kFileBytes));
        QCOMPARE(QFileInfo(input).size(), kFileBytes);

        QProcess host;
        host.setProgram(QCoreApplication::applicationDirPath() + u"/provider_simhost"_s);
        host.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        host.start();
        QVERIFY2(host.waitForStarted(10000), qPrintable(host.errorString()));
        QVERIFY(host.waitForReadyRead(10000));
        const QByteArray greeting = host.readLine().trimmed();
        QVERIFY2(greeting.startsWith("PORT "), greeting.constData());
        const quint16 port = quint16(greeting.mid(5).toUInt());

        OpenAiConfig config;
        config.baseUrl = QUrl(u"http://127.0.0.1:%1/v1"_s.arg(port));
        OpenAiProvider provider(config);

        // Warm up the network stack so its one-time allocations are not counted as file buffering.
        QVERIFY(!await(provider.getBatch(u"batch_warmup"_s)).ok());
        const qint64 baseline = peakRssKiB();
        QVERIFY(baseline > 0);

        UploadFileRequest upload;
        upload.path = input;
        ProviderResult<ProviderFile> file = await(provider.uploadFile(upload));
        QVERIFY2(file.ok(), failureText(file));
        QCOMPARE(file->bytes, kFileBytes);
        const qint64 afterUpload = peakRssKiB();

        const QString output = dir.filePath(u"down/big-copy.jsonl"_s);
        ProviderResult<DownloadedFile> download = await(provider.downloadFileContent(file->id, output));
        QVERIFY2(download.ok(), failureText(download));
        QCOMPARE(download->bytes, kFileBytes);
        QCOMPARE(QFileInfo(output).size(), kFileBytes);
        const qint64 afterDownload = peakRssKiB();

        // Same bytes: compare the files block by block.
        QFile a(input);
        QFile b(output);
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        while (!a.atEnd())
            QVERIFY(a.read(1 << 20) == b.read(1 << 20));

        qInfo("peak RSS (VmHWM): baseline %lld KiB, after 200 MiB upload %lld KiB (+%lld), after 200 MiB "
              "download %lld KiB (+%lld)",
              baseline,
              afterUpload,
              afterUpload - baseline,
              afterDownload,
              afterDownload - baseline);
#if defined(__SANITIZE_ADDRESS__)
        // AddressSanitizer keeps freed blocks in its quarantine (256 MiB by default) and adds shadow
        // memory, so resident memory grows with every chunk read however well we stream: the bound is
        // checked by the unsanitized run; here the transfer itself is what is checked.
        qInfo("AddressSanitizer build: the peak RSS bound is checked only without sanitizers");
#else
        QVERIFY2(afterUpload - baseline < kMaxGrowthKiB, "the upload must stream from disk");
        QVERIFY2(afterDownload - baseline < kMaxGrowthKiB, "the download must stream to disk");
#endif

        host.closeWriteChannel();
        if (!host.waitForFinished(10000))
            host.kill();
    }
};

QTEST_GUILESS_MAIN(TestProviderLargeFiles)
#include "tst_providerlargefiles.moc"
