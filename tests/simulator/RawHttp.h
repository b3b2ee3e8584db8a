#pragma once

#include <memory>

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QTcpSocket>
#include <QThread>

#include "simulator/SimulatorServer.h"

namespace batchdeck::sim::test {

// A simulator on its own thread, so that a test can drive a raw socket with blocking waits.
class ThreadedSimulator
{
public:
    explicit ThreadedSimulator(const SimulatorOptions& options);
    ~ThreadedSimulator();

    bool isListening() const { return m_port != 0; }
    quint16 port() const { return m_port; }
    SimulatorServer* server() const { return m_server; }

private:
    QThread m_thread;
    SimulatorServer* m_server = nullptr;
    quint16 m_port = 0;
};

struct RawResponse
{
    int status = 0;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
};

// Reads one HTTP/1.1 response (Content-Length framed) from a blocking socket; status 0 on failure.
RawResponse readResponse(QTcpSocket& socket, int timeoutMs = 60000);
bool connectTo(QTcpSocket& socket, quint16 port);
bool writeAll(QTcpSocket& socket, const QByteArray& bytes);
// One chunk of a chunked body.
QByteArray chunk(const QByteArray& data, const QByteArray& extension = {});

} // namespace batchdeck::sim::test
