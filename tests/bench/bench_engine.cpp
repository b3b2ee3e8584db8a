// The engine benchmark: Batchdeck against the seed's usual Python stack (../shared/peers/seed_fastapi)
// side by side in one run, on the same items, the same SQLite settings and the same simulator (its
// own process, over loopback HTTP). Prints one table (median [min-max] of several runs, the peer's
// figure and the ratio) and writes it as JSON. Not a test: machines differ, so nothing here passes
// or fails on time. tests/bench/run-engine-bench.sh builds it in Release and runs it.
//
//   bench_engine [--items N] [--runs R] [--big-runs R] [--big-mb MB] [--phase-ms MS] [--json FILE]
//                [--peer-dir DIR] [--python PATH] [--no-peer] [--no-big] [--work-root DIR]
//
// Figures:
//   submit       render + write + upload + create of N items (ours: BatchService::submit in this
//                process; the peer: its POST submit-batch, timed around the HTTP call);
//   process      download + parse + store of an N-line output whose batch completed at the simulator
//                before the clock starts (ours: BatchService::process; the peer: POST process);
//   200 MB       BatchService::process of a ~200 MB embeddings output in a fresh child process, its
//                time and its peak resident memory (VmHWM). The peer processes the same file (a job
//                row pointing at it is put in its database), its VmHWM reset just before the call.
#include <cstdio>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

#include "BenchChildren.h"
#include "BenchItems.h"
#include "BenchTable.h"
#include "EngineSide.h"
#include "PeerServer.h"
#include "store/SqliteHandle.h"

#ifndef BATCHDECK_SOURCE_DIR
#define BATCHDECK_SOURCE_DIR "."
#endif

using namespace batchdeck;
using namespace batchdeck::bench;

