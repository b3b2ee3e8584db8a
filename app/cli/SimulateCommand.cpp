#include "SimulateCommand.h"

#include <csignal>
#include <cstdio>
#include <memory>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QSocketNotifier>

#include <unistd.h>

#include "simulator/SimulatorServer.h"

namespace batchdeck::cli {

using namespace Qt::StringLiterals;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    // Only async-signal-safe work here: the event loop picks the byte up and quits.
    [[maybe_unused]] const ssize_t written = ::write(g_signalPipe[1], &byte, 1);
}

// Quits the event loop on SIGINT/SIGTERM through a self-pipe, and restores the old handlers after.
class QuitOnSignals
{
public:
    QuitOnSignals()
    {
        if (::pipe(g_signalPipe) != 0)
            return;
        m_notifier = std::make_unique<QSocketNotifier>(g_signalPipe[0], QSocketNotifier::Read);
        QObject::connect(m_notifier.get(), &QSocketNotifier::activated, QCoreApplication::instance(), [] {
            char byte = 0;
            [[maybe_unused]] const ssize_t bytes = ::read(g_signalPipe[0], &byte, 1);
            QCoreApplication::quit();
        });
        struct sigaction action = {};
        action.sa_handler = onSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        sigaction(SIGINT, &action, &m_oldInt);
        sigaction(SIGTERM, &action, &m_oldTerm);
    }

    ~QuitOnSignals()
    {
        if (!m_notifier)
            return;
        sigaction(SIGINT, &m_oldInt, nullptr);
        sigaction(SIGTERM, &m_oldTerm, nullptr);
        m_notifier.reset();
        ::close(g_signalPipe[0]);
        ::close(g_signalPipe[1]);
        g_signalPipe[0] = g_signalPipe[1] = -1;
    }

private:
    std::unique_ptr<QSocketNotifier> m_notifier;
    struct sigaction m_oldInt = {};
    struct sigaction m_oldTerm = {};
};

bool parseListen(const QString& text, QHostAddress* address, quint16* port)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    QString host = text.first(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint number = text.sliced(colon + 1).toUInt(&ok);
    if (!ok || number > 65535 || !address->setAddress(host == u"localhost" ? u"127.0.0.1"_s : host))
        return false;
    *port = quint16(number);
    return true;
}

bool parseNumber(
    const QCommandLineParser& parser, const QCommandLineOption& option, double min, double max, double* out)
{
    if (!parser.isSet(option))
        return true;
    bool ok = false;
    const double value = parser.value(option).toDouble(&ok);
    if (!ok || value < min || value > max) {
        std::fprintf(stderr,
                     "batchdeck-cli simulate: --%s must be a number from %g to %g\n",
                     qPrintable(option.names().constFirst()),
                     min,
                     max);
        return false;
    }
    *out = value;
    return true;
}

} // namespace

