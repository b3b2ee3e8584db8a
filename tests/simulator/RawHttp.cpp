#include "RawHttp.h"

#include <QElapsedTimer>

namespace batchdeck::sim::test {

ThreadedSimulator::ThreadedSimulator(const SimulatorOptions& options)
{
    m_server = new SimulatorServer(options);
    m_server->moveToThread(&m_thread);
    m_thread.start();
    QMetaObject::invokeMethod(
        m_server,
        [this] {
            const Result<quint16> port = m_server->listen(QHostAddress::LocalHost, 0);
            m_port = port ? *port : 0;
        },
        Qt::BlockingQueuedConnection);
}

ThreadedSimulator::~ThreadedSimulator()
{
    QMetaObject::invokeMethod(
        m_server, [this] { delete m_server; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

bool connectTo(QTcpSocket& socket, quint16 port)
{
    socket.connectToHost(QHostAddress::LocalHost, port);
    return socket.waitForConnected(30000);
}

bool writeAll(QTcpSocket& socket, const QByteArray& bytes)
{
    if (socket.write(bytes) != bytes.size())
        return false;
    while (socket.bytesToWrite() > 0) {
        if (!socket.waitForBytesWritten(30000))
            return false;
    }
    return true;
}

QByteArray chunk(const QByteArray& data, const QByteArray& extension)
{
    QByteArray bytes = QByteArray::number(data.size(), 16);
    if (!extension.isEmpty())
        bytes += ';' + extension;
    return bytes + "\r\n" + data + "\r\n";
}

RawResponse readResponse(QTcpSocket& socket, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    const auto waitForData = [&] {
        return socket.bytesAvailable() > 0 ||
               socket.waitForReadyRead(int(qMax<qint64>(1, timeoutMs - timer.elapsed())));
    };
    // Byte by byte through the head, so that nothing of a following response is consumed.
    QByteArray head;
    while (!head.endsWith("\r\n\r\n")) {
        if (!waitForData())
            return {};
        head += socket.read(1);
    }
    RawResponse response;
    const QList<QByteArray> lines = head.trimmed().split('\n');
    response.status = lines.value(0).split(' ').value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            response.headers.insert(lines.at(i).first(colon).trimmed().toLower(),
                                    lines.at(i).sliced(colon + 1).trimmed());
    }
    const qint64 length = response.headers.value("content-length").toLongLong();
    while (response.body.size() < length) {
        if (!waitForData())
            return {};
        response.body += socket.read(length - response.body.size());
    }
    return response;
}

} // namespace batchdeck::sim::test
