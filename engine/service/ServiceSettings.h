#pragma once

#include <QString>

namespace batchdeck {

// Knobs of the batch engine; defaults suit OpenAI. Per-provider limits come from its configuration.
struct ServiceSettings
{
    qint64 submitLeaseMs = 10 * 60 * 1000;        // how long a submit may hold a job before others reclaim it
    qint64 processLeaseMs = 30 * 60 * 1000;       // the same for process
    qint64 statusIntervalMs = 5000;               // ask the provider about one job at most this often
    qint64 maxRequestsPerBatch = 50'000;          // OpenAI: 50,000 lines per input file
    qint64 maxBytesPerFile = 200LL * 1024 * 1024; // OpenAI: 200 MB per batch input file
    int parseBlockLines = 2048;                   // output lines parsed in parallel per block (bounds memory)
    QString workDir;                              // temporary request and result files; empty: the system temp folder
    QString workerId;                             // lease owner prefix; empty: host name and process id
};

} // namespace batchdeck
