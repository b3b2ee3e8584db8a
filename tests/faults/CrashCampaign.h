#pragma once

#include <QHash>
#include <QRandomGenerator>
#include <QStringList>

namespace batchdeck::faults {

class CampaignEnvironment;
class CampaignTally;
struct KilledRun;
struct FaultScale;

// Crash at every step: `batchdeck-cli submit` and then `batchdeck-cli process` SIGKILLed at random
// points, each aimed at one step (the upload held by the simulator's stall, the gap between batch
// creation and the database update held by its create delay, the result store of a large output, or
// anywhere), then run again to completion. After the kill and after the rerun: at most one provider
// batch per job and attempt (the simulator's own list), the job in a legal state with legal events,
// every result row present exactly once, and none before the store committed.
class CrashCampaign
{
public:
    CrashCampaign(CampaignEnvironment& environment, const FaultScale& scale, CampaignTally& tally, quint32 seed);

    void runSubmit();  // one fresh job per kill
    void runProcess(); // the jobs runSubmit made, once their batches completed

    static const QString kSubmitScenario;
    static const QString kProcessScenario;

    struct Aim;

private:
    int window(const Aim& aim) const;
    void learn(const Aim& aim, const KilledRun& run);
    void submitOnce(int index);
    void processOnce(int index);
    QString runOf(int index) const;

    CampaignEnvironment& m_environment;
    const FaultScale& m_scale;
    CampaignTally& m_tally;
    QRandomGenerator m_random;
    QStringList m_runs;
    QHash<QString, int> m_windowMs; // per aim: kills come within this long after its step
};

} // namespace batchdeck::faults
