#pragma once

#include <functional>

#include "http/HttpMessage.h"
#include "http/Router.h"

namespace batchdeck::sim {

// The simulator answers every request at once (delays are applied after routing).
using RouteHandler = std::function<http::HttpResponse(const http::HttpRequest&, const QStringList& params)>;
using Router = http::Router<RouteHandler>;

} // namespace batchdeck::sim
