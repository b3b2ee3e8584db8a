#pragma once

namespace batchdeck::faults {

class CampaignEnvironment;
class CampaignTally;
struct FaultScale;

// PostgreSQL stopped and started again under a running `batchdeck-cli serve` (a private cluster, not
// the shared one): requests get 503 meanwhile, the same server answers again once the database is
// back, and the job submitted before the outage finishes with all its results.
void runPostgresRestart(const FaultScale& scale, CampaignTally& tally);

// SQLite locked by another writer (a BEGIN IMMEDIATE held by this process): batchdeck-cli waits
// within the busy timeout and succeeds when the lock goes in time, else exits 5 saying the
// database is locked.
void runSqliteLocked(CampaignEnvironment& environment, CampaignTally& tally);

extern const char* const kPostgresRestartScenario;
extern const char* const kSqliteLockedScenario;

} // namespace batchdeck::faults
