#pragma once

#include <QMainWindow>

namespace batchdeck {

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace batchdeck
