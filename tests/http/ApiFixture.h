#pragma once

#include <memory>

#include <QTest>

#include "ApiClient.h"
#include "ServiceFixture.h"
#include "http/ApiServer.h"

namespace batchdeck::test {

// The engine against a real simulator (ServiceFixture) with an ApiServer on a free loopback port,
// all on the test's thread: the test's client waits by running the event loop.
struct ApiFixture
{
    ServiceFixture engine;
    std::unique_ptr<http::ApiServer> server;
    http::ApiServerOptions options;
    QByteArray token = "test-token-0123456789";

    // Returns an empty string on success, else what went wrong.
    QString start(sim::SimulatorOptions simulator = ServiceFixture::fastSimulator(), bool withEngine = true)
    {
        if (const QString failed = engine.start(simulator); !failed.isEmpty())
            return failed;
        options.token = token;
        options.spoolDir = engine.dir.path();
        options.logFormat = http::RequestLog::Format::Off;
        server = std::make_unique<http::ApiServer>(options);
        auto port = server->listen(QHostAddress::LocalHost, 0);
        if (!port)
            return port.error().message;
        if (withEngine)
            server->setEngine(*engine.service, engine.provider.get());
        return {};
    }

    ApiClient client() const { return ApiClient(server->port(), token); }

    // Requests still running (awaiting the provider) finish before the server goes.
    void stop()
    {
        if (!server)
            return;
        (void)QTest::qWaitFor([this] { return server->requestsInFlight() == 0; }, 30000);
        server.reset();
    }

    ~ApiFixture() { stop(); }
};

} // namespace batchdeck::test
