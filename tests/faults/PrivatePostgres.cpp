#include "PrivatePostgres.h"

#include <QCollator>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTcpServer>

#include <unistd.h>

namespace batchdeck::faults {

namespace {

QString newestServerBin()
{
    QStringList versions = QDir(QStringLiteral("/usr/lib/postgresql")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCollator collator;
    collator.setNumericMode(true);
    std::sort(versions.begin(), versions.end(), collator);
    for (auto version = versions.crbegin(); version != versions.crend(); ++version) {
        const QString bin = QStringLiteral("/usr/lib/postgresql/%1/bin").arg(*version);
        if (QFile::exists(bin + QStringLiteral("/pg_ctl")))
            return bin;
    }
    return {};
}

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

} // namespace

PrivatePostgres::~PrivatePostgres()
{
    if (m_running)
        run(m_bin + QStringLiteral("/pg_ctl"),
            {QStringLiteral("-D"),
             m_dir.filePath(QStringLiteral("data")),
             QStringLiteral("-m"),
             QStringLiteral("immediate"),
             QStringLiteral("stop")});
}

bool PrivatePostgres::run(const QString& program, const QStringList& arguments, QString* output) const
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    // PostgreSQL refuses to run as root.
    if (::geteuid() == 0)
        process.start(QStringLiteral("runuser"),
                      QStringList{QStringLiteral("-u"), QStringLiteral("postgres"), QStringLiteral("--"), program} +
                          arguments);
    else
        process.start(program, arguments);
    const bool finished = process.waitForFinished(60'000);
    if (output)
        *output = QString::fromLocal8Bit(process.readAll());
    return finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

bool PrivatePostgres::start(QString* error)
{
    m_bin = newestServerBin();
    if (m_bin.isEmpty()) {
        *error = QStringLiteral("PostgreSQL server binaries not found (package postgresql)");
        return false;
    }
    if (!m_dir.isValid()) {
        *error = QStringLiteral("cannot create a temporary folder");
        return false;
    }
    QFile::setPermissions(m_dir.path(),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup | QFile::ExeGroup |
                              QFile::ReadOther | QFile::ExeOther);
    if (::geteuid() == 0 &&
        QProcess::execute(QStringLiteral("chown"), {QStringLiteral("postgres:postgres"), m_dir.path()}) != 0) {
        *error = QStringLiteral("cannot hand %1 to the postgres user").arg(m_dir.path());
        return false;
    }
    m_port = freeLoopbackPort();
    QString output;
    if (!run(m_bin + QStringLiteral("/initdb"),
             {QStringLiteral("-D"),
              m_dir.filePath(QStringLiteral("data")),
              QStringLiteral("-U"),
              QStringLiteral("postgres"),
              QStringLiteral("-A"),
              QStringLiteral("trust"),
              QStringLiteral("--no-sync"),
              QStringLiteral("-E"),
              QStringLiteral("UTF8")},
             &output)) {
        *error = QStringLiteral("initdb failed: ") + output;
        return false;
    }
    if (!restart()) {
        *error = QStringLiteral("the private PostgreSQL did not start (see %1)")
                     .arg(m_dir.filePath(QStringLiteral("server.log")));
        return false;
    }
    if (!run(m_bin + QStringLiteral("/createdb"),
             {QStringLiteral("-h"),
              QStringLiteral("127.0.0.1"),
              QStringLiteral("-p"),
              QString::number(m_port),
              QStringLiteral("-U"),
              QStringLiteral("postgres"),
              QStringLiteral("batchdeck_faults")},
             &output)) {
        *error = QStringLiteral("createdb failed: ") + output;
        return false;
    }
    return true;
}

bool PrivatePostgres::restart()
{
    const QString options = QStringLiteral("-c listen_addresses=127.0.0.1 -p %1 -k %2 -c fsync=off "
                                           "-c synchronous_commit=off -c full_page_writes=off")
                                .arg(m_port)
                                .arg(m_dir.path());
    m_running = run(m_bin + QStringLiteral("/pg_ctl"),
                    {QStringLiteral("-D"),
                     m_dir.filePath(QStringLiteral("data")),
                     QStringLiteral("-l"),
                     m_dir.filePath(QStringLiteral("server.log")),
                     QStringLiteral("-w"),
                     QStringLiteral("-t"),
                     QStringLiteral("30"),
                     QStringLiteral("-o"),
                     options,
                     QStringLiteral("start")});
    return m_running;
}

bool PrivatePostgres::stop()
{
    const bool stopped = run(m_bin + QStringLiteral("/pg_ctl"),
                             {QStringLiteral("-D"),
                              m_dir.filePath(QStringLiteral("data")),
                              QStringLiteral("-m"),
                              QStringLiteral("fast"),
                              QStringLiteral("-w"),
                              QStringLiteral("stop")});
    m_running = !stopped;
    return stopped;
}

QString PrivatePostgres::url() const
{
    return QStringLiteral("postgresql://postgres@127.0.0.1:%1/batchdeck_faults?connect_timeout=2").arg(m_port);
}

} // namespace batchdeck::faults
