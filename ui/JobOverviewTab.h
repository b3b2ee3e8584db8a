#pragma once

#include <QMap>
#include <QWidget>

#include "store/JobSnapshot.h"

class QFormLayout;
class QLabel;
class QToolButton;

namespace batchdeck {

// Every field of one job, as selectable text; ids (job, batch, files) get a Copy button, since
// operators paste them into tickets and provider dashboards.
class JobOverviewTab : public QWidget
{
    Q_OBJECT

public:
    enum class Field
    {
        JobId,
        Run,
        BatchType,
        Status,
        ProviderStatus,
        ProviderChecked,
        Attempt,
        BatchId,
        InputFile,
        OutputFile,
        ErrorFile,
        Requests,
        Results,
        Lease,
        Created,
        Updated,
        Submitted,
        Completed,
        Expires,
    };

    explicit JobOverviewTab(QWidget* parent = nullptr);

    void showJob(const JobSnapshot& job);
    QString text(Field field) const;
    QToolButton* copyButton(Field field) const { return m_copyButtons.value(field); }

private:
    void addRow(QFormLayout* form, Field field, const QString& label, bool copyable);
    void setField(Field field, const QString& text, const QString& richText = {});

    QMap<Field, QLabel*> m_values;
    QMap<Field, QToolButton*> m_copyButtons;
    QMap<Field, QString> m_texts;
    int m_rowHeight = 0;
};

} // namespace batchdeck
