#include "PeerServer.h"

#include <csignal>

#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QProcessEnvironment>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QThread>
#include <QTimer>

#include <sys/prctl.h>

namespace batchdeck::bench {

namespace {

quint16 freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

Error sqlError(const QString& what, const QSqlError& error)
{
    return makeError(ErrorKind::Database, what + QStringLiteral(": ") + error.text());
}

} // namespace

QJsonObject HttpAnswer::json() const
{
    return QJsonDocument::fromJson(body).object();
}

HttpAnswer httpCall(QNetworkAccessManager& network, const QByteArray& verb, const QUrl& url, int timeoutMs)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply* reply =
        verb == "GET" ? network.get(request) : network.sendCustomRequest(request, verb, QByteArray());
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    HttpAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    if (reply->error() != QNetworkReply::NoError && answer.status == 0)
        answer.error = reply->errorString();
    reply->deleteLater();
    return answer;
}

PeerServer::PeerServer()
    : m_connectionName(QStringLiteral("bench-peer-db"))
{}

PeerServer::~PeerServer()
{
    stop();
    if (QSqlDatabase::contains(m_connectionName))
        QSqlDatabase::removeDatabase(m_connectionName);
}

Status PeerServer::start(const Options& options)
{
    m_options = options;
    if (!QFile::exists(options.appDir + QStringLiteral("/app.py")))
        return makeError(ErrorKind::InvalidInput, QStringLiteral("no app.py in %1").arg(options.appDir));
    m_port = freePort();
    if (m_port == 0)
        return makeError(ErrorKind::Io, QStringLiteral("no free loopback port for the peer"));

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PEER_DB"), QStringLiteral("sqlite:///") + options.databasePath);
    env.insert(QStringLiteral("OPENAI_BASE_URL"), options.simulatorBaseUrl.toString());
    env.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-bench-peer"));
    m_process = std::make_unique<QProcess>();
    m_process->setProcessEnvironment(env);
    // The peer must not outlive the benchmark, however it ends.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process->setWorkingDirectory(options.appDir);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    if (!options.logPath.isEmpty())
        m_process->setStandardOutputFile(options.logPath);
    m_process->start(options.python,
                     {QStringLiteral("-m"),
                      QStringLiteral("uvicorn"),
                      QStringLiteral("app:app"),
                      QStringLiteral("--app-dir"),
                      options.appDir,
                      QStringLiteral("--host"),
                      QStringLiteral("127.0.0.1"),
                      QStringLiteral("--port"),
                      QString::number(m_port),
                      QStringLiteral("--log-level"),
                      QStringLiteral("warning")});
    if (!m_process->waitForStarted(10'000))
        return makeError(ErrorKind::Io,
                         QStringLiteral("cannot start %1: %2").arg(options.python, m_process->errorString()));

    // Up when an unknown job answers 404 (the app created its tables on import).
    QElapsedTimer waited;
    waited.start();
    const QUrl probe = endpoint(QStringLiteral("/pipeline/bench-probe/batch-job-status/none"));
    while (waited.elapsed() < options.startTimeoutMs) {
        if (m_process->state() != QProcess::Running)
            return makeError(
                ErrorKind::Io,
                QStringLiteral("the peer exited with code %1; see %2").arg(m_process->exitCode()).arg(options.logPath));
        if (httpCall(m_network, "GET", probe, 2000).status == 404)
            break;
        QThread::msleep(100);
    }
    if (waited.elapsed() >= options.startTimeoutMs)
        return makeError(ErrorKind::Io,
                         QStringLiteral("the peer did not answer within %1 ms").arg(options.startTimeoutMs));

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(options.databasePath);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=30000"));
    if (!db.open())
        return sqlError(QStringLiteral("cannot open the peer's database"), db.lastError());
    return {};
}

void PeerServer::stop()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_process->terminate();
    if (!m_process->waitForFinished(10'000)) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
}

qint64 PeerServer::pid() const
{
    return m_process ? m_process->processId() : 0;
}

QUrl PeerServer::endpoint(const QString& path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path));
}

Status PeerServer::insertItems(const QString& runId, const QString& itemsPath)
{
    QFile file(itemsPath);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Io, QStringLiteral("cannot read %1").arg(itemsPath));
    QSqlDatabase db = QSqlDatabase::database(m_connectionName);
    if (!db.transaction())
        return sqlError(QStringLiteral("cannot begin"), db.lastError());
    QSqlQuery insert(db);
    if (!insert.prepare(QStringLiteral("INSERT INTO run_items (run_id, item_key, payload) VALUES (?, ?, ?)")))
        return sqlError(QStringLiteral("cannot prepare"), insert.lastError());
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty())
            continue;
        const QString key = QJsonDocument::fromJson(line).object().value(QStringLiteral("id")).toString();
        insert.bindValue(0, runId);
        insert.bindValue(1, key);
        insert.bindValue(2, QString::fromUtf8(line));
        if (!insert.exec())
            return sqlError(QStringLiteral("cannot insert item %1").arg(key), insert.lastError());
    }
    if (!db.commit())
        return sqlError(QStringLiteral("cannot commit"), db.lastError());
    return {};
}

