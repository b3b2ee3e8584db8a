// Runs the simulator in a process of its own, so a test can measure its client's memory without the
// server's. Prints "PORT <n>" once listening; stops when its standard input closes.
#include <cstdio>

#include <QCoreApplication>
#include <QSocketNotifier>

#include "simulator/SimulatorServer.h"

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    batchdeck::sim::SimulatorOptions options;
    options.phaseMs = 300;
    batchdeck::sim::SimulatorServer server(options);
    const batchdeck::Result<quint16> port = server.listen(QHostAddress::LocalHost, 0);
    if (!port.ok()) {
        std::fprintf(stderr, "provider_simhost: %s\n", qPrintable(port.error().message));
        return 1;
    }
    std::printf("PORT %u\n", unsigned(port.value()));
    std::fflush(stdout);

    // The parent closing our stdin (or dying) ends us: no orphaned simulators after a crashed test.
    QSocketNotifier stdinClosed(0, QSocketNotifier::Read);
    QObject::connect(&stdinClosed, &QSocketNotifier::activated, &app, [&stdinClosed] {
        char buffer[256];
        if (std::fread(buffer, 1, sizeof buffer, stdin) == 0) {
            stdinClosed.setEnabled(false);
            QCoreApplication::quit();
        }
    });
    return app.exec();
}
