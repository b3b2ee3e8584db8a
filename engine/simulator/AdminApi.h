#pragma once

#include "http/HttpMessage.h"
#include "simulator/Router.h"

namespace batchdeck::sim {

class SimulatorServer;

// Simulator controls under /_sim, a path the real API does not use:
//   GET  /_sim/faults            current fault switches
//   POST /_sim/faults  {...}     change some of them (keys of SimulatorFaults::toJson)
//   GET  /_sim/batches           every batch, newest first, with metadata, plus batches_created
//   GET  /_sim/clock             {now_ms, offset_ms}
//   POST /_sim/clock {"advance_ms": N}   move the simulated clock forward
// Faults never apply here, so a test can always switch them off again.
class AdminApi
{
public:
    explicit AdminApi(SimulatorServer& server);
    void registerRoutes(Router& router);

private:
    http::HttpResponse setFaults(const http::HttpRequest& request);
    http::HttpResponse batches();
    http::HttpResponse clock() const;
    http::HttpResponse advanceClock(const http::HttpRequest& request);

    SimulatorServer& m_server;
};

} // namespace batchdeck::sim