namespace {

constexpr int kWaitMs = 15 * 60 * 1000;
constexpr double kMiB = 1024.0 * 1024.0;

struct Options
{
    int items = 50'000;
    int runs = 9;
    int bigRuns = 3;
    double bigMb = 200;
    qint64 phaseMs = 300;
    QString jsonPath = QStringLiteral("bench-engine.json");
    QString peerDir = QStringLiteral(BATCHDECK_SOURCE_DIR "/../shared/peers/seed_fastapi");
    QString python = QStringLiteral("/usr/bin/python3");
    QString workRoot = QDir::tempPath();
    bool peer = true;
    bool big = true;
};

void say(const QString& text)
{
    std::fprintf(stderr, "%s\n", qPrintable(text));
    std::fflush(stderr);
}

// Thrown to leave the benchmark with every child process stopped and the temporary folder removed.
struct Failure
{
    QString message;
};

[[noreturn]] void die(const QString& text)
{
    throw Failure{text};
}

template <typename T> T need(Result<T> result, const QString& what)
{
    if (!result)
        die(what + QStringLiteral(": ") + result.error().message);
    return std::move(result).value();
}

void need(const Status& status, const QString& what)
{
    if (!status)
        die(what + QStringLiteral(": ") + status.error().message);
}

// The simulator in a child process (this same executable), for the lifetime of this object.
class SimulatorProcess
{
public:
    QUrl start(const QString& stateDir, qint64 phaseMs)
    {
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(QCoreApplication::applicationFilePath(),
                        {QStringLiteral("simulate"),
                         QStringLiteral("--phase-ms"),
                         QString::number(phaseMs),
                         QStringLiteral("--state-dir"),
                         stateDir});
        QByteArray line;
        while (!line.endsWith('\n') && m_process.waitForReadyRead(30'000))
            line += m_process.readLine();
        if (!line.startsWith("port "))
            die(QStringLiteral("the simulator did not start"));
        return QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(QString::fromLatin1(line.mid(5).trimmed())));
    }
    ~SimulatorProcess()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(30'000))
            m_process.kill();
        m_process.waitForFinished(5000);
    }

private:
    QProcess m_process;
};

struct ChildReport
{
    double seconds = 0;
    double peakMb = 0;
    double rssBeforeMb = 0;
    qint64 results = 0;
};

ChildReport processInChild(const QStringList& arguments)
{
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QCoreApplication::applicationFilePath(), QStringList{QStringLiteral("process")} + arguments);
    if (!child.waitForFinished(kWaitMs) || child.exitStatus() != QProcess::NormalExit || child.exitCode() != 0)
        die(QStringLiteral("the process child failed (exit code %1)").arg(child.exitCode()));
    const QJsonObject report = QJsonDocument::fromJson(child.readAllStandardOutput().trimmed()).object();
    return {report.value(QStringLiteral("seconds")).toDouble(),
            report.value(QStringLiteral("peak_rss_kb")).toDouble() / 1024,
            report.value(QStringLiteral("rss_before_kb")).toDouble() / 1024,
            report.value(QStringLiteral("results")).toInteger()};
}

Options parseOptions(const QStringList& arguments)
{
    Options options;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Batchdeck engine benchmark against the Python peer"));
    parser.addHelpOption();
    const QCommandLineOption items(
        QStringLiteral("items"), QStringLiteral("Items per run (50000)."), QStringLiteral("n"));
    const QCommandLineOption runs(
        QStringLiteral("runs"), QStringLiteral("Runs of submit and process (9)."), QStringLiteral("n"));
    const QCommandLineOption bigRuns(
        QStringLiteral("big-runs"), QStringLiteral("Runs of the 200 MB process (3)."), QStringLiteral("n"));
    const QCommandLineOption bigMb(
        QStringLiteral("big-mb"), QStringLiteral("Size of the big output in MiB (200)."), QStringLiteral("mb"));
    const QCommandLineOption phase(
        QStringLiteral("phase-ms"), QStringLiteral("Simulator phase length (300)."), QStringLiteral("ms"));
    const QCommandLineOption json(
        QStringLiteral("json"), QStringLiteral("Where to write the JSON report."), QStringLiteral("file"));
    const QCommandLineOption peerDir(
        QStringLiteral("peer-dir"), QStringLiteral("Folder of the peer's app.py."), QStringLiteral("dir"));
    const QCommandLineOption python(
        QStringLiteral("python"), QStringLiteral("Python for the peer (/usr/bin/python3)."), QStringLiteral("path"));
    const QCommandLineOption workRoot(
        QStringLiteral("work-root"), QStringLiteral("Where the temporary folder goes."), QStringLiteral("dir"));
    const QCommandLineOption noPeer(QStringLiteral("no-peer"), QStringLiteral("Measure Batchdeck only."));
    const QCommandLineOption noBig(QStringLiteral("no-big"), QStringLiteral("Skip the 200 MB figure."));
    parser.addOptions({items, runs, bigRuns, bigMb, phase, json, peerDir, python, workRoot, noPeer, noBig});
    parser.process(arguments);
    if (parser.isSet(items))
        options.items = parser.value(items).toInt();
    if (parser.isSet(runs))
        options.runs = parser.value(runs).toInt();
    if (parser.isSet(bigRuns))
        options.bigRuns = parser.value(bigRuns).toInt();
    if (parser.isSet(bigMb))
        options.bigMb = parser.value(bigMb).toDouble();
    if (parser.isSet(phase))
        options.phaseMs = parser.value(phase).toLongLong();
    if (parser.isSet(json))
        options.jsonPath = parser.value(json);
    if (parser.isSet(peerDir))
        options.peerDir = parser.value(peerDir);
    if (parser.isSet(python))
        options.python = parser.value(python);
    if (parser.isSet(workRoot))
        options.workRoot = parser.value(workRoot);
    options.peer = !parser.isSet(noPeer);
    options.big = !parser.isSet(noBig);
    if (options.items < 1 || options.runs < 1 || options.bigRuns < 1 || options.bigMb <= 0 || options.phaseMs < 1)
        die(QStringLiteral("--items, --runs, --big-runs, --big-mb and --phase-ms must be positive"));
    return options;
}

int runBenchmark(const Options& options)
{
    QTemporaryDir temp(options.workRoot + QStringLiteral("/batchdeck-bench-XXXXXX"));
    if (!temp.isValid())
        die(QStringLiteral("cannot create a temporary folder in %1").arg(options.workRoot));
    QDir().mkpath(temp.filePath(QStringLiteral("work")));

    SimulatorProcess simulator;
    const QUrl baseUrl = simulator.start(temp.filePath(QStringLiteral("simulator")), options.phaseMs);
    say(QStringLiteral("simulator at %1 (phases of %2 ms)").arg(baseUrl.toString()).arg(options.phaseMs));

    const QString ourDb = QStringLiteral("sqlite://") + temp.filePath(QStringLiteral("batchdeck.db"));
    EngineSide ours;
    need(ours.open(ourDb, baseUrl, temp.filePath(QStringLiteral("work"))), QStringLiteral("opening our engine"));

    PeerServer peer;
    if (options.peer) {
        PeerServer::Options peerOptions;
        peerOptions.appDir = QDir(options.peerDir).absolutePath();
        peerOptions.python = options.python;
        peerOptions.databasePath = temp.filePath(QStringLiteral("peer.db"));
        peerOptions.simulatorBaseUrl = baseUrl;
        peerOptions.logPath = temp.filePath(QStringLiteral("peer.log"));
        need(peer.start(peerOptions), QStringLiteral("starting the peer"));
        say(QStringLiteral("peer %1/app.py under uvicorn, pid %2").arg(peerOptions.appDir).arg(peer.pid()));
    }

    const QString itemsPath = temp.filePath(QStringLiteral("items.jsonl"));
    writeItems(itemsPath, options.items);

    Report report;
    report.title = QStringLiteral("Batchdeck engine benchmark (%1 cores)").arg(QThread::idealThreadCount());
    report.setup = machineDescription();
    report.setup.insert(QStringLiteral("items"), options.items);
    report.setup.insert(QStringLiteral("runs"), options.runs);
    report.setup.insert(
        QStringLiteral("simulator"),
        QStringLiteral("bench_engine simulate (own process, loopback HTTP), phases of %1 ms").arg(options.phaseMs));
    report.setup.insert(QStringLiteral("database"), QStringLiteral("SQLite, WAL, synchronous=NORMAL (both sides)"));
    report.setup.insert(
        QStringLiteral("batch type"),
        QStringLiteral("'%1' (the peer's chat-completions request, same messages)").arg(kPeerShapedType));
    report.setup.insert(QStringLiteral("peer"),
                        options.peer ? QStringLiteral("seed_fastapi/app.py, uvicorn, %1").arg(options.python)
                                     : QStringLiteral("not run"));

    Figure submit{QStringLiteral("submit"),
                  QStringLiteral("submit %1 items").arg(options.items),
                  QStringLiteral("s"),
                  {},
                  {},
                  Figure::Goal::FasterThanPeer,
                  8,
                  QStringLiteral("render + write + upload + create; the peer timed around its HTTP call")};
    Figure process{QStringLiteral("process"),
                   QStringLiteral("process %1 lines").arg(options.items),
                   QStringLiteral("s"),
                   {},
                   {},
                   Figure::Goal::FasterThanPeer,
                   5,
                   QStringLiteral("download + parse + store; the batch completed at the simulator beforehand")};

    Figure submitCpu{QStringLiteral("submit_cpu"),
                     QStringLiteral("submit %1 items, CPU").arg(options.items),
                     QStringLiteral("s"),
                     {},
                     {},
                     Figure::Goal::None,
                     0,
                     QStringLiteral("user + system CPU of our process / of the peer's uvicorn process during the "
                                    "call (the simulator's share not counted)")};
    Figure processCpu{QStringLiteral("process_cpu"),
                      QStringLiteral("process %1 lines, CPU").arg(options.items),
                      QStringLiteral("s"),
                      {},
                      {},
                      Figure::Goal::None,
                      0,
                      {}};

    for (int run = 0; run < options.runs; ++run) {
        const QString runId = QStringLiteral("bench-%1").arg(run);
        need(ours.importItems(runId, itemsPath), QStringLiteral("importing our items"));
        if (options.peer)
            need(peer.insertItems(runId, itemsPath), QStringLiteral("filling the peer's items"));

        // One side at a time, each batch finished at the simulator before the next clock starts, so
        // neither side shares the machine with the simulator's work on the other's batch. The side
        // that goes first alternates.
        const bool oursFirst = run % 2 == 0;
        Timing oursSubmit;
        Timing peerSubmit;
        auto submitOurs = [&] {
            oursSubmit = need(ours.submit(runId, kPeerShapedType), QStringLiteral("our submit"));
            need(ours.waitCompleted(runId, kPeerShapedType, kWaitMs), QStringLiteral("our batch"));
        };
        auto submitPeer = [&] {
            if (!options.peer)
                return;
            peerSubmit = need(peer.submit(runId, kPeerShapedType), QStringLiteral("the peer's submit"));
            need(peer.waitCompleted(runId, kPeerShapedType, kWaitMs), QStringLiteral("the peer's batch"));
        };
        oursFirst ? (submitOurs(), submitPeer()) : (submitPeer(), submitOurs());

        qint64 oursResults = 0;
        qint64 peerResults = 0;
        Timing oursProcess;
        Timing peerProcess;
        auto processOurs = [&] {
            oursProcess = need(ours.process(runId, kPeerShapedType, &oursResults), QStringLiteral("our process"));
        };
        auto processPeer = [&] {
            if (options.peer)
                peerProcess =
                    need(peer.process(runId, kPeerShapedType, &peerResults), QStringLiteral("the peer's process"));
        };
        oursFirst ? (processOurs(), processPeer()) : (processPeer(), processOurs());
        if (oursResults != options.items || (options.peer && peerResults != options.items))
            die(QStringLiteral("expected %1 results, ours stored %2 and the peer %3")
                    .arg(options.items)
                    .arg(oursResults)
                    .arg(peerResults));

        submit.ours.values.append(oursSubmit.wall);
        submitCpu.ours.values.append(oursSubmit.cpu);
        process.ours.values.append(oursProcess.wall);
        processCpu.ours.values.append(oursProcess.cpu);
        if (options.peer) {
            submit.peer.values.append(peerSubmit.wall);
            submitCpu.peer.values.append(peerSubmit.cpu);
            process.peer.values.append(peerProcess.wall);
            processCpu.peer.values.append(peerProcess.cpu);
        }
        if (run == 0) {
            const JobSnapshot job = need(ours.job(runId, kPeerShapedType), QStringLiteral("our job"));
            const qint64 input = need(ours.fileBytes(job.inputFileId), QStringLiteral("input file size"));
            const qint64 output = need(ours.fileBytes(job.outputFileId), QStringLiteral("output file size"));
            report.setup.insert(QStringLiteral("request file"),
                                QStringLiteral("%1 MB (ours)").arg(input / kMiB, 0, 'f', 1));
            report.setup.insert(QStringLiteral("output file"), QStringLiteral("%1 MB").arg(output / kMiB, 0, 'f', 1));
        }
        say(QStringLiteral("run %1/%2: submit ours %3 s (cpu %4), peer %5 s (cpu %6); process ours %7 s (cpu %8), "
                           "peer %9 s (cpu %10)")
                .arg(run + 1)
                .arg(options.runs)
                .arg(oursSubmit.wall, 0, 'f', 3)
                .arg(oursSubmit.cpu, 0, 'f', 3)
                .arg(peerSubmit.wall, 0, 'f', 3)
                .arg(peerSubmit.cpu, 0, 'f', 3)
                .arg(oursProcess.wall, 0, 'f', 3)
                .arg(oursProcess.cpu, 0, 'f', 3)
                .arg(peerProcess.wall, 0, 'f', 3)
                .arg(peerProcess.cpu, 0, 'f', 3));
    }
    report.figures << submit << process << submitCpu << processCpu;

    if (options.big) {
        // Size the embeddings run from a small calibration batch so that its output is ~bigMb.
        const QString embed = QStringLiteral("embed");
        const int calibrationItems = 200;
        const QString calibrationPath = temp.filePath(QStringLiteral("calibration.jsonl"));
        writeItems(calibrationPath, calibrationItems);
        const QString calibrationRun = QStringLiteral("big-calibration");
        need(ours.importItems(calibrationRun, calibrationPath), QStringLiteral("importing calibration items"));
        need(ours.submit(calibrationRun, embed), QStringLiteral("calibration submit"));
        need(ours.waitCompleted(calibrationRun, embed, kWaitMs), QStringLiteral("calibration batch"));
        const JobSnapshot calibration = need(ours.job(calibrationRun, embed), QStringLiteral("calibration job"));
        const qint64 perLine =
            need(ours.fileBytes(calibration.outputFileId), QStringLiteral("calibration output")) / calibrationItems;
        const int bigItems = int(options.bigMb * kMiB / double(qMax<qint64>(1, perLine))) + 1;
        const QString bigPath = temp.filePath(QStringLiteral("big-items.jsonl"));
        writeItems(bigPath, bigItems);
        say(QStringLiteral("big output: %1 embeddings of ~%2 bytes per output line").arg(bigItems).arg(perLine));

        Figure bigTime{QStringLiteral("process_big_time"),
                       QStringLiteral("process %1 MB output").arg(options.bigMb),
                       QStringLiteral("s"),
                       {},
                       {},
                       Figure::Goal::None,
                       0,
                       {}};
        Figure bigPeak{QStringLiteral("process_big_peak_rss"),
                       QStringLiteral("process %1 MB output, peak RSS").arg(options.bigMb),
                       QStringLiteral("MB"),
                       {},
                       {},
                       Figure::Goal::AtMost,
                       150,
                       {}};
        double outputMb = 0;
        double baselineMb = 0;
        for (int run = 0; run < options.bigRuns; ++run) {
            const QString runId = QStringLiteral("big-%1").arg(run);
            need(ours.importItems(runId, bigPath), QStringLiteral("importing big items"));
            need(ours.submit(runId, embed), QStringLiteral("big submit"));
            need(ours.waitCompleted(runId, embed, kWaitMs), QStringLiteral("big batch"));
            const JobSnapshot job = need(ours.job(runId, embed), QStringLiteral("big job"));
            outputMb = need(ours.fileBytes(job.outputFileId), QStringLiteral("big output size")) / kMiB;

            flushDirtyPages();
            const ChildReport child = processInChild({QStringLiteral("--db"),
                                                      ourDb,
                                                      QStringLiteral("--base-url"),
                                                      baseUrl.toString(),
                                                      QStringLiteral("--run"),
                                                      runId,
                                                      QStringLiteral("--type"),
                                                      embed,
                                                      QStringLiteral("--work-dir"),
                                                      temp.filePath(QStringLiteral("work"))});
            if (child.results != bigItems)
                die(QStringLiteral("expected %1 big results, stored %2").arg(bigItems).arg(child.results));
            bigTime.ours.values.append(child.seconds);
            bigPeak.ours.values.append(child.peakMb);
            baselineMb = child.rssBeforeMb;

            double peerSeconds = 0;
            double peerPeak = 0;
            if (options.peer) {
                // The peer's type is fixed (chat completions), so it cannot make this file itself: a
                // PENDING_PROCESSING job pointing at our batch's output lets it process the same bytes.
                need(peer.insertPendingProcessingJob(runId, embed, job.outputFileId),
                     QStringLiteral("the peer's big job"));
                peer.resetPeakRss();
                qint64 peerResults = 0;
                peerSeconds =
                    need(peer.process(runId, embed, &peerResults), QStringLiteral("the peer's big process")).wall;
                peerPeak = peer.peakRssKb() / 1024.0;
                bigTime.peer.values.append(peerSeconds);
                bigPeak.peer.values.append(peerPeak);
            }
            say(QStringLiteral("big %1/%2 (%3 MB): ours %4 s, peak %5 MB; peer %6 s, peak %7 MB")
                    .arg(run + 1)
                    .arg(options.bigRuns)
                    .arg(outputMb, 0, 'f', 1)
                    .arg(child.seconds, 0, 'f', 2)
                    .arg(child.peakMb, 0, 'f', 1)
                    .arg(peerSeconds, 0, 'f', 2)
                    .arg(peerPeak, 0, 'f', 1));
        }
        bigTime.note = QStringLiteral("%1 embeddings lines (%2 MB); ours in a fresh child process")
                           .arg(bigItems)
                           .arg(outputMb, 0, 'f', 1);
        bigPeak.note = QStringLiteral("VmHWM of the whole process (ours: %1 MB resident before the call; the "
                                      "peer's peak reset just before its call)")
                           .arg(baselineMb, 0, 'f', 1);
        report.setup.insert(QStringLiteral("big runs"), options.bigRuns);
        report.figures << bigTime << bigPeak;
    }

    const QString table = report.table();
    std::printf("\n%s", qPrintable(table));
    std::fflush(stdout);
    QFile json(options.jsonPath);
    if (!json.open(QIODevice::WriteOnly | QIODevice::Truncate))
        die(QStringLiteral("cannot write %1").arg(options.jsonPath));
    json.write(QJsonDocument(report.toJson()).toJson());
    say(QStringLiteral("\nwritten to %1").arg(QFileInfo(json).absoluteFilePath()));
    peer.stop();
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    // The engine's per-job info lines would drown the progress lines; warnings still show.
    QLoggingCategory::setFilterRules(QStringLiteral("batchdeck.*.info=false"));
    // SQLite takes its settings before its first connection, and the peer's side opens one (filling the
    // peer's items) before the engine's Database would: set Batchdeck's first, as the product does.
    sqlite::configureLibrary();
    const QStringList arguments = app.arguments();
    const QString command = arguments.value(1);
    if (command == QStringLiteral("simulate"))
        return runSimulatorChild(arguments.mid(2));
    if (command == QStringLiteral("process"))
        return runProcessChild(arguments.mid(2));
    if (command == QStringLiteral("submit"))
        return runSubmitChild(arguments.mid(2));
    try {
        return runBenchmark(parseOptions(arguments));
    } catch (const Failure& failure) {
        say(QStringLiteral("bench_engine: ") + failure.message);
        return 1;
    }
}
