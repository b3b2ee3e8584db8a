#include "CliProcess.h"

#include <QRegularExpression>
#include <QUrl>

namespace batchdeck::test {

QString cliPath()
{
    return QStringLiteral(BATCHDECK_TEST_CLI_PATH);
}

bool CliProcess::start(const QStringList& arguments,
                       const QProcessEnvironment& environment,
                       const QString& readyPattern)
{
    m_process.setProcessEnvironment(environment);
    m_process.start(cliPath(), arguments);
    const QRegularExpression ready(readyPattern);
    for (int i = 0; i < 300 && m_url.isEmpty(); ++i) {
        if (!m_process.waitForReadyRead(100) && m_process.state() == QProcess::NotRunning)
            break;
        m_output += m_process.readAllStandardOutput();
        const auto match = ready.match(QString::fromUtf8(m_output));
        if (match.hasMatch())
            m_url = match.captured(1);
    }
    return !m_url.isEmpty();
}

CliProcess::~CliProcess()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(10000))
        m_process.kill();
}

quint16 CliProcess::port() const
{
    return quint16(QUrl(m_url).port());
}

} // namespace batchdeck::test
