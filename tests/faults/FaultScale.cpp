#include "FaultScale.h"

#include <QString>

namespace batchdeck::faults {

FaultScale FaultScale::fromEnvironment()
{
    FaultScale scale;
    if (qEnvironmentVariable("BATCHDECK_FAULTS") == u"full") {
        scale.full = true;
        scale.killsPerOperation = 50;
        scale.providerJobs = 20;
        scale.concurrentSubmits = 100;
        scale.soakSeconds = 120;
    }
    bool ok = false;
    if (const int kills = qEnvironmentVariableIntValue("BATCHDECK_FAULTS_KILLS", &ok); ok && kills > 0)
        scale.killsPerOperation = kills;
    if (const int seconds = qEnvironmentVariableIntValue("BATCHDECK_FAULTS_SOAK_SECONDS", &ok); ok && seconds > 0)
        scale.soakSeconds = seconds;
    return scale;
}

} // namespace batchdeck::faults
