#pragma once

#include <functional>
#include <memory>
#include <optional>

#include <QByteArray>
#include <QEventLoop>
#include <QList>
#include <QString>
#include <QTemporaryDir>
#include <qcoro/qcorotask.h>

#include "provider/OpenAiProvider.h"
#include "simulator/SimulatorServer.h"

namespace batchdeck::test {

// One request the simulator answered, as its requestServed signal reported it.
struct ServedRequest
{
    QByteArray method;
    QString path;
    int status = 0;
};

// A real simulator on a free loopback port and OpenAiProviders pointed at it, with every request the
// simulator answered recorded, so tests can count retries on the server's side.
class ProviderHarness
{
public:
    // Fast phases so a whole lifecycle takes about a second; no key unless the test sets one.
    static sim::SimulatorOptions fastOptions();

    explicit ProviderHarness(sim::SimulatorOptions options = fastOptions());
    ~ProviderHarness();

    // Starts listening; false (with a test warning) if the simulator could not start.
    bool start();

    sim::SimulatorServer& server() { return *m_server; }
    // A config for the simulator: its base URL, short backoff so retries do not slow tests down.
    OpenAiConfig config() const;
    std::unique_ptr<OpenAiProvider> makeProvider(const std::function<void(OpenAiConfig&)>& tweak = {}) const;

    const QList<ServedRequest>& served() const { return m_served; }
    // Requests with this method whose path equals `path` (or starts with it when it ends in '*').
    int servedCount(const QByteArray& method, const QString& path) const;
    QList<int> servedStatuses(const QByteArray& method, const QString& path) const;
    void clearServed() { m_served.clear(); }

    // Writes lines (each without its newline) to a .jsonl file in the sandbox and returns its path.
    QString writeJsonl(const QString& name, const QList<QByteArray>& lines) const;
    QString path(const QString& name) const { return m_dir.filePath(name); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sim::SimulatorServer> m_server;
    QList<ServedRequest> m_served;
};

// A /v1/chat/completions request line; `content` may hold the simulator's [[sim:fail:NNN]] marker.
QByteArray
chatLine(const QString& customId, const QString& content, const QString& model = QStringLiteral("gpt-4o-mini"));

namespace detail {
template <typename T> QCoro::Task<> awaitInto(QCoro::Task<T> task, std::optional<T>* result, QEventLoop* loop)
{
    result->emplace(co_await task);
    loop->quit();
}
} // namespace detail

// Runs a provider call to its end in a local event loop (tests only: the engine co_awaits). Not
// QCoro::waitFor, which needs a default-constructible result, and Result<T> has no empty state.
template <typename T> T await(QCoro::Task<T>&& task)
{
    std::optional<T> result;
    QEventLoop loop;
    QCoro::Task<> runner = detail::awaitInto(std::move(task), &result, &loop);
    if (!result)
        loop.exec();
    return std::move(*result);
}

// The error text of a failed result for QVERIFY2, which evaluates its message even when the check
// passes (so calling error() on a good result there would throw).
template <typename R> const char* failureText(const R& result)
{
    static QByteArray text;
    text = result.ok() ? QByteArray() : result.error().message.toUtf8();
    return text.constData();
}

// Polls getBatch until `done` holds or `timeoutMs` passes; every snapshot seen is appended to `seen`.
ProviderBatch pollBatch(BatchProvider& provider,
                        const QString& batchId,
                        const std::function<bool(const ProviderBatch&)>& done,
                        int timeoutMs = 15000,
                        QList<ProviderBatch>* seen = nullptr);

// The lines of a downloaded JSONL file, parsed; blank lines skipped.
QList<QJsonObject> readJsonl(const QString& path);

} // namespace batchdeck::test
