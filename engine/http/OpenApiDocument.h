#pragma once

#include <QJsonObject>

#include "http/ApiRoute.h"

namespace batchdeck::http {

// The OpenAPI 3.0 document of the API, built from the router itself (each route's pattern, method
// and RouteDoc) plus the shared schemas, so it cannot list a route that does not exist or miss one
// that does. tests/http checks it against the live server route by route.
QJsonObject openApiDocument(const ApiRouter& router);

} // namespace batchdeck::http
