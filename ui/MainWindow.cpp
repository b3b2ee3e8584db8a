#include "MainWindow.h"

namespace batchdeck {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Batchdeck"));
}

} // namespace batchdeck
