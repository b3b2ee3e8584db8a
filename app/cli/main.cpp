#include <QCoreApplication>

#include "Commands.h"

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("batchdeck"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BATCHDECK_VERSION));
    return batchdeck::cli::runCli(QCoreApplication::arguments());
}
