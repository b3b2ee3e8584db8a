#include "ProviderFaultCampaign.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QThread>

#include "CampaignEnvironment.h"
#include "CampaignTally.h"
#include "FaultScale.h"
#include "JobAudit.h"

namespace batchdeck::faults {

using namespace Qt::StringLiterals;

const char* const kProviderScenario = "provider faults (30 % 429/500)";

namespace {

const QString kType = QStringLiteral("summarize");
constexpr int kItems = 40;
constexpr int kParallel = 4;

struct Step
{
    QStringList arguments;
    int runs = 0;
    int exitCode = -1;
};

// Runs each step until it exits 0 (a retry after exit 6, provider trouble), kParallel at a time;
// counts the provider retries the runs logged.
void runAll(const CampaignEnvironment& environment, QList<Step>& steps, CampaignTally& tally)
{
    const QString scenario = QLatin1String(kProviderScenario);
    struct Running
    {
        std::unique_ptr<QProcess> process;
        qsizetype step;
    };
    QList<qsizetype> queue;
    for (qsizetype i = 0; i < steps.size(); ++i)
        queue << i;
    std::vector<Running> running;
    QElapsedTimer clock;
    clock.start();
    while ((!queue.isEmpty() || !running.empty()) && clock.elapsed() < 600'000) {
        while (!queue.isEmpty() && running.size() < kParallel) {
            const qsizetype step = queue.takeFirst();
            ++steps[step].runs;
            running.push_back({environment.startCli(steps[step].arguments), step});
        }
        for (auto it = running.begin(); it != running.end();) {
            if (!it->process->waitForFinished(5) && it->process->state() != QProcess::NotRunning) {
                ++it;
                continue;
            }
            Step& step = steps[it->step];
            step.exitCode = it->process->exitStatus() == QProcess::NormalExit ? it->process->exitCode() : -1;
            const QList<QByteArray> lines = it->process->readAllStandardError().split('\n');
            for (const QByteArray& line : lines) {
                if (!line.contains("- attempt "))
                    continue;
                if (line.contains("429"))
                    tally.add(scenario, QStringLiteral("provider answers 429, retried by the client"));
                else if (line.contains("500"))
                    tally.add(scenario, QStringLiteral("provider answers 500, retried by the client"));
                else
                    tally.add(scenario, QStringLiteral("other provider failures, retried by the client"));
            }
            if (step.exitCode == 6 || step.exitCode == 4) {
                tally.add(scenario, QStringLiteral("runs repeated by the caller (exit 6 after the client's retries)"));
                queue << it->step;
                QThread::msleep(200);
            }
            it = running.erase(it);
        }
    }
}

} // namespace

void runProviderFaultCampaign(CampaignEnvironment& environment, const FaultScale& scale, CampaignTally& tally)
{
    const QString scenario = QLatin1String(kProviderScenario);
    QStringList runs;
    for (int i = 0; i < scale.providerJobs; ++i) {
        const QString run = QStringLiteral("scheduled__2026-12-04T00:00:00+00:00-provider-%1").arg(i);
        if (tally.check(environment.importItems(run, kItems), scenario, u"import failed: "_qs + run))
            runs << run;
    }
    environment.simulator().setFaults({{QStringLiteral("fail_429_ratio"), 0.15},
                                       {QStringLiteral("fail_500_ratio"), 0.15},
                                       {QStringLiteral("retry_after_seconds"), 1}});
    const QList<QStringList> phases = {
        {QStringLiteral("submit")},
        {QStringLiteral("status"), QStringLiteral("--wait"), QStringLiteral("--interval"), QStringLiteral("0.05")},
        {QStringLiteral("process")}};
    for (const QStringList& phase : phases) {
        QList<Step> steps;
        for (const QString& run : std::as_const(runs))
            steps.append(Step{QStringList{phase.first(), run, kType} + phase.mid(1)});
        runAll(environment, steps, tally);
        for (const Step& step : std::as_const(steps)) {
            tally.check(step.exitCode == 0,
                        scenario,
                        QStringLiteral("%1 exited %2 after %3 runs")
                            .arg(step.arguments.join(u' '))
                            .arg(step.exitCode)
                            .arg(step.runs));
        }
        tally.add(scenario, phase.first() + QStringLiteral(" runs"), steps.size());
    }
    environment.simulator().setFaults({{QStringLiteral("fail_429_ratio"), 0}, {QStringLiteral("fail_500_ratio"), 0}});

    JobAudit audit(environment.database());
    for (const QString& run : std::as_const(runs)) {
        const auto job = audit.job(run, kType);
        if (!tally.check(job.has_value(), scenario, run + QStringLiteral(": no job")))
            continue;
        const ResultCounts results = audit.results(job->id);
        const bool complete = job->status == u"COMPLETED" && results.rows == kItems &&
                              results.distinctCustomIds == kItems && results.errors == 0;
        if (complete)
            tally.add(scenario, QStringLiteral("jobs COMPLETED with every result"));
        tally.check(complete,
                    scenario,
                    QStringLiteral("%1: %2 with %3 rows (%4 errors)")
                        .arg(run, job->status)
                        .arg(results.rows)
                        .arg(results.errors));
        tally.check(!audit.everFailed(job->id), scenario, run + QStringLiteral(": was marked SUBMISSION_FAILED"));
        const auto batches = environment.simulator().batchesOfJob(job->id);
        tally.check(
            batches.size() == 1, scenario, QStringLiteral("%1: %2 provider batches").arg(run).arg(batches.size()));
        const QStringList illegal = audit.illegalTransitions(job->id);
        tally.check(illegal.isEmpty(), scenario, run + u": "_qs + illegal.join(u"; "));
    }
}

} // namespace batchdeck::faults
