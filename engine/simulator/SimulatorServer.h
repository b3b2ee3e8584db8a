#pragma once

#include <memory>
#include <optional>

#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QUrl>

#include "core/Result.h"
#include "simulator/SimulatorOptions.h"

namespace batchdeck::http {
class HttpResponder;
struct HttpRequest;
struct HttpResponse;
} // namespace batchdeck::http

namespace batchdeck::sim {

struct BatchRecord;

// A snapshot of one simulated batch, for tests and the demo (the same data GET /v1/batches/{id}
// returns, with the most used fields typed).
struct SimulatedBatch
{
    QString id;
    QString status;
    QString endpoint;
    QString inputFileId;
    QJsonObject metadata;
    int total = 0;
    int completed = 0;
    int failed = 0;
    QString outputFileId;
    QString errorFileId;
    QJsonObject json; // the full Batch object
};

// An OpenAI-compatible Files + Batches server over loopback HTTP (see engine/simulator/README.md).
// Lives in one thread: create, listen and use it there (it may be moved to a worker thread before
// listen(); validation of a large input file runs on that thread).
class SimulatorServer : public QObject
{
    Q_OBJECT

public:
    explicit SimulatorServer(SimulatorOptions options, QObject* parent = nullptr);
    ~SimulatorServer() override;

    // Opens the state (the state dir is locked against a second simulator) and starts listening.
    // Port 0 picks a free port; the result is the port.
    Result<quint16> listen(const QHostAddress& address = QHostAddress::LocalHost, quint16 port = 0);
    void close();
    QUrl baseUrl() const; // http://host:port/v1
    quint16 port() const;

    const SimulatorOptions& options() const { return m_options; }
    SimulatorFaults faults() const { return m_faults; }
    void setFaults(const SimulatorFaults& faults);

    int batchesCreated() const;      // batches known: created in this run or reloaded from the state dir
    QList<SimulatedBatch> batches(); // newest first
    std::optional<SimulatedBatch> batch(const QString& id);
    int requestsServed() const { return m_requestsServed; }

    qint64 nowMs() const;
    qint64 clockOffsetMs() const;
    // Moves the simulated clock forward (never back): batches and file expiry follow it.
    void advanceClock(qint64 ms);

Q_SIGNALS:
    // A POST /v1/batches created a batch (emitted before a slow-creation delay ends).
    void batchCreated(const QString& id);
    // A request was handled, admin ones included; a stalled answer is still on its way.
    void requestServed(const QByteArray& method, const QString& path, int status);

private:
    struct State;

    Status open();
    void handle(http::HttpRequest&& request, http::HttpResponder responder);
    http::HttpResponse route(const http::HttpRequest& request);
    std::optional<http::HttpResponse> checkApiKey(const http::HttpRequest& request) const;
    std::optional<http::HttpResponse> injectedFault();
    SimulatedBatch snapshot(const BatchRecord& record);
    void saveClock() const;

    SimulatorOptions m_options;
    SimulatorFaults m_faults;
    std::unique_ptr<State> m_state;
    int m_requestsServed = 0;
};

} // namespace batchdeck::sim
