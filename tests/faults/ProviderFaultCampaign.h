#pragma once

namespace batchdeck::faults {

class CampaignEnvironment;
class CampaignTally;
struct FaultScale;

// Provider faults: 30 % of the provider's answers are 429 (with Retry-After) or 500 while jobs go
// through their whole lifecycle (submit, status until terminal, process) as batchdeck-cli runs. A run
// that still fails after the client's own retries exits 6 and is run again, as a scheduler would.
// Every job must end COMPLETED with all its results, none ever SUBMISSION_FAILED, one batch each.
void runProviderFaultCampaign(CampaignEnvironment& environment, const FaultScale& scale, CampaignTally& tally);

extern const char* const kProviderScenario;

} // namespace batchdeck::faults
