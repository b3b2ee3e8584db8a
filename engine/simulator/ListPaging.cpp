#include "ListPaging.h"

#include <QJsonArray>

#include "simulator/ApiError.h"

namespace batchdeck::sim {

using namespace Qt::StringLiterals;

Result<int> parseLimit(const QUrlQuery& query, int maxLimit, int defaultLimit)
{
    if (!query.hasQueryItem(u"limit"_s))
        return defaultLimit;
    const QString text = query.queryItemValue(u"limit"_s);
    bool ok = false;
    const int limit = text.toInt(&ok);
    if (!ok || limit < 1 || limit > maxLimit) {
        return makeError(ErrorKind::InvalidInput,
                         u"Invalid 'limit': expected an integer between 1 and %1, but got '%2' instead."_s.arg(
                             QString::number(maxLimit), text));
    }
    return limit;
}

Result<QJsonObject> pageAfter(const QList<QJsonObject>& ordered, const QString& after, int limit)
{
    qsizetype start = 0;
    if (!after.isEmpty()) {
        start = -1;
        for (qsizetype i = 0; i < ordered.size(); ++i) {
            if (ordered.at(i).value(u"id").toString() == after) {
                start = i + 1;
                break;
            }
        }
        if (start < 0)
            return makeError(ErrorKind::InvalidInput, u"Invalid 'after': no object with id '%1'."_s.arg(after));
    }
    QJsonArray data;
    const qsizetype end = qMin<qsizetype>(ordered.size(), start + limit);
    for (qsizetype i = start; i < end; ++i)
        data.append(ordered.at(i));
    return listPage(data, end < ordered.size());
}

} // namespace batchdeck::sim
