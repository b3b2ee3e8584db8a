// Runs `batchdeck-cli simulate` without the rest of batchdeck-cli, so the command is tested on its own.
#include <QCoreApplication>

#include "SimulateCommand.h"

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    return batchdeck::cli::runSimulateCommand(QCoreApplication::arguments().mid(1));
}
