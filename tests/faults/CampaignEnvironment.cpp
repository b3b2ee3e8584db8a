#include "CampaignEnvironment.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QThread>

#include "CliProcess.h"
#include "TestDatabase.h"
#include "store/Database.h"

namespace batchdeck::faults {

bool CampaignEnvironment::start(QString* error, int phaseMs, const QString& databaseUrl)
{
    if (!m_dir.isValid()) {
        *error = QStringLiteral("cannot create a temporary folder");
        return false;
    }
    m_databaseUrl = databaseUrl.isEmpty() ? test::freshDatabaseUrl(m_dir) : databaseUrl;
    if (m_databaseUrl.isEmpty()) {
        *error = QStringLiteral("BATCHDECK_TEST_PG_URL is not set: run the PostgreSQL variant through ./test.sh");
        return false;
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TMPDIR"), m_dir.path());
    m_simulator = std::make_unique<test::SimulatorProcess>();
    if (!m_simulator->start(phaseMs, env)) {
        *error = QStringLiteral("the simulator did not start: ") +
                 QString::fromLocal8Bit(m_simulator->process().readAllStandardError());
        return false;
    }
    return true;
}

std::shared_ptr<Database> CampaignEnvironment::database()
{
    if (!m_database) {
        auto opened = Database::open(m_databaseUrl);
        if (!opened)
            qFatal("cannot open %s: %s", qPrintable(m_databaseUrl), qPrintable(opened.error().message));
        m_database = *opened;
    }
    return m_database;
}

QProcessEnvironment CampaignEnvironment::cliEnvironment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("BATCHDECK_DB"), m_databaseUrl);
    env.insert(QStringLiteral("OPENAI_BASE_URL"), m_simulator->baseUrl());
    env.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-fault-campaign"));
    env.insert(QStringLiteral("BATCHDECK_SUBMIT_LEASE_MS"), QString::number(kLeaseMs));
    env.insert(QStringLiteral("BATCHDECK_PROCESS_LEASE_MS"), QString::number(kLeaseMs));
    env.insert(QStringLiteral("BATCHDECK_STATUS_INTERVAL_MS"), QStringLiteral("0"));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("batchdeck.service.debug=true"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("TMPDIR"), m_dir.path());
    return env;
}

std::unique_ptr<QProcess> CampaignEnvironment::startCli(const QStringList& arguments) const
{
    auto process = std::make_unique<QProcess>();
    process->setProcessEnvironment(cliEnvironment());
    process->start(test::cliPath(), arguments);
    return process;
}

CliRun CampaignEnvironment::runCli(const QStringList& arguments, int timeoutMs) const
{
    auto process = startCli(arguments);
    CliRun run;
    if (!process->waitForFinished(timeoutMs)) {
        process->kill();
        process->waitForFinished(5000);
    } else if (process->exitStatus() == QProcess::NormalExit) {
        run.exitCode = process->exitCode();
    }
    run.out = process->readAllStandardOutput();
    run.err = process->readAllStandardError();
    return run;
}

CliRun CampaignEnvironment::runUntilDone(const QStringList& arguments, int* busy, int* retried) const
{
    QElapsedTimer clock;
    clock.start();
    CliRun run;
    while (clock.elapsed() < 180'000) {
        run = runCli(arguments);
        if (run.exitCode == 4) { // another worker holds the job: a dead one's lease runs out soon
            if (busy)
                ++*busy;
            QThread::msleep(150);
            continue;
        }
        if (run.exitCode == 6) { // the provider still failed after the client's own retries
            if (retried)
                ++*retried;
            QThread::msleep(300);
            continue;
        }
        break;
    }
    return run;
}

std::unique_ptr<test::CliProcess>
CampaignEnvironment::startServe(const QStringList& extra, const QString& databaseUrl, const QStringList& unset) const
{
    QProcessEnvironment env = cliEnvironment();
    for (const QString& name : unset)
        env.remove(name);
    if (!databaseUrl.isEmpty())
        env.insert(QStringLiteral("BATCHDECK_DB"), databaseUrl);
    auto serve = std::make_unique<test::CliProcess>();
    // One log line per request: to a file, so that a long run never fills a pipe nobody reads.
    static int serveCount = 0;
    const QString log = m_dir.filePath(QStringLiteral("serve-%1.log").arg(++serveCount));
    serve->process().setStandardErrorFile(log);
    QStringList arguments{QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")};
    arguments += extra;
    if (!serve->start(arguments, env, QStringLiteral("batchdeck serve ready on (http://127\\.0\\.0\\.1:\\d+)"))) {
        QFile file(log);
        (void)file.open(QIODevice::ReadOnly);
        qWarning().noquote() << "serve did not get ready:" << file.readAll().right(2000);
        return {};
    }
    return serve;
}

bool CampaignEnvironment::importItems(const QString& runId, int count, const QString& textPrefix)
{
    const QString file = m_dir.filePath(QStringLiteral("items-%1.jsonl").arg(count));
    if (!QFile::exists(file)) {
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly))
            return false;
        for (int i = 0; i < count; ++i)
            out.write(QStringLiteral("{\"id\":\"k%1\",\"text\":\"%2 number %1: a few words to summarize, so that "
                                     "every request and every answer has some body\"}\n")
                          .arg(i)
                          .arg(textPrefix)
                          .toUtf8());
    }
    const CliRun run = runCli({QStringLiteral("import"), runId, file});
    if (run.exitCode != 0)
        qWarning().noquote() << "import" << runId << "exited" << run.exitCode << run.err;
    return run.exitCode == 0;
}

KilledRun CampaignEnvironment::killAfterStep(std::unique_ptr<QProcess> process, const QString& step, int delayMs) const
{
    static const QRegularExpression stepLine(QStringLiteral("step: (\\S+) job"));
    KilledRun outcome;
    process->setReadChannel(QProcess::StandardError);
    QElapsedTimer clock;
    clock.start();
    qint64 killAt = step.isEmpty() ? delayMs : -1;
    qint64 stepAt = step.isEmpty() ? 0 : -1;
    QByteArray pending;
    const auto readSteps = [&] {
        pending += process->readAllStandardError();
        qsizetype end;
        while ((end = pending.indexOf('\n')) >= 0) {
            const QByteArray line = pending.first(end);
            outcome.err += line + '\n';
            pending.remove(0, end + 1);
            const auto match = stepLine.match(QString::fromUtf8(line));
            if (!match.hasMatch())
                continue;
            outcome.lastStep = match.captured(1);
            if (killAt < 0 && outcome.lastStep == step) {
                stepAt = clock.elapsed();
                killAt = stepAt + delayMs;
            }
        }
    };
    while (process->state() != QProcess::NotRunning) {
        process->waitForReadyRead(2);
        readSteps();
        if ((killAt >= 0 && clock.elapsed() >= killAt) || clock.elapsed() > 120'000) {
            process->kill(); // SIGKILL; never ::kill(pid)
            break;
        }
    }
    const qint64 endedAt = clock.elapsed();
    process->waitForFinished(10'000);
    readSteps();
    outcome.msAfterStep = stepAt >= 0 ? endedAt - stepAt : -1;
    outcome.killed = process->exitStatus() == QProcess::CrashExit;
    if (!outcome.killed)
        outcome.exitCode = process->exitCode();
    return outcome;
}

} // namespace batchdeck::faults
