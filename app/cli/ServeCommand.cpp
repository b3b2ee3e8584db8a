#include "ServeCommand.h"

#include <cstdio>

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTimer>

#include <unistd.h>

#include "CommandLine.h"
#include "ExitCodes.h"
#include "ShutdownSignals.h"
#include "core/Logging.h"
#include "http/ApiServer.h"
#include "service/Poller.h"

namespace batchdeck::cli {

namespace {

constexpr int kDatabaseRetryMs = 2000;

struct ServeSettings
{
    QHostAddress address;
    quint16 port = 8080;
    QString tlsCert;
    QString tlsKey;
    double autoPollSeconds = 0;
    bool autoProcess = false;
    int drainTimeoutMs = 30'000;
    http::ApiServerOptions server;
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
    if (!ok || number > 65535 || !address->setAddress(host == u"localhost" ? QStringLiteral("127.0.0.1") : host))
        return false;
    *port = quint16(number);
    return true;
}

// --log-format json: every message one JSON object per line on stderr; the request log's own JSON
// lines (batchdeck.http) are merged in, so a log shipper sees flat records.
void jsonMessageHandler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    static const char* const levels[] = {"debug", "warning", "critical", "fatal", "info"};
    QJsonObject line;
    if (message.startsWith(u'{'))
        line = QJsonDocument::fromJson(message.toUtf8()).object();
    if (line.isEmpty())
        line.insert(QStringLiteral("message"), message);
    if (!line.contains(QStringLiteral("ts")))
        line.insert(QStringLiteral("ts"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    line.insert(QStringLiteral("level"), QLatin1String(levels[qBound(0, int(type), 4)]));
    line.insert(QStringLiteral("category"), QLatin1String(context.category ? context.category : "default"));
    const QByteArray text = QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(text.constData(), 1, size_t(text.size()), stderr);
}

Result<QSslConfiguration> loadTls(const QString& certPath, const QString& keyPath)
{
    QFile certFile(certPath);
    QFile keyFile(keyPath);
    if (!certFile.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("cannot read --tls-cert %1: %2").arg(certPath, certFile.errorString()));
    if (!keyFile.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("cannot read --tls-key %1: %2").arg(keyPath, keyFile.errorString()));
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    const QByteArray keyBytes = keyFile.readAll();
    QSslKey key(keyBytes, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyBytes, QSsl::Ec, QSsl::Pem);
    if (chain.isEmpty())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("--tls-cert %1 holds no PEM certificate").arg(certPath));
    if (key.isNull())
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("--tls-key %1 holds no unencrypted PEM RSA or EC key").arg(keyPath));
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    return configuration;
}

// One serve run: the server listens at once; the engine (database, provider) opens behind it, with
// retries while the database is unreachable; signals drain it.
class ServeSession : public QObject
{
public:
    ServeSession(const CommandLine& cli, ServeSettings settings)
        : m_cli(cli)
        , m_settings(std::move(settings))
        , m_server(m_settings.server)
    {
        connect(&m_signals, &ShutdownSignals::received, this, &ServeSession::onSignal);
        connect(&m_server, &http::ApiServer::drained, this, &ServeSession::onDrained);
        m_retry.setSingleShot(true);
        connect(&m_retry, &QTimer::timeout, this, &ServeSession::openEngine);
    }

    ~ServeSession() override
    {
        // Users of the engine first: the poller and the routes hold references into it.
        m_poller.reset();
        m_engine.reset();
    }

