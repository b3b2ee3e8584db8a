#pragma once

namespace batchdeck::faults {

class CampaignEnvironment;
class CampaignTally;
struct FaultScale;

// Two `batchdeck-cli serve` processes on one PostgreSQL database: the same submit many times at
// once, spread over both, then status and process from both: exactly one provider batch, one
// COMPLETED job, its results stored once.
void runTwoServerCampaign(CampaignEnvironment& environment, const FaultScale& scale, CampaignTally& tally);

// The status endpoint under wrk (loopback, bounded by time): no answer other than 2xx, no socket
// errors, and the server's resident memory at the end close to where it was after a warm-up.
void runSoak(CampaignEnvironment& environment, const FaultScale& scale, CampaignTally& tally);

extern const char* const kTwoServerScenario;
extern const char* const kSoakScenario;

} // namespace batchdeck::faults
