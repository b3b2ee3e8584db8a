#pragma once

namespace batchdeck::faults {

// How much of the campaign to run. The normal test run takes the short scale (a few kills per
// operation, a few seconds of soak); BATCHDECK_FAULTS=full (./test.sh --faults) the full one.
struct FaultScale
{
    bool full = false;
    int killsPerOperation = 5;   // SIGKILLs of submit, and again of process
    int itemsPerCrashJob = 1500; // a job's items: output large enough that storing takes a while
    int providerJobs = 4;        // jobs through their whole lifecycle under provider faults
    int concurrentSubmits = 24;  // the same submit, spread over two servers
    int soakSeconds = 4;         // the status endpoint under wrk
    int soakConnections = 64;

    static FaultScale fromEnvironment();
};

} // namespace batchdeck::faults
