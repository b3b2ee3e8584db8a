#pragma once

#include <QToolBar>

class QLabel;
class QToolButton;

namespace batchdeck {

// An information bar across the top of the window, for news the operator should see where the
// desktop has no system tray: a coloured strip with the message and a close button. A toolbar, so
// it goes under the window's main toolbar without the window having to make room for it.
class NotificationBanner : public QToolBar
{
    Q_OBJECT

public:
    enum class Tone
    {
        Good,
        Bad,
    };

    explicit NotificationBanner(QWidget* parent = nullptr);

    void showMessage(const QString& title, const QString& body, Tone tone);
    QString text() const; // the title, a new line and the body
    QToolButton* closeButton() const { return m_close; }

private:
    QString m_text; // title and body as plain text
    QLabel* m_label = nullptr;
    QToolButton* m_close = nullptr;
};

} // namespace batchdeck
