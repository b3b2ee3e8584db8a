#include "ReasonDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace batchdeck {

ReasonDialog::ReasonDialog(
    const QString& title, const QString& question, const QString& confirmText, bool destructive, QWidget* parent)
    : QDialog(parent)
    , m_reason(new QLineEdit(this))
{
    setWindowTitle(title);
    auto* text = new QLabel(question, this);
    text->setWordWrap(true);
    text->setTextFormat(Qt::PlainText);
    auto* icon = new QLabel(this);
    icon->setPixmap(style()
                        ->standardIcon(destructive ? QStyle::SP_MessageBoxWarning : QStyle::SP_MessageBoxQuestion)
                        .pixmap(32, 32));
    auto* top = new QHBoxLayout;
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addWidget(text, 1);

    m_reason->setPlaceholderText(tr("Optional: recorded in the job's history"));
    m_reason->setMaxLength(500);
    auto* form = new QFormLayout;
    form->addRow(tr("Reason:"), m_reason);

    auto* buttons = new QDialogButtonBox(this);
    m_confirm = buttons->addButton(confirmText, QDialogButtonBox::AcceptRole);
    QPushButton* back = buttons->addButton(QDialogButtonBox::Cancel);
    if (destructive) {
        m_confirm->setAutoDefault(false);
        back->setDefault(true);
    } else {
        m_confirm->setDefault(true);
    }
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(460);
}

QString ReasonDialog::reason() const
{
    return m_reason->text().trimmed();
}

} // namespace batchdeck
