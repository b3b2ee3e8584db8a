#pragma once

#include <optional>

#include <QDialog>
#include <QFutureWatcher>
#include <QTimer>

#include "ConsoleActions.h"
#include "ItemFilePreview.h"
#include "service/RequestFileCheck.h"

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QStackedWidget;
class QTableWidget;

namespace batchdeck {

// Submits a batch type for a run, showing everything before anything is sent: the run (chosen, or a
// new id checked as the engine checks it), the items (the run's own, or a CSV/JSONL file to import,
// previewed with its bad lines by number; imported only on confirm), the batch type (description,
// endpoint, model), the request count and the first request as it will be sent. Or a ready .jsonl
// request file, checked line by line (custom_id, method, url, body; unique ids) before the Submit
// button is even enabled. Files are read on a worker thread; the dialog never blocks.
class SubmitDialog : public QDialog
{
    Q_OBJECT

public:
    struct RunChoice
    {
        QString runId;
        qint64 items = 0;
    };

    static constexpr int kPreviewRows = 20;

    SubmitDialog(ConsoleActions& actions,
                 const QList<RunChoice>& runs,
                 const QString& runId,
                 const QString& batchType,
                 QWidget* parent = nullptr);
    ~SubmitDialog() override;

    // What the dialog would submit now.
    SubmitRequest request() const;
    bool canSubmit() const;

    // The parts tests drive.
    QComboBox* runBox() const { return m_run; }
    QLabel* runNote() const { return m_runNote; }
    QRadioButton* itemsChoice() const { return m_itemsChoice; }
    QRadioButton* requestFileChoice() const { return m_fileChoice; }
    QLineEdit* itemsPathEdit() const { return m_itemsPath; }
    QComboBox* itemFormatBox() const { return m_itemFormat; }
    QLineEdit* keyFieldEdit() const { return m_keyField; }
    QLineEdit* requestFileEdit() const { return m_requestPath; }
    QComboBox* batchTypeBox() const { return m_type; }
    QLabel* batchTypeInfo() const { return m_typeInfo; }
    QTableWidget* previewTable() const { return m_previewTable; }
    QListWidget* problemList() const { return m_problems; }
    QLabel* countLabel() const { return m_count; }
    QPlainTextEdit* requestPreview() const { return m_requestPreview; }
    QPushButton* submitButton() const { return m_submit; }

Q_SIGNALS:
    // The files, the count and the preview reflect the inputs (after a file was read, a preview came).
    void inputsChecked();

private:
    QWidget* buildRunSection();
    QWidget* buildSourceSection();
    QWidget* buildPreviewSection();
    void onInputsChanged();
    void check();
    void onItemFileRead();
    void onRequestFileRead();
    void onRequestPreviewLoaded(const batchdeck::RequestPreviewPage& page);
    void showTypeInfo();
    void showItemPreview();
    void showRequestFileReport();
    void showProblems(const QList<RequestLineProblem>& problems, qint64 total);
    void showRenderedRequest(const QByteArray& line);
    void updateSubmitButton();
    void browseItems();
    void browseRequestFile();
    std::optional<BatchType> currentType() const;
    const RunChoice* existingRun() const;
    bool runIdValid() const;

    ConsoleActions& m_actions;
    QList<RunChoice> m_runs;
    QList<BatchType> m_types;

    QComboBox* m_run = nullptr;
    QLabel* m_runNote = nullptr;
    QRadioButton* m_itemsChoice = nullptr;
    QRadioButton* m_fileChoice = nullptr;
    QStackedWidget* m_sourcePages = nullptr;
    QLineEdit* m_itemsPath = nullptr;
    QComboBox* m_itemFormat = nullptr;
    QLineEdit* m_keyField = nullptr;
    QLineEdit* m_requestPath = nullptr;
    QComboBox* m_type = nullptr;
    QLabel* m_typeInfo = nullptr;
    QTableWidget* m_previewTable = nullptr;
    QListWidget* m_problems = nullptr;
    QLabel* m_count = nullptr;
    QPlainTextEdit* m_requestPreview = nullptr;
    QPushButton* m_submit = nullptr;

    QTimer m_debounce;
    quint64 m_generation = 0; // answers of an older input are dropped
    QFutureWatcher<ItemFilePreview> m_itemWatcher;
    QFutureWatcher<Result<RequestFileReport>> m_fileWatcher;
    std::optional<ItemFilePreview> m_itemFile;
    std::optional<RequestFileReport> m_requestFile;
    quint64 m_previewRequest = 0;
    qint64 m_engineTotal = -1; // requests the run's items make now, from the engine; -1 unknown
    bool m_reading = false;
};

} // namespace batchdeck
