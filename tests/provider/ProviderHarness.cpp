#include "ProviderHarness.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

namespace batchdeck::test {

using namespace Qt::StringLiterals;

sim::SimulatorOptions ProviderHarness::fastOptions()
{
    sim::SimulatorOptions options;
    options.phaseMs = 300;
    options.seed = 7;
    return options;
}

ProviderHarness::ProviderHarness(sim::SimulatorOptions options)
    : m_server(std::make_unique<sim::SimulatorServer>(std::move(options)))
{
    QObject::connect(m_server.get(),
                     &sim::SimulatorServer::requestServed,
                     m_server.get(),
                     [this](const QByteArray& method, const QString& path, int status) {
                         m_served.append(ServedRequest{method, path, status});
                     });
}

ProviderHarness::~ProviderHarness() = default;

bool ProviderHarness::start()
{
    const Result<quint16> port = m_server->listen(QHostAddress::LocalHost, 0);
    if (!port.ok()) {
        qWarning("simulator did not start: %s", qPrintable(port.error().message));
        return false;
    }
    return true;
}

OpenAiConfig ProviderHarness::config() const
{
    OpenAiConfig config;
    config.baseUrl = m_server->baseUrl();
    config.apiKey = m_server->options().apiKey;
    config.transferTimeoutMs = 10'000;
    config.retry.backoffBaseMs = 20;
    config.retry.backoffCapMs = 100;
    return config;
}

std::unique_ptr<OpenAiProvider> ProviderHarness::makeProvider(const std::function<void(OpenAiConfig&)>& tweak) const
{
    OpenAiConfig c = config();
    if (tweak)
        tweak(c);
    auto provider = std::make_unique<OpenAiProvider>(c);
    provider->setRandomSeed(11);
    return provider;
}

int ProviderHarness::servedCount(const QByteArray& method, const QString& path) const
{
    return int(servedStatuses(method, path).size());
}

QList<int> ProviderHarness::servedStatuses(const QByteArray& method, const QString& path) const
{
    const bool prefix = path.endsWith(u'*');
    const QString stem = prefix ? path.chopped(1) : path;
    QList<int> statuses;
    for (const ServedRequest& request : m_served) {
        if (request.method == method && (prefix ? request.path.startsWith(stem) : request.path == stem))
            statuses.append(request.status);
    }
    return statuses;
}

QString ProviderHarness::writeJsonl(const QString& name, const QList<QByteArray>& lines) const
{
    const QString filePath = m_dir.filePath(name);
    QFile file(filePath);
    if (!file.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(filePath));
    for (const QByteArray& line : lines)
        file.write(line + '\n');
    return filePath;
}

QByteArray chatLine(const QString& customId, const QString& content, const QString& model)
{
    const QJsonObject message{{u"role"_s, u"user"_s}, {u"content"_s, content}};
    const QJsonObject body{{u"model"_s, model}, {u"messages"_s, QJsonArray{message}}};
    const QJsonObject line{
        {u"custom_id"_s, customId}, {u"method"_s, u"POST"_s}, {u"url"_s, u"/v1/chat/completions"_s}, {u"body"_s, body}};
    return QJsonDocument(line).toJson(QJsonDocument::Compact);
}

ProviderBatch pollBatch(BatchProvider& provider,
                        const QString& batchId,
                        const std::function<bool(const ProviderBatch&)>& done,
                        int timeoutMs,
                        QList<ProviderBatch>* seen)
{
    QElapsedTimer clock;
    clock.start();
    ProviderBatch last;
    while (clock.elapsed() < timeoutMs) {
        ProviderResult<ProviderBatch> batch = await(provider.getBatch(batchId));
        if (!batch.ok()) {
            qWarning("get batch failed while polling: %s", qPrintable(batch.error().message));
            return last;
        }
        last = batch.value();
        if (seen)
            seen->append(last);
        if (done(last))
            return last;
        QTest::qWait(40);
    }
    qWarning(
        "batch %s did not reach the awaited state; last status %s", qPrintable(batchId), qPrintable(last.statusText));
    return last;
}

QList<QJsonObject> readJsonl(const QString& path)
{
    QList<QJsonObject> lines;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (!line.isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    }
    return lines;
}

} // namespace batchdeck::test