    int run()
    {
        if (!m_settings.tlsCert.isEmpty()) {
            auto tls = loadTls(m_settings.tlsCert, m_settings.tlsKey);
            if (!tls)
                return fail(tls.error());
            m_server.setTlsConfiguration(*tls);
        }
        auto listening = m_server.listen(m_settings.address, m_settings.port);
        if (!listening)
            return fail(listening.error());
        const QString scheme = m_settings.tlsCert.isEmpty() ? QStringLiteral("http") : QStringLiteral("https");
        QString host = m_settings.address.toString();
        if (m_settings.address.protocol() == QAbstractSocket::IPv6Protocol)
            host = u'[' + host + u']';
        m_url = QStringLiteral("%1://%2:%3").arg(scheme, host).arg(*listening);
        qCInfo(lcCli).noquote() << "listening on" << m_url << "(not ready until the database is open)";
        openEngine();
        if (m_exitCode >= 0)
            return m_exitCode;
        QCoreApplication::exec();
        return m_exitCode < 0 ? ExitOk : m_exitCode;
    }

private:
    void openEngine()
    {
        if (m_stopping)
            return;
        auto engine = m_cli.openEngine();
        if (!engine) {
            if (engine.error().kind == ErrorKind::Database) {
                qCWarning(lcCli).noquote() << "the database is not available yet; trying again in"
                                           << kDatabaseRetryMs / 1000 << "s:" << engine.error().message;
                m_retry.start(kDatabaseRetryMs);
                return;
            }
            m_exitCode = fail(engine.error());
            QCoreApplication::exit(m_exitCode);
            return;
        }
        m_engine = std::move(*engine);
        m_server.setEngine(m_engine->service(), &m_engine->provider());
        if (m_settings.autoPollSeconds > 0 || m_settings.autoProcess) {
            PollerOptions options;
            options.intervalMs = qint64((m_settings.autoPollSeconds > 0 ? m_settings.autoPollSeconds : 30) * 1000);
            options.autoProcess = m_settings.autoProcess;
            m_poller = std::make_unique<Poller>(m_engine->service(), options);
            connect(m_poller.get(), &Poller::tickFinished, this, &ServeSession::onTickFinished);
            m_poller->start();
        }
        qCInfo(lcCli).noquote() << "ready on" << m_url << (m_engine->isDemo() ? "(demo)" : "");
        printOut(QStringLiteral("batchdeck serve ready on %1\n").arg(m_url));
    }

    void onSignal(int signalNumber)
    {
        if (m_stopping) {
            qCWarning(lcCli) << "second signal: stopping without waiting for requests in flight";
            finishNow(ExitFailure);
            return;
        }
        m_stopping = true;
        qCInfo(lcCli).noquote() << "signal" << signalNumber << "- finishing" << m_server.requestsInFlight()
                                << "requests in flight, then exiting";
        m_retry.stop();
        if (m_poller)
            m_poller->stop();
        m_server.drain();
        QTimer::singleShot(m_settings.drainTimeoutMs, this, [this] {
            qCWarning(lcCli) << "requests still in flight after the drain timeout; exiting anyway";
            finishNow(ExitFailure);
        });
    }

    void onDrained()
    {
        m_drained = true;
        maybeQuit();
    }

    void onTickFinished()
    {
        if (m_stopping)
            maybeQuit();
    }

    void maybeQuit()
    {
        if (!m_drained || (m_poller && m_poller->isTicking()))
            return; // a poller round finishes its provider calls first; tickFinished comes back here
        qCInfo(lcCli) << "drained; exiting";
        // Every request is answered; tearing the engine down could still meet a suspended coroutine
        // (a provider retry timer, a closing keep-alive connection) and crash on the way out, which an
        // exit code must not report. Committed work is in the database; leave without destructors.
        finishNow(ExitOk);
    }

    // Coroutines still suspended on the engine cannot be torn down safely: leave without destructors.
    // Leases and compare-and-set transitions make an abrupt exit safe for the jobs.
    static void finishNow(int code)
    {
        std::fflush(stdout);
        std::fflush(stderr);
        ::_exit(code);
    }

    const CommandLine& m_cli;
    ServeSettings m_settings;
    ShutdownSignals m_signals;
    http::ApiServer m_server;
    std::unique_ptr<app::AppEngine> m_engine;
    std::unique_ptr<Poller> m_poller;
    QTimer m_retry;
    QString m_url;
    int m_exitCode = -1;
    bool m_stopping = false;
    bool m_drained = false;
};

} // namespace

