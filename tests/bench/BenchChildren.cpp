#include "BenchChildren.h"

#include <cstdio>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>

#include <unistd.h>

#include "BenchItems.h"
#include "EngineSide.h"
#include "ProcStats.h"
#include "simulator/SimulatorServer.h"

namespace batchdeck::bench {

namespace {

// Parses `--name value` options; prints the problem and returns false on a bad command line.
bool parse(QCommandLineParser& parser, const QString& command, const QStringList& arguments)
{
    if (!parser.parse(QStringList{QStringLiteral("bench_engine ") + command} + arguments)) {
        std::fprintf(stderr, "bench_engine %s: %s\n", qPrintable(command), qPrintable(parser.errorText()));
        return false;
    }
    return true;
}

} // namespace

int runSimulatorChild(const QStringList& arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption phase(QStringLiteral("phase-ms"), QStringLiteral("Phase length"), QStringLiteral("ms"));
    const QCommandLineOption state(QStringLiteral("state-dir"), QStringLiteral("State folder"), QStringLiteral("dir"));
    parser.addOptions({phase, state});
    if (!parse(parser, QStringLiteral("simulate"), arguments))
        return 2;

    sim::SimulatorOptions options;
    options.phaseMs = parser.value(phase).toLongLong();
    options.stateDir = parser.value(state);
    sim::SimulatorServer server(options);
    auto port = server.listen();
    if (!port) {
        std::fprintf(stderr, "bench_engine simulate: %s\n", qPrintable(port.error().message));
        return 1;
    }
    std::printf("port %u\n", unsigned(*port));
    std::fflush(stdout);

    // The driver owns our lifetime through our standard input: end of file means quit.
    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&input, &QSocketNotifier::activated, &input, [&input]() {
        char buffer[256];
        if (::read(STDIN_FILENO, buffer, sizeof buffer) <= 0) {
            input.setEnabled(false);
            QCoreApplication::quit();
        }
    });
    return QCoreApplication::exec();
}

namespace {

struct EngineOptions
{
    QCommandLineOption db{QStringLiteral("db"), QStringLiteral("Database URL"), QStringLiteral("url")};
    QCommandLineOption baseUrl{QStringLiteral("base-url"), QStringLiteral("Provider URL"), QStringLiteral("url")};
    QCommandLineOption run{QStringLiteral("run"), QStringLiteral("Run id"), QStringLiteral("run")};
    QCommandLineOption type{QStringLiteral("type"), QStringLiteral("Batch type"), QStringLiteral("type")};
    QCommandLineOption work{QStringLiteral("work-dir"), QStringLiteral("Work folder"), QStringLiteral("dir")};

    void addTo(QCommandLineParser& parser) const { parser.addOptions({db, baseUrl, run, type, work}); }
};

int failed(const char* command, const Error& error)
{
    std::fprintf(stderr, "bench_engine %s: %s\n", command, qPrintable(error.message));
    return 1;
}

void printJson(const QJsonObject& object)
{
    std::printf("%s\n", QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

} // namespace

int runProcessChild(const QStringList& arguments)
{
    QCommandLineParser parser;
    const EngineOptions o;
    o.addTo(parser);
    if (!parse(parser, QStringLiteral("process"), arguments))
        return 2;

    EngineSide engine;
    if (auto opened = engine.open(parser.value(o.db), QUrl(parser.value(o.baseUrl)), parser.value(o.work)); !opened)
        return failed("process", opened.error());
    const qint64 before = procStatusKb(QStringLiteral("self"), "VmRSS");
    qint64 results = 0;
    auto timing = engine.process(parser.value(o.run), parser.value(o.type), &results);
    if (!timing)
        return failed("process", timing.error());
    printJson({{QStringLiteral("seconds"), timing->wall},
               {QStringLiteral("cpu_seconds"), timing->cpu},
               {QStringLiteral("peak_rss_kb"), procStatusKb(QStringLiteral("self"), "VmHWM")},
               {QStringLiteral("rss_before_kb"), before},
               {QStringLiteral("results"), results}});
    return 0;
}

int runSubmitChild(const QStringList& arguments)
{
    QCommandLineParser parser;
    const EngineOptions o;
    o.addTo(parser);
    const QCommandLineOption generate(
        QStringLiteral("generate"), QStringLiteral("Items to import first"), QStringLiteral("n"));
    const QCommandLineOption wait(QStringLiteral("wait"), QStringLiteral("Wait until the batch completed"));
    parser.addOptions({generate, wait});
    if (!parse(parser, QStringLiteral("submit"), arguments))
        return 2;

    EngineSide engine;
    if (auto opened = engine.open(parser.value(o.db), QUrl(parser.value(o.baseUrl)), parser.value(o.work)); !opened)
        return failed("submit", opened.error());
    const QString run = parser.value(o.run);
    const QString type = parser.value(o.type);
    if (parser.isSet(generate)) {
        const QString path = parser.value(o.work) + QStringLiteral("/items-") + run + QStringLiteral(".jsonl");
        if (!writeItems(path, parser.value(generate).toInt()))
            return failed("submit", makeError(ErrorKind::Io, QStringLiteral("cannot write %1").arg(path)));
        if (auto imported = engine.importItems(run, path); !imported)
            return failed("submit", imported.error());
    }
    auto timing = engine.submit(run, type);
    if (!timing)
        return failed("submit", timing.error());
    if (parser.isSet(wait)) {
        if (auto done = engine.waitCompleted(run, type, 15 * 60 * 1000); !done)
            return failed("submit", done.error());
    }
    printJson({{QStringLiteral("seconds"), timing->wall}, {QStringLiteral("cpu_seconds"), timing->cpu}});
    return 0;
}

} // namespace batchdeck::bench
