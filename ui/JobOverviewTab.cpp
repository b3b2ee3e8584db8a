#include "JobOverviewTab.h"

#include <QClipboard>
#include <QDateTime>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QToolButton>

#include "JobTableModel.h"
#include "StatusStyle.h"
#include "TimeText.h"

namespace batchdeck {

namespace {

QFormLayout* newForm()
{
    auto* form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setVerticalSpacing(3);
    return form;
}

QString timeWithAgo(qint64 ms, qint64 now)
{
    if (ms <= 0)
        return {};
    return QStringLiteral("%1 (%2)").arg(TimeText::dateTime(ms), TimeText::ago(ms, now));
}

} // namespace

JobOverviewTab::JobOverviewTab(QWidget* parent)
    : QWidget(parent)
{
    QToolButton probe;
    probe.setText(tr("Copy"));
    probe.setAutoRaise(true);
    m_rowHeight = probe.sizeHint().height();

    auto* content = new QWidget;
    auto* columns = new QHBoxLayout(content);
    columns->setContentsMargins(8, 8, 8, 8);
    columns->setSpacing(24);
    QFormLayout* ids = newForm();
    QFormLayout* state = newForm();
    QFormLayout* times = newForm();
    columns->addLayout(ids, 3);
    columns->addLayout(state, 2);
    columns->addLayout(times, 3);

    addRow(ids, Field::JobId, tr("Job id"), true);
    addRow(ids, Field::Run, tr("Run"), true);
    addRow(ids, Field::BatchType, tr("Batch type"), false);
    addRow(ids, Field::BatchId, tr("Batch id"), true);
    addRow(ids, Field::InputFile, tr("Input file"), true);
    addRow(ids, Field::OutputFile, tr("Output file"), true);
    addRow(ids, Field::ErrorFile, tr("Error file"), true);

    addRow(state, Field::Status, tr("Status"), false);
    addRow(state, Field::ProviderStatus, tr("Provider status"), false);
    addRow(state, Field::ProviderChecked, tr("Last asked"), false);
    addRow(state, Field::Attempt, tr("Attempt"), false);
    addRow(state, Field::Requests, tr("Requests"), false);
    addRow(state, Field::Results, tr("Results"), false);
    addRow(state, Field::Lease, tr("Lease"), false);

    addRow(times, Field::Created, tr("Created"), false);
    addRow(times, Field::Updated, tr("Updated"), false);
    addRow(times, Field::Submitted, tr("Submitted"), false);
    addRow(times, Field::Completed, tr("Completed"), false);
    addRow(times, Field::Expires, tr("Expires"), false);

    auto* scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
}

void JobOverviewTab::addRow(QFormLayout* form, Field field, const QString& label, bool copyable)
{
    auto* value = new QLabel;
    // Rows with a Copy button are as tall as the button; the others match, so rows line up.
    value->setMinimumHeight(m_rowHeight);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    value->setTextFormat(Qt::PlainText);
    m_values.insert(field, value);
    if (!copyable) {
        form->addRow(label, value);
        return;
    }
    auto* row = new QHBoxLayout;
    row->setSpacing(4);
    row->addWidget(value);
    auto* copy = new QToolButton;
    copy->setText(tr("Copy"));
    copy->setToolTip(tr("Copy the %1 to the clipboard").arg(label.toLower()));
    copy->setAutoRaise(true);
    connect(copy, &QToolButton::clicked, this, [this, field] {
        QGuiApplication::clipboard()->setText(m_texts.value(field));
    });
    m_copyButtons.insert(field, copy);
    row->addWidget(copy);
    row->addStretch(1); // the button sits right after its id, where the eye is
    form->addRow(label, row);
}

void JobOverviewTab::setField(Field field, const QString& text, const QString& richText)
{
    m_texts.insert(field, text);
    QLabel* label = m_values.value(field);
    if (!richText.isEmpty()) {
        label->setTextFormat(Qt::RichText);
        label->setText(richText);
    } else {
        label->setTextFormat(Qt::PlainText);
        label->setText(text.isEmpty() ? QStringLiteral("—") : text);
    }
    if (QToolButton* copy = m_copyButtons.value(field))
        copy->setVisible(!text.isEmpty());
}

QString JobOverviewTab::text(Field field) const
{
    return m_texts.value(field);
}

void JobOverviewTab::showJob(const JobSnapshot& job)
{
    const QLocale locale;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    setField(Field::JobId, QString::number(job.id));
    setField(Field::Run, job.runId);
    setField(Field::BatchType, job.batchType);
    setField(Field::Status,
             statusName(job.status),
             QStringLiteral("<b style=\"color:%1\">● %2</b> &nbsp;<code>%3</code>")
                 .arg(StatusStyle::color(job.status).name(),
                      StatusStyle::label(job.status).toHtmlEscaped(),
                      statusName(job.status)));
    setField(Field::ProviderStatus, job.providerStatus);
    setField(Field::ProviderChecked, TimeText::ago(job.providerCheckedAt, now));
    setField(Field::Attempt, QString::number(job.attempt));
    setField(Field::BatchId, job.llmBatchId);
    setField(Field::InputFile, job.inputFileId);
    setField(Field::OutputFile, job.outputFileId);
    setField(Field::ErrorFile, job.errorFileId);
    setField(Field::Requests,
             job.requestTotal > 0 ? tr("%1 completed, %2 failed of %3")
                                        .arg(locale.toString(job.requestCompleted),
                                             locale.toString(job.requestFailed),
                                             locale.toString(job.requestTotal))
                                  : QString());
    setField(Field::Results,
             job.resultsSaved > 0 || job.resultErrors > 0
                 ? tr("%1 saved, %2 errors").arg(locale.toString(job.resultsSaved), locale.toString(job.resultErrors))
                 : QString());
    setField(Field::Lease,
             job.leaseOwner.isEmpty() ? QString()
                                      : tr("%1 until %2").arg(job.leaseOwner, TimeText::dateTime(job.leaseUntil)));
    setField(Field::Created, timeWithAgo(job.createdAt, now));
    setField(Field::Updated, timeWithAgo(job.updatedAt, now));
    setField(Field::Submitted, timeWithAgo(job.submittedAt, now));
    setField(Field::Completed, timeWithAgo(job.completedAt, now));
    const qint64 expires = JobTableModel::expiresAt(job);
    setField(Field::Expires,
             expires > 0 ? QStringLiteral("%1 (%2)").arg(TimeText::dateTime(expires), TimeText::until(expires, now))
                         : QString());
}

} // namespace batchdeck
