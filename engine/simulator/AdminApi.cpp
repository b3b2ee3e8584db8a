#include "AdminApi.h"

#include <QJsonArray>
#include <QJsonDocument>

#include "http/BodyBuffer.h"
#include "simulator/ApiError.h"
#include "simulator/Router.h"
#include "simulator/SimulatorServer.h"

namespace batchdeck::sim {

using namespace Qt::StringLiterals;
using http::BodyBuffer;
using http::HttpRequest;
using http::HttpResponse;

namespace {

std::optional<QJsonObject> jsonBody(const HttpRequest& request)
{
    const QJsonDocument document = QJsonDocument::fromJson(request.body->toByteArray());
    if (!document.isObject())
        return std::nullopt;
    return document.object();
}

} // namespace

AdminApi::AdminApi(SimulatorServer& server)
    : m_server(server)
{}

void AdminApi::registerRoutes(Router& router)
{
    router.add("GET", u"/_sim/faults"_s, [this](const HttpRequest&, const QStringList&) {
        return jsonResponse(200, m_server.faults().toJson());
    });
    router.add("POST", u"/_sim/faults"_s, [this](const HttpRequest& request, const QStringList&) {
        return setFaults(request);
    });
    router.add("GET", u"/_sim/batches"_s, [this](const HttpRequest&, const QStringList&) { return batches(); });
    router.add("GET", u"/_sim/clock"_s, [this](const HttpRequest&, const QStringList&) { return clock(); });
    router.add("POST", u"/_sim/clock"_s, [this](const HttpRequest& request, const QStringList&) {
        return advanceClock(request);
    });
}

HttpResponse AdminApi::setFaults(const HttpRequest& request)
{
    const std::optional<QJsonObject> body = jsonBody(request);
    if (!body)
        return apiError(400, u"Expected a JSON object of fault options."_s);
    const Result<SimulatorFaults> faults = m_server.faults().merged(*body);
    if (!faults)
        return apiError(400, faults.error().message);
    m_server.setFaults(*faults);
    return jsonResponse(200, faults->toJson());
}

HttpResponse AdminApi::batches()
{
    QJsonArray data;
    for (const SimulatedBatch& batch : m_server.batches())
        data.append(batch.json);
    return jsonResponse(
        200,
        QJsonObject{{u"object"_s, u"list"_s}, {u"data"_s, data}, {u"batches_created"_s, m_server.batchesCreated()}});
}

HttpResponse AdminApi::clock() const
{
    return jsonResponse(200, QJsonObject{{u"now_ms"_s, m_server.nowMs()}, {u"offset_ms"_s, m_server.clockOffsetMs()}});
}

HttpResponse AdminApi::advanceClock(const HttpRequest& request)
{
    const std::optional<QJsonObject> body = jsonBody(request);
    if (!body || !body->value(u"advance_ms").isDouble() || body->value(u"advance_ms").toDouble() < 0)
        return apiError(400, u"Expected {\"advance_ms\": N} with N >= 0."_s, u"advance_ms"_s);
    m_server.advanceClock(body->value(u"advance_ms").toInteger());
    return clock();
}

} // namespace batchdeck::sim
