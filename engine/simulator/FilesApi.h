#pragma once

#include <QStringList>

#include "simulator/HttpMessage.h"

namespace batchdeck::sim {

class FileStore;
class Router;
class SimClock;
struct SimulatorOptions;

// /v1/files: upload (multipart), list, retrieve, delete, content.
class FilesApi
{
public:
    FilesApi(FileStore& files, const SimClock& clock, const SimulatorOptions& options);
    void registerRoutes(Router& router);

    HttpResponse upload(const HttpRequest& request);
    HttpResponse list(const HttpRequest& request);
    HttpResponse retrieve(const QString& id);
    HttpResponse remove(const QString& id);
    HttpResponse content(const QString& id);

private:
    HttpResponse notFound(const QString& id) const;

    FileStore& m_files;
    const SimClock& m_clock;
    const SimulatorOptions& m_options;
};

} // namespace batchdeck::sim
