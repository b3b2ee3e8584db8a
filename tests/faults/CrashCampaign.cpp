#include "CrashCampaign.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "CampaignEnvironment.h"
#include "CampaignTally.h"
#include "FaultScale.h"
#include "JobAudit.h"

namespace batchdeck::faults {

using namespace Qt::StringLiterals;

namespace {

const QString kType = QStringLiteral("summarize");

} // namespace

// Where each kill is aimed; the step it reached is read from the run's "step:" lines and the state.
struct CrashCampaign::Aim
{
    const char* name;
    QJsonObject faults; // what the simulator does meanwhile, to hold the run at that step
    QString step;       // wait for this step line before the delay (empty: from the start)
    int maxDelayMs;     // the kill comes a uniform random delay after that (at first; see window())
};

namespace {

using Aim = CrashCampaign::Aim;

QList<Aim> submitAims()
{
    return {{"upload (stalled answer)", {{QStringLiteral("stall_ms"), 250}}, QStringLiteral("upload"), 350},
            {"create (delayed answer)", {{QStringLiteral("create_delay_ms"), 300}}, QStringLiteral("create"), 450},
            {"anywhere", {}, QString(), 1200}};
}

QList<Aim> processAims()
{
    return {{"download (stalled answer)", {{QStringLiteral("stall_ms"), 250}}, QStringLiteral("download"), 240},
            {"result store", {}, QStringLiteral("store-results"), 700},
            {"anywhere", {}, QString(), 1800}};
}

const QJsonObject kNoFaults{{QStringLiteral("stall_ms"), 0}, {QStringLiteral("create_delay_ms"), 0}};

} // namespace

const QString CrashCampaign::kSubmitScenario = QStringLiteral("crash: submit");
const QString CrashCampaign::kProcessScenario = QStringLiteral("crash: process");

CrashCampaign::CrashCampaign(CampaignEnvironment& environment,
                             const FaultScale& scale,
                             CampaignTally& tally,
                             quint32 seed)
    : m_environment(environment)
    , m_scale(scale)
    , m_tally(tally)
    , m_random(seed)
{}

int CrashCampaign::window(const Aim& aim) const
{
    return m_windowMs.value(QLatin1String(aim.name), aim.maxDelayMs);
}

void CrashCampaign::learn(const Aim& aim, const KilledRun& run)
{
    // A run that ended before its kill shows how long the aimed part really lasts on this machine:
    // later kills of that aim come within it, so that they land inside the step, not after the end.
    if (!run.killed && run.msAfterStep > 0)
        m_windowMs.insert(QLatin1String(aim.name), std::max(20, int(run.msAfterStep * 0.9)));
}

QString CrashCampaign::runOf(int index) const
{
    return QStringLiteral("scheduled__2026-12-04T00:00:00+00:00-crash-%1").arg(index);
}

void CrashCampaign::runSubmit()
{
    for (int i = 0; i < m_scale.killsPerOperation; ++i)
        submitOnce(i);
    // Over the whole campaign: one batch per job, not one more.
    m_tally.check(m_environment.simulator().batchesCreated() == m_runs.size(),
                  kSubmitScenario,
                  QStringLiteral("the simulator made %1 batches for %2 jobs")
                      .arg(m_environment.simulator().batchesCreated())
                      .arg(m_runs.size()));
    m_tally.add(kSubmitScenario,
                QStringLiteral("provider batches made (one per job)"),
                m_environment.simulator().batchesCreated());
}

void CrashCampaign::submitOnce(int index)
{
    const QString& scenario = kSubmitScenario;
    const QString run = runOf(index);
    if (!m_tally.check(m_environment.importItems(run, m_scale.itemsPerCrashJob), scenario, u"import failed: "_s + run))
        return;
    m_runs << run;
    const QList<Aim> aims = submitAims();
    const Aim& aim = aims.at(index % aims.size());
    m_environment.simulator().setFaults(aim.faults);
    const int delay = int(m_random.bounded(window(aim) + 1));
    const KilledRun killed = m_environment.killAfterStep(
        m_environment.startCli({QStringLiteral("submit"), run, kType, QStringLiteral("--json")}), aim.step, delay);
    learn(aim, killed);
    m_environment.simulator().setFaults(kNoFaults);
    m_tally.add(scenario, QStringLiteral("kills aimed at %1").arg(QLatin1String(aim.name)));

    JobAudit audit(m_environment.database());
    const auto job = audit.job(run, kType);
    QString reached;
    int batchesAfterKill = 0;
    if (!killed.killed) {
        reached = QStringLiteral("finished before the kill");
        m_tally.check(
            killed.exitCode == 0, scenario, QStringLiteral("%1: submit exited %2").arg(run).arg(killed.exitCode));
    } else if (!job) {
        reached = QStringLiteral("before the job existed");
    } else {
        batchesAfterKill = int(m_environment.simulator().batchesOfJob(job->id, job->attempt).size());
        if (job->status == u"SUBMITTED")
            reached = QStringLiteral("after the database update");
        else if (batchesAfterKill > 0)
            reached = QStringLiteral("between batch creation and the database update");
        else if (killed.lastStep == u"create")
            reached = QStringLiteral("create sent, no batch yet");
        else if (killed.lastStep == u"upload")
            reached = QStringLiteral("during the upload");
        else
            reached = QStringLiteral("before the upload (job, lease, rendering)");
    }
    m_tally.add(scenario, u"killed: "_s + reached);
    if (job) {
        m_tally.check(batchesAfterKill <= 1,
                      scenario,
                      QStringLiteral("%1: %2 provider batches after the kill").arg(run).arg(batchesAfterKill));
        m_tally.check(job->status == u"PENDING_SUBMISSION" || job->status == u"SUBMITTED",
                      scenario,
                      QStringLiteral("%1: %2 after a killed submit").arg(run, job->status));
        const QStringList illegal = audit.illegalTransitions(job->id);
        m_tally.check(illegal.isEmpty(), scenario, run + u": "_s + illegal.join(u"; "));
    }

    // Run it again, as Airflow's retry would, until it is done.
    int busy = 0;
    const CliRun rerun =
        m_environment.runUntilDone({QStringLiteral("submit"), run, kType, QStringLiteral("--json")}, &busy);
    m_tally.add(scenario, QStringLiteral("reruns told the job is busy (a dead worker's lease)"), busy);
    if (!m_tally.check(rerun.exitCode == 0,
                       scenario,
                       QStringLiteral("%1: the rerun exited %2: %3")
                           .arg(run)
                           .arg(rerun.exitCode)
                           .arg(QString::fromUtf8(rerun.err.right(300)))))
        return;
    const QJsonObject answer = QJsonDocument::fromJson(rerun.out).object();
    const bool adopted = answer.value(u"adopted").toBool();
    if (adopted)
        m_tally.add(scenario, QStringLiteral("adoptions of a batch made before the kill"));
    if (reached == u"between batch creation and the database update")
        m_tally.check(adopted, scenario, run + QStringLiteral(": the batch made before the kill was not adopted"));

    const auto after = audit.job(run, kType);
    if (!m_tally.check(after.has_value(), scenario, run + QStringLiteral(": no job after the rerun")))
        return;
    const QJsonArray batches = m_environment.simulator().batchesOfJob(after->id, after->attempt);
    m_tally.check(batches.size() == 1,
                  scenario,
                  QStringLiteral("%1: %2 provider batches for job %3 attempt %4")
                      .arg(run)
                      .arg(batches.size())
                      .arg(after->id)
                      .arg(after->attempt));
    m_tally.check(
        after->status == u"SUBMITTED", scenario, QStringLiteral("%1: %2 after the rerun").arg(run, after->status));
    m_tally.check(!batches.isEmpty() && batches.first()[u"id"].toString() == after->llmBatchId,
                  scenario,
                  run + QStringLiteral(": the job's batch id is not the provider's batch"));
    m_tally.check(after->leaseOwner.isEmpty(), scenario, run + QStringLiteral(": a lease is left after the rerun"));
    const QStringList illegal = audit.illegalTransitions(after->id);
    m_tally.check(illegal.isEmpty(), scenario, run + u": "_s + illegal.join(u"; "));
}

void CrashCampaign::runProcess()
{
    const QString& scenario = kProcessScenario;
    // The batches complete on the simulator's clock; status moves each job to PENDING_PROCESSING.
    for (const QString& run : std::as_const(m_runs)) {
        const CliRun status = m_environment.runUntilDone({QStringLiteral("status"),
                                                          run,
                                                          kType,
                                                          QStringLiteral("--wait"),
                                                          QStringLiteral("--interval"),
                                                          QStringLiteral("0.05")});
        m_tally.check(status.exitCode == 0,
                      scenario,
                      QStringLiteral("%1: status --wait exited %2").arg(run).arg(status.exitCode));
    }
    for (int i = 0; i < m_runs.size(); ++i)
        processOnce(i);
}

void CrashCampaign::processOnce(int index)
{
    const QString& scenario = kProcessScenario;
    const QString run = m_runs.at(index);
    JobAudit audit(m_environment.database());
    const auto before = audit.job(run, kType);
    if (!m_tally.check(before && before->status == u"PENDING_PROCESSING",
                       scenario,
                       QStringLiteral("%1: not PENDING_PROCESSING before process (%2)")
                           .arg(run, before ? before->status : u"no job"_s)))
        return;
    const QJsonArray batches = m_environment.simulator().batchesOfJob(before->id, before->attempt);
    const qint64 expected = m_scale.itemsPerCrashJob;
    m_tally.check(batches.size() == 1 && batches.first()[u"request_counts"][u"completed"].toInteger() == expected,
                  scenario,
                  run + QStringLiteral(": the provider batch did not complete every request"));

    const QList<Aim> aims = processAims();
    const Aim& aim = aims.at(index % aims.size());
    m_environment.simulator().setFaults(aim.faults);
    const int delay = int(m_random.bounded(window(aim) + 1));
    const KilledRun killed = m_environment.killAfterStep(
        m_environment.startCli({QStringLiteral("process"), run, kType, QStringLiteral("--json")}), aim.step, delay);
    learn(aim, killed);
    m_environment.simulator().setFaults(kNoFaults);
    m_tally.add(scenario, QStringLiteral("kills aimed at %1").arg(QLatin1String(aim.name)));

    const auto job = audit.job(run, kType);
    const ResultCounts stored = audit.results(before->id);
    QString reached;
    if (!killed.killed)
        reached = QStringLiteral("finished before the kill");
    else if (job->status == u"COMPLETED")
        reached = QStringLiteral("after the commit");
    else if (killed.lastStep == u"store-results")
        reached = QStringLiteral("while storing results");
    else if (killed.lastStep == u"download")
        reached = QStringLiteral("during the download");
    else
        reached = QStringLiteral("before the download (claim)");
    m_tally.add(scenario, u"killed: "_s + reached);
    const bool legalState =
        job->status == u"PENDING_PROCESSING" || job->status == u"PROCESSING" || job->status == u"COMPLETED";
    m_tally.check(legalState, scenario, QStringLiteral("%1: %2 after a killed process").arg(run, job->status));
    if (job->status == u"PROCESSING")
        m_tally.check(!job->leaseOwner.isEmpty(), scenario, run + QStringLiteral(": PROCESSING without a lease"));
    // All or nothing: rows appear with COMPLETED in one transaction.
    const qint64 visible = job->status == u"COMPLETED" ? expected : 0;
    m_tally.check(stored.rows == visible,
                  scenario,
                  QStringLiteral("%1: %2 result rows while the job is %3").arg(run).arg(stored.rows).arg(job->status));
    QStringList illegal = audit.illegalTransitions(job->id);
    m_tally.check(illegal.isEmpty(), scenario, run + u": "_s + illegal.join(u"; "));

    int busy = 0;
    const CliRun rerun =
        m_environment.runUntilDone({QStringLiteral("process"), run, kType, QStringLiteral("--json")}, &busy);
    m_tally.add(scenario, QStringLiteral("reruns told the job is busy (a dead worker's lease)"), busy);
    if (!m_tally.check(rerun.exitCode == 0,
                       scenario,
                       QStringLiteral("%1: the rerun exited %2: %3")
                           .arg(run)
                           .arg(rerun.exitCode)
                           .arg(QString::fromUtf8(rerun.err.right(300)))))
        return;
    if (job->status == u"PROCESSING")
        m_tally.add(scenario, QStringLiteral("expired processing leases taken over"));
    const auto after = audit.job(run, kType);
    const ResultCounts final = audit.results(before->id);
    m_tally.check(
        after->status == u"COMPLETED", scenario, QStringLiteral("%1: %2 after the rerun").arg(run, after->status));
    m_tally.check(final.rows == expected && final.distinctCustomIds == expected && final.errors == 0,
                  scenario,
                  QStringLiteral("%1: %2 rows, %3 custom ids, %4 errors; the output has %5 lines")
                      .arg(run)
                      .arg(final.rows)
                      .arg(final.distinctCustomIds)
                      .arg(final.errors)
                      .arg(expected));
    m_tally.check(after->resultsSaved == final.rows,
                  scenario,
                  QStringLiteral("%1: results_saved %2 but %3 rows").arg(run).arg(after->resultsSaved).arg(final.rows));
    m_tally.check(after->leaseOwner.isEmpty(), scenario, run + QStringLiteral(": a lease is left after the rerun"));
    m_tally.check(m_environment.simulator().batchesOfJob(after->id).size() == 1,
                  scenario,
                  run + QStringLiteral(": process changed the number of provider batches"));
    illegal = audit.illegalTransitions(after->id);
    m_tally.check(illegal.isEmpty(), scenario, run + u": "_s + illegal.join(u"; "));
    m_tally.add(scenario, QStringLiteral("result rows checked"), final.rows);
}

} // namespace batchdeck::faults