Status
PeerServer::insertPendingProcessingJob(const QString& runId, const QString& batchType, const QString& outputFileId)
{
    QSqlQuery insert(QSqlDatabase::database(m_connectionName));
    if (!insert.prepare(QStringLiteral("INSERT INTO pipeline_batch_jobs (run_id, batch_type, status, output_file_id,"
                                       " updated_at) VALUES (?, ?, 'PENDING_PROCESSING', ?, ?)")))
        return sqlError(QStringLiteral("cannot prepare"), insert.lastError());
    insert.addBindValue(runId);
    insert.addBindValue(batchType);
    insert.addBindValue(outputFileId);
    insert.addBindValue(QDateTime::currentSecsSinceEpoch());
    if (!insert.exec())
        return sqlError(QStringLiteral("cannot insert the job"), insert.lastError());
    return {};
}

Result<Timing> PeerServer::submit(const QString& runId, const QString& batchType)
{
    const QUrl url = endpoint(QStringLiteral("/pipeline/%1/submit-batch/%2").arg(runId, batchType));
    flushDirtyPages();
    const double cpuBefore = processCpuSeconds(pid());
    QElapsedTimer timer;
    timer.start();
    const HttpAnswer answer = httpCall(m_network, "POST", url);
    const Timing timing{timer.nsecsElapsed() / 1e9, processCpuSeconds(pid()) - cpuBefore};
    if (answer.status != 200 || answer.json().value(QStringLiteral("status")).toString() != QStringLiteral("submitted"))
        return makeError(ErrorKind::ProviderTransient,
                         QStringLiteral("peer submit answered %1: %2 %3")
                             .arg(answer.status)
                             .arg(QString::fromUtf8(answer.body.left(300)), answer.error));
    return timing;
}

Result<Timing> PeerServer::process(const QString& runId, const QString& batchType, qint64* results)
{
    const QUrl url = endpoint(QStringLiteral("/pipeline/%1/process-batch-results/%2").arg(runId, batchType));
    flushDirtyPages();
    const double cpuBefore = processCpuSeconds(pid());
    QElapsedTimer timer;
    timer.start();
    const HttpAnswer answer = httpCall(m_network, "POST", url);
    const Timing timing{timer.nsecsElapsed() / 1e9, processCpuSeconds(pid()) - cpuBefore};
    if (answer.status != 200 || answer.json().value(QStringLiteral("status")).toString() != QStringLiteral("processed"))
        return makeError(ErrorKind::ProviderTransient,
                         QStringLiteral("peer process answered %1: %2 %3")
                             .arg(answer.status)
                             .arg(QString::fromUtf8(answer.body.left(300)), answer.error));
    if (results)
        *results = answer.json().value(QStringLiteral("results")).toInteger();
    return timing;
}

Status PeerServer::waitCompleted(const QString& runId, const QString& batchType, int timeoutMs)
{
    const QUrl url = endpoint(QStringLiteral("/pipeline/%1/batch-job-status/%2").arg(runId, batchType));
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < timeoutMs) {
        const HttpAnswer answer = httpCall(m_network, "GET", url);
        const QString llmStatus = answer.json().value(QStringLiteral("llm_status")).toString();
        if (llmStatus == QStringLiteral("completed"))
            return {};
        if (answer.status != 200 || llmStatus == QStringLiteral("failed"))
            return makeError(ErrorKind::ProviderPermanent,
                             QStringLiteral("peer status answered %1: %2")
                                 .arg(answer.status)
                                 .arg(QString::fromUtf8(answer.body.left(300))));
        QThread::msleep(100);
    }
    return makeError(ErrorKind::ProviderTransient,
                     QStringLiteral("the peer's batch for %1 did not complete in %2 ms").arg(runId).arg(timeoutMs));
}

qint64 PeerServer::peakRssKb() const
{
    return procStatusKb(QString::number(pid()), "VmHWM");
}

bool PeerServer::resetPeakRss() const
{
    // Writing 5 to clear_refs resets VmHWM to the current resident size (Linux 4.0+).
    QFile file(QStringLiteral("/proc/%1/clear_refs").arg(pid()));
    return file.open(QIODevice::WriteOnly) && file.write("5") == 1;
}

} // namespace batchdeck::bench
