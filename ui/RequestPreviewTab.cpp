#include "RequestPreviewTab.h"

#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QVBoxLayout>

#include "ConsoleActions.h"

namespace batchdeck {

RequestPreviewTab::RequestPreviewTab(QWidget* parent)
    : QWidget(parent)
    , m_header(new QLabel(this))
    , m_text(new QPlainTextEdit(this))
{
    m_header->setWordWrap(true);
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addWidget(m_header);
    layout->addWidget(m_text, 1);
}

void RequestPreviewTab::setActions(ConsoleActions* actions)
{
    m_actions = actions;
    if (m_actions) {
        connect(m_actions, &ConsoleActions::requestPreviewLoaded, this, &RequestPreviewTab::onLoaded);
        // Asked before the engine was up: ask again now.
        connect(m_actions, &ConsoleActions::started, this, [this] {
            m_stale = true;
            if (isVisible())
                load();
        });
    }
}

void RequestPreviewTab::showJob(const JobSnapshot& job)
{
    // Once sent, the preview is the uploaded file: a new attempt or upload is another preview.
    const bool other =
        !m_job || m_job->id != job.id || m_job->attempt != job.attempt || m_job->inputFileId != job.inputFileId;
    m_job = job;
    if (!other)
        return;
    m_stale = true;
    if (isVisible())
        load();
}

void RequestPreviewTab::clear()
{
    m_job.reset();
    m_request = 0;
    m_header->clear();
    m_text->clear();
}

QString RequestPreviewTab::text() const
{
    return m_text->toPlainText();
}

void RequestPreviewTab::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        load();
}

void RequestPreviewTab::load()
{
    if (!m_job)
        return;
    m_stale = false;
    m_text->clear();
    if (!m_actions || !m_actions->isReady()) {
        m_header->setText(tr("The request preview needs the engine, which is not running in this console."));
        m_request = 0;
        return;
    }
    if (!m_job->inputFileId.isEmpty()) {
        m_header->setText(tr("Reading file %1 from the provider…").arg(m_job->inputFileId));
        m_request = m_actions->loadSentRequests(m_job->runId, m_job->batchType, m_job->inputFileId, kLines);
        return;
    }
    m_header->setText(tr("Rendering…"));
    m_request = m_actions->loadRequestPreview(m_job->runId, m_job->batchType, kLines);
}

void RequestPreviewTab::onLoaded(const RequestPreviewPage& page)
{
    if (page.requestId != m_request || m_request == 0)
        return;
    m_request = 0;
    const QLocale locale;
    if (!page.inputFileId.isEmpty()) {
        if (!page.error.isEmpty()) {
            m_header->setText(
                tr("As sent (file %1): cannot read it from the provider: %2").arg(page.inputFileId, page.error));
            return;
        }
        // The provider's count of the batch's requests when the head did not hold the whole file.
        const qint64 total = page.total >= 0 ? page.total : (m_job ? m_job->requestTotal : 0);
        m_header->setText(total > 0
                              ? tr("As sent (file %1): the first %2 of %3 request lines, read back from "
                                   "the provider.")
                                    .arg(page.inputFileId, locale.toString(page.lines.size()), locale.toString(total))
                              : tr("As sent (file %1): the first %2 request lines, read back from the "
                                   "provider.")
                                    .arg(page.inputFileId, locale.toString(page.lines.size())));
    } else if (!page.error.isEmpty()) {
        m_header->setText(tr("Cannot render the requests: %1").arg(page.error));
        return;
    } else {
        m_header->setText(
            page.lines.isEmpty()
                ? tr("Nothing to send: the run has no items for this batch type.")
                : tr("As it will be sent: the first %1 of %2 request lines of '%3' for run %4, rendered from "
                     "its items now.")
                      .arg(
                          locale.toString(page.lines.size()), locale.toString(page.total), page.batchType, page.runId));
    }
    QStringList lines;
    for (const QByteArray& line : page.lines)
        lines.append(QString::fromUtf8(line));
    m_text->setPlainText(lines.join(QLatin1Char('\n')));
}

} // namespace batchdeck
