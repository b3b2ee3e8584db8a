#pragma once

#include <memory>

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QString>
#include <QUrl>

#include "ProcStats.h"
#include "core/Result.h"

namespace batchdeck::bench {

struct HttpAnswer
{
    int status = 0; // 0: no HTTP answer (connection refused, timeout)
    QByteArray body;
    QString error;

    QJsonObject json() const;
};

// One blocking HTTP call (a local event loop; this is a benchmark driver, not a front-end).
HttpAnswer httpCall(QNetworkAccessManager& network, const QByteArray& verb, const QUrl& url, int timeoutMs = 600'000);

// The Python peer (../shared/peers/seed_fastapi/app.py) under uvicorn in its own process, its SQLite
// database filled directly, and its three endpoints driven over loopback HTTP.
class PeerServer
{
public:
    struct Options
    {
        QString appDir; // the folder holding app.py (read-only is fine)
        QString python = QStringLiteral("/usr/bin/python3");
        QString databasePath;  // SQLite file for PEER_DB
        QUrl simulatorBaseUrl; // OPENAI_BASE_URL
        QString logPath;       // uvicorn's output
        int startTimeoutMs = 60'000;
    };

    PeerServer();
    ~PeerServer();

    Status start(const Options& options);
    void stop();
    qint64 pid() const;

    // run_items rows (run_id, item_key, payload) from a JSONL file whose lines carry "id".
    Status insertItems(const QString& runId, const QString& itemsPath);
    // A job at PENDING_PROCESSING whose output is `outputFileId` (to let the peer process a file
    // our engine's batch produced, when the peer's fixed batch type cannot make such a file itself).
    Status insertPendingProcessingJob(const QString& runId, const QString& batchType, const QString& outputFileId);

    // What the call cost (wall clock around the HTTP call, CPU of the peer's process); an error when the
    // peer did not answer 200 with the expected status.
    Result<Timing> submit(const QString& runId, const QString& batchType);
    Result<Timing> process(const QString& runId, const QString& batchType, qint64* results = nullptr);
    // Polls the status endpoint until llm_status is "completed" (an error for "failed" or a timeout).
    Status waitCompleted(const QString& runId, const QString& batchType, int timeoutMs);

    // Peak resident memory of the peer's process (VmHWM), and a reset of it to the current size.
    qint64 peakRssKb() const;
    bool resetPeakRss() const;

private:
    QUrl endpoint(const QString& path) const;
    QString m_connectionName;
    Options m_options;
    quint16 m_port = 0;
    std::unique_ptr<QProcess> m_process;
    QNetworkAccessManager m_network;
};

} // namespace batchdeck::bench
