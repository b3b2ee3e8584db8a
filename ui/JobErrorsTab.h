#pragma once

#include <QWidget>

#include "store/JobSnapshot.h"

class QLabel;
class QPlainTextEdit;

namespace batchdeck {

// A job's error_details: the message on top, the whole JSON (provider errors with line numbers,
// per-request errors) pretty-printed below.
class JobErrorsTab : public QWidget
{
    Q_OBJECT

public:
    explicit JobErrorsTab(QWidget* parent = nullptr);

    void showJob(const JobSnapshot& job);
    QString summary() const;
    QString details() const;

private:
    QLabel* m_summary = nullptr;
    QPlainTextEdit* m_details = nullptr;
};

} // namespace batchdeck