int runServeCommand(const QStringList& arguments)
{
    CommandLine cli(arguments,
                    QStringLiteral("serve [--listen HOST:PORT] [--token-file FILE] [--auto-poll SECONDS] "
                                   "[--auto-process] [--log-format text|json] [--demo]"),
                    QStringLiteral("Serve the HTTP API for Airflow and other callers (routes: GET /openapi.json). "
                                   "Every route but /healthz needs Authorization: Bearer <token> when a token is "
                                   "set (BATCHDECK_API_TOKEN or --token-file); without one the server only listens "
                                   "on a loopback address. SIGTERM/SIGINT finish the requests in flight, then exit "
                                   "0."));
    const QCommandLineOption listen(QStringLiteral("listen"),
                                    QStringLiteral("Address and port (default 127.0.0.1:8080; port 0 picks one)."),
                                    QStringLiteral("host:port"),
                                    QStringLiteral("127.0.0.1:8080"));
    const QCommandLineOption tokenFile(
        QStringLiteral("token-file"),
        QStringLiteral("Read the bearer token from the first line of this file (else $BATCHDECK_API_TOKEN)."),
        QStringLiteral("file"));
    const QCommandLineOption autoPoll(QStringLiteral("auto-poll"),
                                      QStringLiteral("Refresh submitted jobs from the provider every SECONDS."),
                                      QStringLiteral("seconds"));
    const QCommandLineOption autoProcess(QStringLiteral("auto-process"),
                                         QStringLiteral("Also process jobs whose batch completed (polls every 30 s "
                                                        "unless --auto-poll says otherwise)."));
    const QCommandLineOption logFormat(QStringLiteral("log-format"),
                                       QStringLiteral("text (default) or json: one JSON object per line."),
                                       QStringLiteral("format"),
                                       QStringLiteral("text"));
    const QCommandLineOption maxBody(QStringLiteral("max-body-mb"),
                                     QStringLiteral("Largest request body in MiB (default 256); larger gets 413."),
                                     QStringLiteral("mib"));
    const QCommandLineOption drainTimeout(QStringLiteral("drain-timeout"),
                                          QStringLiteral("Seconds to wait for requests in flight on SIGTERM (30)."),
                                          QStringLiteral("seconds"));
    const QCommandLineOption statusCache(QStringLiteral("status-cache-ms"),
                                         QStringLiteral("Answer repeated status requests from memory for this long "
                                                        "(default 1000; 0: off). Changes made by this server show at "
                                                        "once, those of other servers after at most this."),
                                         QStringLiteral("ms"));
    const QCommandLineOption tlsCert(QStringLiteral("tls-cert"),
                                     QStringLiteral("Serve HTTPS with this PEM certificate (chain)."),
                                     QStringLiteral("file"));
    const QCommandLineOption tlsKey(
        QStringLiteral("tls-key"), QStringLiteral("The PEM private key for --tls-cert."), QStringLiteral("file"));
    for (const QCommandLineOption& option :
         {listen, tokenFile, autoPoll, autoProcess, logFormat, maxBody, drainTimeout, statusCache, tlsCert, tlsKey})
        cli.addOption(option);
    int exitCode = ExitOk;
    if (!cli.parse(exitCode, 0))
        return exitCode;
    const QCommandLineParser& parser = cli.parser();

    ServeSettings settings;
    if (!parseListen(parser.value(listen), &settings.address, &settings.port))
        return fail(makeError(ErrorKind::InvalidInput,
                              QStringLiteral("--listen wants HOST:PORT, got '%1'").arg(parser.value(listen))));
    const auto number = [&parser](const QCommandLineOption& option, double min, double max, double* out) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        const double value = parser.value(option).toDouble(&ok);
        if (!ok || value < min || value > max)
            return false;
        *out = value;
        return true;
    };
    double maxBodyMb = 256;
    double drainSeconds = 30;
    double statusCacheMs = double(settings.server.statusCacheMs);
    if (!number(autoPoll, 0.1, 86400, &settings.autoPollSeconds) || !number(maxBody, 1, 65536, &maxBodyMb) ||
        !number(drainTimeout, 0, 3600, &drainSeconds) || !number(statusCache, 0, 600'000, &statusCacheMs))
        return fail(makeError(ErrorKind::InvalidInput,
                              QStringLiteral("--auto-poll (0.1-86400), --max-body-mb (1-65536), --drain-timeout "
                                             "(0-3600) and --status-cache-ms (0-600000) take numbers in those "
                                             "ranges")));
    settings.server.statusCacheMs = qint64(statusCacheMs);
    settings.autoProcess = parser.isSet(autoProcess);
    settings.drainTimeoutMs = int(drainSeconds * 1000);
    settings.server.maxBodyBytes = qint64(maxBodyMb * 1024 * 1024);
    const QString format = parser.value(logFormat);
    if (format == u"json") {
        settings.server.logFormat = http::RequestLog::Format::Json;
        qInstallMessageHandler(jsonMessageHandler);
    } else if (format != u"text") {
        return fail(makeError(ErrorKind::InvalidInput, QStringLiteral("--log-format is text or json")));
    }
    settings.tlsCert = parser.value(tlsCert);
    settings.tlsKey = parser.value(tlsKey);
    if (settings.tlsCert.isEmpty() != settings.tlsKey.isEmpty())
        return fail(makeError(ErrorKind::InvalidInput, QStringLiteral("--tls-cert and --tls-key go together")));
    auto token = http::BearerAuth::tokenFrom(parser.value(tokenFile), qgetenv("BATCHDECK_API_TOKEN"));
    if (!token)
        return fail(token.error());
    settings.server.token = *token;

    ServeSession session(cli, std::move(settings));
    return session.run();
}

} // namespace batchdeck::cli
