#pragma once

#include <QStringList>

#include "http/HttpMessage.h"
#include "simulator/Router.h"

namespace batchdeck::sim {

class FileStore;
class SimClock;
struct SimulatorOptions;

// /v1/files: upload (multipart), list, retrieve, delete, content.
class FilesApi
{
public:
    FilesApi(FileStore& files, const SimClock& clock, const SimulatorOptions& options);
    void registerRoutes(Router& router);

    http::HttpResponse upload(const http::HttpRequest& request);
    http::HttpResponse list(const http::HttpRequest& request);
    http::HttpResponse retrieve(const QString& id);
    http::HttpResponse remove(const QString& id);
    http::HttpResponse content(const QString& id);

private:
    http::HttpResponse notFound(const QString& id) const;

    FileStore& m_files;
    const SimClock& m_clock;
    const SimulatorOptions& m_options;
};

} // namespace batchdeck::sim
