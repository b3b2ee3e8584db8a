#include "ServerCampaign.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QThread>

#include "ApiClient.h"
#include "CampaignEnvironment.h"
#include "CampaignTally.h"
#include "FaultScale.h"
#include "JobAudit.h"

namespace batchdeck::faults {

using namespace Qt::StringLiterals;
using test::ApiClient;
using test::HttpReply;
using test::PendingReply;

const char* const kTwoServerScenario = "two servers, one PostgreSQL";
const char* const kSoakScenario = "soak: status endpoint under wrk";

namespace {

const QString kType = QStringLiteral("summarize");
const QString kRun = QStringLiteral("scheduled__2026-12-04T00:00:00+00:00");

QByteArray pipelinePath(const QString& run, const char* action)
{
    return "/pipeline/" + test::encodeSegment(run) + '/' + action;
}

bool importOverApi(ApiClient& api, const QString& run, int count)
{
    QByteArray lines;
    for (int i = 0; i < count; ++i)
        lines += QStringLiteral("{\"id\":\"k%1\",\"text\":\"text %1\"}\n").arg(i).toUtf8();
    return api.post(pipelinePath(run, "items"), lines, "application/x-ndjson").status == 200;
}

qint64 residentKb(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray& line : lines) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

struct WrkFigures
{
    bool ran = false;
    qint64 requests = 0;
    qint64 non2xx = 0;
    qint64 socketErrors = 0;
    double perSecond = 0;
    QString latencyP99;
    QByteArray output;
};

WrkFigures parseWrk(const QByteArray& output)
{
    WrkFigures figures;
    figures.output = output;
    const QString text = QString::fromUtf8(output);
    const auto requests = QRegularExpression(QStringLiteral("(\\d+) requests in")).match(text);
    figures.ran = requests.hasMatch();
    figures.requests = requests.captured(1).toLongLong();
    figures.non2xx =
        QRegularExpression(QStringLiteral("Non-2xx or 3xx responses: (\\d+)")).match(text).captured(1).toLongLong();
    const auto socket =
        QRegularExpression(QStringLiteral("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)"))
            .match(text);
    for (int i = 1; i <= 4; ++i)
        figures.socketErrors += socket.captured(i).toLongLong();
    figures.perSecond =
        QRegularExpression(QStringLiteral("Requests/sec:\\s+([\\d.]+)")).match(text).captured(1).toDouble();
    figures.latencyP99 = QRegularExpression(QStringLiteral("99%\\s+(\\S+)")).match(text).captured(1);
    return figures;
}

} // namespace

void runTwoServerCampaign(CampaignEnvironment& environment, const FaultScale& scale, CampaignTally& tally)
{
    const QString scenario = QLatin1String(kTwoServerScenario);
    constexpr int kItems = 30;
    auto first = environment.startServe();
    auto second = environment.startServe();
    if (!tally.check(first && second, scenario, QStringLiteral("the servers did not start")))
        return;
    ApiClient one(first->port());
    ApiClient two(second->port());
    if (!tally.check(importOverApi(one, kRun, kItems), scenario, QStringLiteral("import failed")))
        return;

    // Every submit at once, half to each server; the simulator's slow create widens the race.
    environment.simulator().setFaults({{QStringLiteral("create_delay_ms"), 300}});
    std::vector<std::unique_ptr<PendingReply>> pending;
    for (int i = 0; i < scale.concurrentSubmits; ++i)
        pending.push_back((i % 2 ? two : one).start("POST", pipelinePath(kRun, "submit-batch/summarize")));
    QSet<QString> batchIds;
    for (auto& reply : pending) {
        const HttpReply answer = reply->wait(120'000);
        if (answer.status == 409 && answer.errorCode() == u"submission_in_progress") {
            tally.add(scenario, QStringLiteral("submits answered 409 submission_in_progress"));
            continue;
        }
        if (!tally.check(
                answer.status == 200,
                scenario,
                QStringLiteral("a submit answered %1: %2").arg(answer.status).arg(QString::fromUtf8(answer.body))))
            continue;
        tally.add(scenario, u"submits answered "_s + answer.json().value(u"status").toString());
        batchIds.insert(answer.json().value(u"llm_batch_id").toString());
    }
    environment.simulator().setFaults({{QStringLiteral("create_delay_ms"), 0}});
    tally.add(scenario, QStringLiteral("concurrent submits"), scale.concurrentSubmits);
    tally.check(batchIds.size() == 1, scenario, QStringLiteral("%1 different batch ids answered").arg(batchIds.size()));

    // Status from both until terminal.
    bool terminal = false;
    for (int i = 0; i < 1200 && !terminal; ++i) {
        const HttpReply status = (i % 2 ? two : one).get(pipelinePath(kRun, "batch-job-status/summarize"));
        tally.check(status.status == 200, scenario, QStringLiteral("status answered %1").arg(status.status));
        terminal = status.json().value(u"terminal").toBool();
        if (!terminal)
            QThread::msleep(50);
    }
    tally.check(terminal, scenario, QStringLiteral("the job never became terminal"));

    // Process from both at once.
    pending.clear();
    for (int i = 0; i < 20; ++i)
        pending.push_back((i % 2 ? two : one).start("POST", pipelinePath(kRun, "process-batch-results/summarize")));
    for (auto& reply : pending) {
        const HttpReply answer = reply->wait(120'000);
        if (answer.status == 409 && answer.errorCode() == u"job_not_ready") {
            tally.add(scenario, QStringLiteral("process calls answered 409 (another server is at it)"));
            continue;
        }
        if (tally.check(
                answer.status == 200,
                scenario,
                QStringLiteral("a process answered %1: %2").arg(answer.status).arg(QString::fromUtf8(answer.body))))
            tally.add(scenario, u"process calls answered "_s + answer.json().value(u"status").toString());
    }

    JobAudit audit(environment.database());
    const auto job = audit.job(kRun, kType);
    if (!tally.check(job.has_value(), scenario, QStringLiteral("no job")))
        return;
    const qsizetype batches = environment.simulator().batchesOfJob(job->id).size();
    tally.add(scenario, QStringLiteral("provider batches"), batches);
    tally.check(batches == 1, scenario, QStringLiteral("%1 provider batches").arg(batches));
    tally.check(job->status == u"COMPLETED", scenario, QStringLiteral("the job is %1").arg(job->status));
    const ResultCounts results = audit.results(job->id);
    tally.add(scenario, QStringLiteral("result rows (items %1)").arg(kItems), results.rows);
    tally.check(results.rows == kItems && results.distinctCustomIds == kItems,
                scenario,
                QStringLiteral("%1 result rows, %2 custom ids").arg(results.rows).arg(results.distinctCustomIds));
    const QStringList illegal = audit.illegalTransitions(job->id);
    tally.check(illegal.isEmpty(), scenario, illegal.join(u"; "));
}

void runSoak(CampaignEnvironment& environment, const FaultScale& scale, CampaignTally& tally)
{
    const QString scenario = QLatin1String(kSoakScenario);
    const QString wrk = QStandardPaths::findExecutable(QStringLiteral("wrk"));
    if (!tally.check(!wrk.isEmpty(), scenario, QStringLiteral("wrk is not installed (./test.sh installs it)")))
        return;
    // The provider is asked about a job at most every 5 s (the default), as in production.
    auto serve = environment.startServe({}, {}, {QStringLiteral("BATCHDECK_STATUS_INTERVAL_MS")});
    if (!tally.check(bool(serve), scenario, QStringLiteral("the server did not start")))
        return;
    ApiClient api(serve->port());
    if (!tally.check(importOverApi(api, kRun, 10), scenario, QStringLiteral("import failed")))
        return;
    tally.check(api.post(pipelinePath(kRun, "submit-batch/summarize")).status == 200,
                scenario,
                QStringLiteral("submit failed"));
    // A batch that stays in progress: the case of many sensors polling one running job.
    const QString url = QStringLiteral("http://127.0.0.1:%1").arg(serve->port()) +
                        QString::fromLatin1(pipelinePath(kRun, "batch-job-status/summarize"));
    const auto runWrk = [&](int seconds, qint64* maxRss) {
        QProcess load;
        load.setProcessChannelMode(QProcess::MergedChannels);
        load.start(wrk,
                   {QStringLiteral("-t2"),
                    QStringLiteral("-c%1").arg(scale.soakConnections),
                    QStringLiteral("-d%1s").arg(seconds),
                    QStringLiteral("--latency"),
                    QStringLiteral("--timeout"),
                    QStringLiteral("10s"), // wrk's 2 s would count a slow answer on a busy machine as an error
                    url});
        while (!load.waitForFinished(1000) && load.state() != QProcess::NotRunning) {
            if (maxRss)
                *maxRss = std::max(*maxRss, residentKb(serve->process().processId()));
        }
        return parseWrk(load.readAll());
    };
    const WrkFigures warmUp = runWrk(2, nullptr);
    tally.check(warmUp.ran && warmUp.non2xx == 0,
                scenario,
                QStringLiteral("warm-up: %1").arg(QString::fromUtf8(warmUp.output.right(400))));
    const qint64 pid = serve->process().processId();
    const qint64 startKb = residentKb(pid);
    qint64 maxKb = startKb;
    const WrkFigures soak = runWrk(scale.soakSeconds, &maxKb);
    const qint64 endKb = residentKb(pid);
    tally.set(scenario,
              QStringLiteral("duration, connections"),
              QStringLiteral("%1 s, %2").arg(scale.soakSeconds).arg(scale.soakConnections));
    tally.add(scenario, QStringLiteral("requests"), soak.requests);
    tally.set(scenario,
              QStringLiteral("requests/s, p99"),
              QStringLiteral("%1, %2").arg(soak.perSecond, 0, 'f', 0).arg(soak.latencyP99));
    tally.add(scenario, QStringLiteral("non-2xx answers"), soak.non2xx);
    tally.add(scenario, QStringLiteral("socket errors"), soak.socketErrors);
    tally.set(scenario,
              QStringLiteral("server RSS start / end / max (MiB)"),
              QStringLiteral("%1 / %2 / %3")
                  .arg(startKb / 1024.0, 0, 'f', 1)
                  .arg(endKb / 1024.0, 0, 'f', 1)
                  .arg(maxKb / 1024.0, 0, 'f', 1));
    tally.check(soak.ran && soak.requests > 0,
                scenario,
                QStringLiteral("wrk did not run: %1").arg(QString::fromUtf8(soak.output.right(400))));
    tally.check(soak.non2xx == 0 && soak.socketErrors == 0,
                scenario,
                QStringLiteral("%1 non-2xx answers, %2 socket errors").arg(soak.non2xx).arg(soak.socketErrors));
    // Flat: allocator pools and caches are warm after the warm-up; what grows with the request count
    // is a leak. A little slack for the allocator's own rounding.
    const qint64 allowedKb = 8 * 1024 + startKb / 10;
    tally.check(startKb > 0 && endKb - startKb <= allowedKb,
                scenario,
                QStringLiteral("resident memory grew from %1 KiB to %2 KiB").arg(startKb).arg(endKb));
    tally.check(serve->process().state() == QProcess::Running, scenario, QStringLiteral("the server died"));
}

} // namespace batchdeck::faults
