#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace batchdeck::http {

// "/a/b/" -> {"a", "b"}: empty segments are dropped.
QStringList pathSegments(const QString& path);

enum class RouteOutcome
{
    Matched,
    WrongMethod, // the path exists with other methods: 405
    NotFound,    // no route has this path: 404
};

// The matching half of a router, free of handler types. Patterns are paths such as
// "/v1/files/{}/content" or "/pipeline/{run_id}/jobs": a segment in braces matches one non-empty
// segment and is handed to the handler; the name in the braces is documentation only.
class RouteTable
{
public:
    struct Entry
    {
        QByteArray method;
        QString pattern;
        QStringList segments;
    };

    struct Match
    {
        RouteOutcome outcome = RouteOutcome::NotFound;
        qsizetype index = -1;             // of the matched entry
        QStringList params;               // the segments in braces, in order
        QList<QByteArray> allowedMethods; // on WrongMethod: the methods the path has (for Allow)
    };

    qsizetype add(const QByteArray& method, const QString& pattern);
    Match match(const QByteArray& method, const QStringList& segments) const;
    const QList<Entry>& entries() const { return m_entries; }

private:
    QList<Entry> m_entries;
};

// Method + path pattern -> handler. The simulator's handlers answer at once; the API server's are
// coroutines: the handler type is the user's. Tells "no such path" (404) from "path exists, wrong
// method" (405).
template <typename Handler> class Router
{
public:
    using Outcome = RouteOutcome;

    struct Match
    {
        Outcome outcome = Outcome::NotFound;
        const Handler* handler = nullptr;
        QStringList params;
        QString pattern; // the matched route's pattern, a low-cardinality label for logs and metrics
        QList<QByteArray> allowedMethods;
    };

    void add(const QByteArray& method, const QString& pattern, Handler handler)
    {
        m_table.add(method, pattern);
        m_handlers.append(std::move(handler));
    }

    Match match(const QByteArray& method, const QString& path) const { return match(method, pathSegments(path)); }

    // For callers that split and decode the path themselves (an encoded "/" must stay in its segment).
    Match match(const QByteArray& method, const QStringList& segments) const
    {
        const RouteTable::Match found = m_table.match(method, segments);
        Match result;
        result.outcome = found.outcome;
        result.params = found.params;
        result.allowedMethods = found.allowedMethods;
        if (found.index >= 0) {
            result.handler = &m_handlers.at(found.index);
            result.pattern = m_table.entries().at(found.index).pattern;
        }
        return result;
    }

    const RouteTable& table() const { return m_table; }
    const QList<Handler>& handlers() const { return m_handlers; } // in the order of table().entries()

private:
    RouteTable m_table;
    QList<Handler> m_handlers;
};

} // namespace batchdeck::http
