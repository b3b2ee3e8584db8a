#pragma once

#include <array>
#include <optional>

#include <QByteArray>
#include <QHash>
#include <QString>

namespace batchdeck {
struct ProviderCallRecord;
class StatusCounts;
} // namespace batchdeck

namespace batchdeck::http {

// A Prometheus histogram with fixed buckets (seconds).
class DurationHistogram
{
public:
    static constexpr std::array<double, 10> kHttpBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5};
    static constexpr std::array<double, 10> kProviderBuckets{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    void observe(const std::array<double, 10>& bounds, double seconds);
    // `name`, `labels` ("a=\"b\"" pairs without braces) and `bounds` as in observe().
    void write(QByteArray& out,
               const QByteArray& name,
               const QByteArray& labels,
               const std::array<double, 10>& bounds) const;

private:
    std::array<quint64, 10> m_buckets{};
    quint64 m_count = 0;
    double m_sum = 0;
};

// What the server counts itself (HTTP requests, provider calls); what the database knows (jobs by
// status, results stored) is read when /metrics is asked. Lives on the server's thread.
class ApiMetrics
{
public:
    void recordRequest(const QByteArray& method, const QString& route, int status, qint64 durationUs);
    void setRequestsInFlight(int count) { m_inFlight = count; }
    void recordProviderCall(const ProviderCallRecord& record);

    struct StoreFigures
    {
        const StatusCounts* jobs = nullptr; // null: the database could not be read
        qint64 resultsSaved = 0;
        qint64 resultErrors = 0;
    };
    // The Prometheus text exposition format 0.0.4.
    QByteArray render(bool ready, const StoreFigures& store) const;

    quint64 requestCount() const { return m_requestTotal; }

private:
    struct RequestKey
    {
        QByteArray method;
        QString route;
        int status = 0;
        friend bool operator==(const RequestKey&, const RequestKey&) = default;
    };
    friend size_t qHash(const RequestKey& key, size_t seed)
    {
        return qHashMulti(seed, key.method, key.route, key.status);
    }

    struct ProviderKey
    {
        QString operation;
        QString outcome;
        friend bool operator==(const ProviderKey&, const ProviderKey&) = default;
    };
    friend size_t qHash(const ProviderKey& key, size_t seed) { return qHashMulti(seed, key.operation, key.outcome); }

    QHash<RequestKey, quint64> m_requests;
    QHash<QString, DurationHistogram> m_requestDurations; // by route
    QHash<ProviderKey, quint64> m_providerCalls;
    QHash<QString, DurationHistogram> m_providerDurations; // by operation
    quint64 m_requestTotal = 0;
    int m_inFlight = 0;
};

} // namespace batchdeck::http
