#include "Router.h"

namespace batchdeck::http {

namespace {

bool isParameter(const QString& segment)
{
    return segment.size() >= 2 && segment.startsWith(u'{') && segment.endsWith(u'}');
}

} // namespace

QStringList pathSegments(const QString& path)
{
    return path.split(u'/', Qt::SkipEmptyParts);
}

qsizetype RouteTable::add(const QByteArray& method, const QString& pattern)
{
    m_entries.append(Entry{method, pattern, pathSegments(pattern)});
    return m_entries.size() - 1;
}

RouteTable::Match RouteTable::match(const QByteArray& method, const QStringList& segments) const
{
    Match result;
    for (qsizetype index = 0; index < m_entries.size(); ++index) {
        const Entry& entry = m_entries.at(index);
        if (entry.segments.size() != segments.size())
            continue;
        QStringList params;
        bool same = true;
        for (qsizetype i = 0; i < segments.size() && same; ++i) {
            if (isParameter(entry.segments.at(i))) {
                same = !segments.at(i).isEmpty();
                params.append(segments.at(i));
            } else {
                same = entry.segments.at(i) == segments.at(i);
            }
        }
        if (!same)
            continue;
        if (entry.method != method) {
            result.outcome = RouteOutcome::WrongMethod;
            if (!result.allowedMethods.contains(entry.method))
                result.allowedMethods.append(entry.method);
            continue;
        }
        return Match{RouteOutcome::Matched, index, params, {}};
    }
    return result;
}

} // namespace batchdeck::http
