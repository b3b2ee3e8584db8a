#pragma once

#include <variant>

#include <QStringList>

#include "core/Result.h"
#include "http/HttpMessage.h"
#include "simulator/BatchRegistry.h"
#include "simulator/Router.h"

namespace batchdeck::sim {

class FileStore;
class SimClock;
struct SimulatorFaults;
struct SimulatorOptions;

// /v1/batches: create (with the synchronous body checks OpenAI does), retrieve, list, cancel.
// Problems inside the input file are not checked here: like OpenAI, the batch is created and
// fails later during validation.
class BatchesApi
{
public:
    BatchesApi(BatchRegistry& batches,
               FileStore& files,
               const SimClock& clock,
               const SimulatorOptions& options,
               const SimulatorFaults& faults);
    void registerRoutes(Router& router);

    http::HttpResponse create(const http::HttpRequest& request);
    http::HttpResponse retrieve(const QString& id);
    http::HttpResponse list(const http::HttpRequest& request);
    http::HttpResponse cancel(const QString& id);

    static const QStringList& supportedEndpoints();

private:
    // The parameters, or the 400/404 answer that rejects the body.
    std::variant<CreateBatchParams, http::HttpResponse> parseCreate(const QByteArray& body);
    http::HttpResponse batchJson(const BatchRecord& record) const;

    BatchRegistry& m_batches;
    FileStore& m_files;
    const SimClock& m_clock;
    const SimulatorOptions& m_options;
    const SimulatorFaults& m_faults;
};

} // namespace batchdeck::sim
