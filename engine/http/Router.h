#pragma once

#include <functional>

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include "simulator/HttpMessage.h"

namespace batchdeck::sim {

// Method + path patterns like "/v1/files/{}/content"; `{}` matches one non-empty segment and
// is handed to the handler. Tells "no such path" (404) from "path exists, wrong method" (405).
class Router
{
public:
    using Handler = std::function<HttpResponse(const HttpRequest&, const QStringList& params)>;

    enum class Outcome
    {
        Matched,
        WrongMethod,
        NotFound,
    };

    struct Match
    {
        Outcome outcome = Outcome::NotFound;
        const Handler* handler = nullptr;
        QStringList params;
    };

    void add(const QByteArray& method, const QString& pattern, Handler handler);
    Match match(const QByteArray& method, const QString& path) const;

private:
    struct Route
    {
        QByteArray method;
        QStringList segments;
        Handler handler;
    };

    QList<Route> m_routes;
};

} // namespace batchdeck::sim
