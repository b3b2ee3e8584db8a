#include "ApiMetrics.h"

#include <algorithm>

#include "provider/BatchProvider.h"
#include "store/JobFeed.h"
#include "store/JobStatus.h"

namespace batchdeck::http {

namespace {

// Label values escape backslash, double quote and newline.
QByteArray labelValue(const QString& text)
{
    QByteArray out = text.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return out;
}

QByteArray number(double value)
{
    return QByteArray::number(value, 'g', 12);
}

void header(QByteArray& out, const char* name, const char* type, const char* help)
{
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

template <typename Map> QList<typename Map::key_type> sortedKeys(const Map& map, auto less)
{
    QList<typename Map::key_type> keys = map.keys();
    std::sort(keys.begin(), keys.end(), less);
    return keys;
}

} // namespace

void DurationHistogram::observe(const std::array<double, 10>& bounds, double seconds)
{
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        if (seconds <= bounds[i])
            ++m_buckets[i];
    }
    ++m_count;
    m_sum += seconds;
}

void DurationHistogram::write(QByteArray& out,
                              const QByteArray& name,
                              const QByteArray& labels,
                              const std::array<double, 10>& bounds) const
{
    const QByteArray prefix = labels.isEmpty() ? QByteArray() : labels + ',';
    for (std::size_t i = 0; i < bounds.size(); ++i)
        out +=
            name + "_bucket{" + prefix + "le=\"" + number(bounds[i]) + "\"} " + QByteArray::number(m_buckets[i]) + '\n';
    out += name + "_bucket{" + prefix + "le=\"+Inf\"} " + QByteArray::number(m_count) + '\n';
    const QByteArray braces = labels.isEmpty() ? QByteArray() : '{' + labels + '}';
    out += name + "_sum" + braces + ' ' + number(m_sum) + '\n';
    out += name + "_count" + braces + ' ' + QByteArray::number(m_count) + '\n';
}

void ApiMetrics::recordRequest(const QByteArray& method, const QString& route, int status, qint64 durationUs)
{
    ++m_requests[RequestKey{method, route, status}];
    m_requestDurations[route].observe(DurationHistogram::kHttpBuckets, double(durationUs) / 1e6);
    ++m_requestTotal;
}

void ApiMetrics::recordProviderCall(const ProviderCallRecord& record)
{
    ++m_providerCalls[ProviderKey{record.operation, record.outcome}];
    m_providerDurations[record.operation].observe(DurationHistogram::kProviderBuckets, double(record.durationMs) / 1e3);
}

QByteArray ApiMetrics::render(bool ready, const StoreFigures& store) const
{
    QByteArray out;
    header(out, "batchdeck_ready", "gauge", "1 once the database is open and requests are served.");
    out += "batchdeck_ready " + QByteArray(ready ? "1" : "0") + '\n';

    if (store.jobs) {
        header(out, "batchdeck_jobs", "gauge", "Pipeline batch jobs by status.");
        for (JobStatus status : allJobStatuses())
            out += "batchdeck_jobs{status=\"" + statusName(status).toLatin1() + "\"} " +
                   QByteArray::number(store.jobs->count(status)) + '\n';
        header(out, "batchdeck_results_stored", "gauge", "Results stored over all jobs, by kind.");
        out += "batchdeck_results_stored{kind=\"ok\"} " + QByteArray::number(store.resultsSaved - store.resultErrors) +
               '\n';
        out += "batchdeck_results_stored{kind=\"error\"} " + QByteArray::number(store.resultErrors) + '\n';
    }
    header(out, "batchdeck_store_up", "gauge", "1 when the last read of the database for these metrics worked.");
    out += "batchdeck_store_up " + QByteArray(store.jobs ? "1" : "0") + '\n';

    header(out, "batchdeck_provider_calls_total", "counter", "Provider calls by operation and outcome.");
    const auto providerKeys = sortedKeys(m_providerCalls, [](const ProviderKey& a, const ProviderKey& b) {
        return std::tie(a.operation, a.outcome) < std::tie(b.operation, b.outcome);
    });
    for (const ProviderKey& key : providerKeys)
        out += "batchdeck_provider_calls_total{operation=\"" + labelValue(key.operation) + "\",outcome=\"" +
               labelValue(key.outcome) + "\"} " + QByteArray::number(m_providerCalls.value(key)) + '\n';
    header(out, "batchdeck_provider_call_duration_seconds", "histogram", "Provider call latency, retries included.");
    QStringList operations = m_providerDurations.keys();
    operations.sort();
    for (const QString& operation : std::as_const(operations))
        m_providerDurations.value(operation).write(out,
                                                   "batchdeck_provider_call_duration_seconds",
                                                   "operation=\"" + labelValue(operation) + '"',
                                                   DurationHistogram::kProviderBuckets);

    header(out, "batchdeck_http_requests_in_flight", "gauge", "Requests being answered, this one included.");
    out += "batchdeck_http_requests_in_flight " + QByteArray::number(m_inFlight) + '\n';
    header(out, "batchdeck_http_requests_total", "counter", "HTTP requests by method, route and status code.");
    const auto requestKeys = sortedKeys(m_requests, [](const RequestKey& a, const RequestKey& b) {
        return std::tie(a.route, a.method, a.status) < std::tie(b.route, b.method, b.status);
    });
    for (const RequestKey& key : requestKeys)
        out += "batchdeck_http_requests_total{method=\"" + labelValue(QString::fromLatin1(key.method)) + "\",route=\"" +
               labelValue(key.route) + "\",code=\"" + QByteArray::number(key.status) + "\"} " +
               QByteArray::number(m_requests.value(key)) + '\n';
    header(out, "batchdeck_http_request_duration_seconds", "histogram", "HTTP request latency by route.");
    QStringList routes = m_requestDurations.keys();
    routes.sort();
    for (const QString& route : std::as_const(routes))
        m_requestDurations.value(route).write(out,
                                              "batchdeck_http_request_duration_seconds",
                                              "route=\"" + labelValue(route) + '"',
                                              DurationHistogram::kHttpBuckets);
    return out;
}

} // namespace batchdeck::http
