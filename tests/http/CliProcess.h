#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace batchdeck::test {

// The batchdeck-cli built with the tests.
QString cliPath();

// A long-running batchdeck-cli child (serve, simulate) that prints a line with its URL once it is
// ready. Stopped with SIGTERM (then SIGKILL) when it goes out of scope.
class CliProcess
{
public:
    CliProcess() = default;
    CliProcess(const CliProcess&) = delete;
    CliProcess& operator=(const CliProcess&) = delete;
    ~CliProcess();

    // Starts `batchdeck-cli arguments` and waits up to 30 s for stdout to match `readyPattern`, whose
    // first capture is the URL.
    bool start(const QStringList& arguments, const QProcessEnvironment& environment, const QString& readyPattern);

    QString url() const { return m_url; }
    quint16 port() const;
    QProcess& process() { return m_process; }

private:
    QProcess m_process;
    QByteArray m_output;
    QString m_url;
};

} // namespace batchdeck::test