int runSimulateCommand(const QStringList& arguments)
{
    std::unique_ptr<QCoreApplication> ownApplication;
    if (!QCoreApplication::instance()) {
        static int argc = 1;
        static char name[] = "batchdeck-cli";
        static char* argv[] = {name, nullptr};
        ownApplication = std::make_unique<QCoreApplication>(argc, argv);
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Runs an OpenAI-compatible Files + Batches API simulator (see engine/simulator/README.md)."_s);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Shows this help."_s);
    const QCommandLineOption listen(
        u"listen"_s, u"Address and port; port 0 picks a free one."_s, u"HOST:PORT"_s, u"127.0.0.1:8089"_s);
    const QCommandLineOption phase(
        u"phase-ms"_s, u"Duration of validating, in_progress and finalizing each."_s, u"MS"_s, u"2000"_s);
    const QCommandLineOption expiry(
        u"expiry-ms"_s, u"The completion window (expires_at - created_at)."_s, u"MS"_s, u"86400000"_s);
    const QCommandLineOption stateDir(u"state-dir"_s, u"Keep files and batches here across restarts."_s, u"DIR"_s);
    const QCommandLineOption apiKey(u"api-key"_s, u"Require this key (Authorization: Bearer KEY)."_s, u"KEY"_s);
    const QCommandLineOption seed(u"seed"_s, u"Seed for fault rolls and output order."_s, u"N"_s, u"1"_s);
    const QCommandLineOption fail429(u"fail-429"_s, u"Share of requests answered 429."_s, u"RATIO"_s);
    const QCommandLineOption fail500(u"fail-500"_s, u"Share of requests answered 500."_s, u"RATIO"_s);
    const QCommandLineOption retryAfter(u"retry-after"_s, u"Retry-After seconds on 429s."_s, u"SECONDS"_s);
    const QCommandLineOption stall(u"stall-ms"_s, u"Delay every response."_s, u"MS"_s);
    const QCommandLineOption createDelay(u"create-delay-ms"_s, u"Delay batch creation answers."_s, u"MS"_s);
    const QCommandLineOption emptyIds(u"empty-string-file-ids"_s, u"\"\" instead of null for missing file ids."_s);
    const QCommandLineOption tokenLimit(u"token-limit"_s, u"Enqueued-token limit per model (0: none)."_s, u"TOKENS"_s);
    // Global options of batchdeck-cli, accepted so that the dispatcher can pass them on; unused here.
    QCommandLineOption db(u"db"_s, QString(), u"URL"_s);
    db.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption json(u"json"_s, QString());
    json.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({help,
                       listen,
                       phase,
                       expiry,
                       stateDir,
                       apiKey,
                       seed,
                       fail429,
                       fail500,
                       retryAfter,
                       stall,
                       createDelay,
                       emptyIds,
                       tokenLimit,
                       db,
                       json});

    QStringList words = arguments;
    if (!words.isEmpty() && words.constFirst() == u"simulate")
        words.removeFirst();
    if (!parser.parse(QStringList{u"batchdeck-cli simulate"_s} + words)) {
        std::fprintf(stderr, "batchdeck-cli simulate: %s\n", qPrintable(parser.errorText()));
        return kExitUsage;
    }
    if (parser.isSet(help)) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return kExitOk;
    }
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr,
                     "batchdeck-cli simulate: unexpected argument '%s'\n",
                     qPrintable(parser.positionalArguments().constFirst()));
        return kExitUsage;
    }

    QHostAddress address;
    quint16 port = 0;
    if (!parseListen(parser.value(listen), &address, &port)) {
        std::fprintf(
            stderr, "batchdeck-cli simulate: --listen wants HOST:PORT, got '%s'\n", qPrintable(parser.value(listen)));
        return kExitUsage;
    }
    sim::SimulatorOptions options;
    double phaseMs = double(options.phaseMs);
    double expiryMs = double(options.expiryMs);
    double seedValue = double(options.seed);
    double retryAfterSeconds = options.faults.retryAfterSeconds;
    double stallMs = 0;
    double createDelayMs = 0;
    double tokens = 0;
    constexpr double kMaxMs = 365.0 * 24 * 3600 * 1000;
    if (!parseNumber(parser, phase, 0, kMaxMs, &phaseMs) || !parseNumber(parser, expiry, 0, kMaxMs, &expiryMs) ||
        !parseNumber(parser, seed, 0, 9e15, &seedValue) ||
        !parseNumber(parser, fail429, 0, 1, &options.faults.fail429Ratio) ||
        !parseNumber(parser, fail500, 0, 1, &options.faults.fail500Ratio) ||
        !parseNumber(parser, retryAfter, 0, 86400, &retryAfterSeconds) ||
        !parseNumber(parser, stall, 0, kMaxMs, &stallMs) ||
        !parseNumber(parser, createDelay, 0, kMaxMs, &createDelayMs) ||
        !parseNumber(parser, tokenLimit, 0, 9e15, &tokens)) {
        return kExitUsage;
    }
    if (options.faults.fail429Ratio + options.faults.fail500Ratio > 1) {
        std::fputs("batchdeck-cli simulate: --fail-429 plus --fail-500 must not exceed 1\n", stderr);
        return kExitUsage;
    }
    options.phaseMs = qint64(phaseMs);
    options.expiryMs = qint64(expiryMs);
    options.seed = quint64(seedValue);
    options.stateDir = parser.value(stateDir);
    options.apiKey = parser.value(apiKey);
    options.faults.retryAfterSeconds = int(retryAfterSeconds);
    options.faults.stallMs = qint64(stallMs);
    options.faults.createDelayMs = qint64(createDelayMs);
    options.faults.emptyStringFileIds = parser.isSet(emptyIds);
    options.faults.enqueuedTokenLimitPerModel = qint64(tokens);
    if (!address.isLoopback() && options.apiKey.isEmpty()) {
        std::fputs("batchdeck-cli simulate: warning: listening beyond loopback without --api-key; anyone who can "
                   "reach the port can use it\n",
                   stderr);
    }

    sim::SimulatorServer server(options);
    const Result<quint16> listening = server.listen(address, port);
    if (!listening) {
        std::fprintf(stderr, "batchdeck-cli simulate: %s\n", qPrintable(listening.error().message));
        return kExitFailure;
    }
    QuitOnSignals quitOnSignals;
    std::printf("simulator listening on %s\n", qPrintable(server.baseUrl().toString()));
    std::fflush(stdout);
    QCoreApplication::exec();
    server.close();
    return kExitOk;
}

} // namespace batchdeck::cli
