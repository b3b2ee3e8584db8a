#include "JobErrorsTab.h"

#include <QFontDatabase>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

#include "StatusStyle.h"

namespace batchdeck {

JobErrorsTab::JobErrorsTab(QWidget* parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_details(new QPlainTextEdit(this))
{
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setLineWrapMode(QPlainTextEdit::NoWrap);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addWidget(m_summary);
    layout->addWidget(m_details, 1);
}

void JobErrorsTab::showJob(const JobSnapshot& job)
{
    if (job.errorDetails.isEmpty()) {
        m_summary->setText(tr("No errors recorded for this job."));
        m_summary->setStyleSheet({});
        m_details->clear();
        m_details->hide();
        return;
    }
    const QString code = job.errorDetails.value(QStringLiteral("code")).toString();
    const QString message = job.errorDetails.value(QStringLiteral("message")).toString();
    QString summary = message.isEmpty() ? tr("Error details") : message;
    if (!code.isEmpty())
        summary = QStringLiteral("%1: %2").arg(code, summary);
    m_summary->setText(summary);
    m_summary->setStyleSheet(
        QStringLiteral("font-weight: bold; color: %1;").arg(StatusStyle::color(JobStatus::SubmissionFailed).name()));
    m_details->setPlainText(QString::fromUtf8(QJsonDocument(job.errorDetails).toJson(QJsonDocument::Indented)));
    m_details->show();
}

QString JobErrorsTab::summary() const
{
    return m_summary->text();
}

QString JobErrorsTab::details() const
{
    return m_details->toPlainText();
}

} // namespace batchdeck
