#pragma once

#include <QStringList>

namespace batchdeck::cli {

// `batchdeck-cli serve`: the HTTP API for Airflow, headless (engine/http/ApiServer.h). Listens first
// and answers 503 not_ready until the database is open (retrying while it is unreachable), then
// prints "batchdeck serve ready on http://HOST:PORT" on stdout. SIGTERM/SIGINT: stop accepting,
// finish the requests in flight, exit 0.
int runServeCommand(const QStringList& arguments);

} // namespace batchdeck::cli
