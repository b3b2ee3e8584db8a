#pragma once

#include <QDialog>

class QLineEdit;
class QPushButton;

namespace batchdeck {

// Asks the operator to confirm an action on jobs and, optionally, why: the reason goes into each
// job's event history beside the operator's name. A destructive action's button says what it does
// and is not the default, so Enter alone does not cancel a batch.
class ReasonDialog : public QDialog
{
    Q_OBJECT

public:
    ReasonDialog(const QString& title,
                 const QString& question,
                 const QString& confirmText,
                 bool destructive,
                 QWidget* parent = nullptr);

    QString reason() const;
    QLineEdit* reasonEdit() const { return m_reason; }
    QPushButton* confirmButton() const { return m_confirm; }

private:
    QLineEdit* m_reason = nullptr;
    QPushButton* m_confirm = nullptr;
};

} // namespace batchdeck
