#include <QApplication>

#include "MainWindow.h"

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("batchdeck"));
    QApplication::setApplicationVersion(QStringLiteral(BATCHDECK_VERSION));
    batchdeck::MainWindow window;
    window.show();
    return QApplication::exec();
}
