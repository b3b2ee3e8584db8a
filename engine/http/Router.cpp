#include "Router.h"

namespace batchdeck::sim {

namespace {

QStringList segmentsOf(const QString& path)
{
    return path.split(u'/', Qt::SkipEmptyParts);
}

} // namespace

void Router::add(const QByteArray& method, const QString& pattern, Handler handler)
{
    m_routes.append(Route{method, segmentsOf(pattern), std::move(handler)});
}

Router::Match Router::match(const QByteArray& method, const QString& path) const
{
    const QStringList segments = segmentsOf(path);
    Match result;
    for (const Route& route : m_routes) {
        if (route.segments.size() != segments.size())
            continue;
        QStringList params;
        bool same = true;
        for (qsizetype i = 0; i < segments.size() && same; ++i) {
            if (route.segments.at(i) == u"{}")
                params.append(segments.at(i));
            else
                same = route.segments.at(i) == segments.at(i);
        }
        if (!same)
            continue;
        if (route.method != method) {
            result.outcome = Outcome::WrongMethod;
            continue;
        }
        return Match{Outcome::Matched, &route.handler, params};
    }
    return result;
}

} // namespace batchdeck::sim
