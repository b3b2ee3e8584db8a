#include "SubmitDialog.h"

#include <algorithm>

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "StatusStyle.h"
#include "batchtypes/RequestRenderer.h"
#include "core/Json.h"
#include "core/Names.h"

namespace batchdeck {

namespace {

QString pretty(const QByteArray& line)
{
    const QJsonDocument document = QJsonDocument::fromJson(line);
    return document.isNull() ? QString::fromUtf8(line) : QString::fromUtf8(document.toJson(QJsonDocument::Indented));
}

QString cellText(const QJsonValue& value)
{
    if (value.isString())
        return value.toString();
    if (value.isUndefined() || value.isNull())
        return {};
    return QString::fromUtf8(json::valueText(value));
}

QLabel* noteLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    return label;
}

} // namespace

SubmitDialog::SubmitDialog(ConsoleActions& actions,
                           const QList<RunChoice>& runs,
                           const QString& runId,
                           const QString& batchType,
                           QWidget* parent)
    : QDialog(parent)
    , m_actions(actions)
    , m_runs(runs)
    , m_types(actions.batchTypes())
{
    setWindowTitle(tr("Submit a batch"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildRunSection());
    layout->addWidget(buildSourceSection());
    layout->addWidget(buildPreviewSection(), 1);

    auto* buttons = new QDialogButtonBox(this);
    m_submit = buttons->addButton(tr("Submit"), QDialogButtonBox::AcceptRole);
    m_submit->setDefault(true);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (canSubmit())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(980, 720);

    for (const RunChoice& run : std::as_const(m_runs))
        m_run->addItem(run.runId);
    m_run->setCurrentText(runId);
    for (const BatchType& type : std::as_const(m_types))
        m_type->addItem(type.name, type.name);
    if (const int index = m_type->findData(batchType); index >= 0)
        m_type->setCurrentIndex(index);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(&m_debounce, &QTimer::timeout, this, &SubmitDialog::check);
    connect(m_run, &QComboBox::currentTextChanged, this, &SubmitDialog::onInputsChanged);
    connect(m_type, &QComboBox::currentIndexChanged, this, &SubmitDialog::onInputsChanged);
    connect(m_itemsChoice, &QRadioButton::toggled, this, &SubmitDialog::onInputsChanged);
    connect(m_itemsPath, &QLineEdit::textChanged, this, &SubmitDialog::onInputsChanged);
    connect(m_itemFormat, &QComboBox::currentIndexChanged, this, &SubmitDialog::onInputsChanged);
    connect(m_keyField, &QLineEdit::textChanged, this, &SubmitDialog::onInputsChanged);
    connect(m_requestPath, &QLineEdit::textChanged, this, &SubmitDialog::onInputsChanged);
    connect(&m_itemWatcher, &QFutureWatcher<ItemFilePreview>::finished, this, &SubmitDialog::onItemFileRead);
    connect(
        &m_fileWatcher, &QFutureWatcher<Result<RequestFileReport>>::finished, this, &SubmitDialog::onRequestFileRead);
    connect(&m_actions, &ConsoleActions::requestPreviewLoaded, this, &SubmitDialog::onRequestPreviewLoaded);
    showTypeInfo();
    check();
}

SubmitDialog::~SubmitDialog()
{
    // The readers hold nothing of the dialog, but their results must not arrive after it is gone.
    m_itemWatcher.disconnect(this);
    m_fileWatcher.disconnect(this);
    m_itemWatcher.waitForFinished();
    m_fileWatcher.waitForFinished();
}

QWidget* SubmitDialog::buildRunSection()
{
    auto* box = new QGroupBox(tr("What to submit"), this);
    auto* form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_run = new QComboBox(box);
    m_run->setEditable(true);
    m_run->setInsertPolicy(QComboBox::NoInsert);
    m_run->lineEdit()->setPlaceholderText(tr("Choose a run, or type a new run id"));
    m_run->setToolTip(tr("1–200 characters of letters, digits and . _ : + @ -"));
    m_runNote = noteLabel(box);
    auto* runColumn = new QVBoxLayout;
    runColumn->setSpacing(2);
    runColumn->addWidget(m_run);
    runColumn->addWidget(m_runNote);
    form->addRow(tr("Run:"), runColumn);

    m_type = new QComboBox(box);
    m_typeInfo = noteLabel(box);
    auto* typeColumn = new QVBoxLayout;
    typeColumn->setSpacing(2);
    typeColumn->addWidget(m_type);
    typeColumn->addWidget(m_typeInfo);
    form->addRow(tr("Batch type:"), typeColumn);
    return box;
}

QWidget* SubmitDialog::buildSourceSection()
{
    auto* box = new QGroupBox(tr("Requests from"), this);
    auto* layout = new QVBoxLayout(box);
    auto* choices = new QHBoxLayout;
    m_itemsChoice = new QRadioButton(tr("The run's items, rendered with the batch type"), box);
    m_fileChoice = new QRadioButton(tr("A ready request file (.jsonl)"), box);
    m_itemsChoice->setChecked(true);
    auto* group = new QButtonGroup(box);
    group->addButton(m_itemsChoice);
    group->addButton(m_fileChoice);
    choices->addWidget(m_itemsChoice);
    choices->addWidget(m_fileChoice);
    choices->addStretch(1);
    layout->addLayout(choices);

    m_sourcePages = new QStackedWidget(box);
    auto* itemsPage = new QWidget(m_sourcePages);
    auto* itemsRow = new QHBoxLayout(itemsPage);
    itemsRow->setContentsMargins(0, 0, 0, 0);
    itemsRow->addWidget(new QLabel(tr("Import items first:"), itemsPage));
    m_itemsPath = new QLineEdit(itemsPage);
    m_itemsPath->setPlaceholderText(tr("Optional: a CSV or JSONL file; imported into the run when you submit"));
    m_itemsPath->setClearButtonEnabled(true);
    itemsRow->addWidget(m_itemsPath, 1);
    auto* browseItems = new QPushButton(tr("Browse…"), itemsPage);
    connect(browseItems, &QPushButton::clicked, this, &SubmitDialog::browseItems);
    itemsRow->addWidget(browseItems);
    itemsRow->addWidget(new QLabel(tr("Format:"), itemsPage));
    m_itemFormat = new QComboBox(itemsPage);
    m_itemFormat->addItem(tr("By name"), int(ItemFormat::Auto));
    m_itemFormat->addItem(QStringLiteral("JSONL"), int(ItemFormat::Jsonl));
    m_itemFormat->addItem(QStringLiteral("CSV"), int(ItemFormat::Csv));
    itemsRow->addWidget(m_itemFormat);
    itemsRow->addWidget(new QLabel(tr("Key field:"), itemsPage));
    m_keyField = new QLineEdit(QStringLiteral("id"), itemsPage);
    m_keyField->setMaximumWidth(110);
    m_keyField->setToolTip(tr("The field that names each item; it becomes each request's custom_id"));
    itemsRow->addWidget(m_keyField);
    m_sourcePages->addWidget(itemsPage);

    auto* filePage = new QWidget(m_sourcePages);
    auto* fileRow = new QHBoxLayout(filePage);
    fileRow->setContentsMargins(0, 0, 0, 0);
    fileRow->addWidget(new QLabel(tr("Request file:"), filePage));
    m_requestPath = new QLineEdit(filePage);
    m_requestPath->setPlaceholderText(tr("One request a line: custom_id, method, url, body"));
    m_requestPath->setClearButtonEnabled(true);
    fileRow->addWidget(m_requestPath, 1);
    auto* browseFile = new QPushButton(tr("Browse…"), filePage);
    connect(browseFile, &QPushButton::clicked, this, &SubmitDialog::browseRequestFile);
    fileRow->addWidget(browseFile);
    m_sourcePages->addWidget(filePage);
    m_sourcePages->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    layout->addWidget(m_sourcePages);
    connect(m_fileChoice, &QRadioButton::toggled, m_sourcePages, [this](bool file) {
        m_sourcePages->setCurrentIndex(file ? 1 : 0);
    });
    return box;
}

QWidget* SubmitDialog::buildPreviewSection()
{
    auto* box = new QGroupBox(tr("Before sending"), this);
    auto* layout = new QVBoxLayout(box);
    m_count = new QLabel(box);
    QFont bold = m_count->font();
    bold.setBold(true);
    m_count->setFont(bold);
    m_count->setWordWrap(true);
    layout->addWidget(m_count);

    auto* splitter = new QSplitter(Qt::Horizontal, box);
    auto* left = new QSplitter(Qt::Vertical, splitter);
    m_previewTable = new QTableWidget(left);
    m_previewTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_previewTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_previewTable->verticalHeader()->setDefaultSectionSize(m_previewTable->fontMetrics().height() + 8);
    m_previewTable->verticalHeader()->hide(); // the Line column numbers the rows as the file does
    m_previewTable->horizontalHeader()->setStretchLastSection(true);
    m_previewTable->setToolTip(tr("The first items of the file"));
    m_problems = new QListWidget(left);
    m_problems->setToolTip(
        tr("Lines that cannot be used, by line number: fix them and the dialog reads the file again"));
    left->addWidget(m_previewTable);
    left->addWidget(m_problems);
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 1);
    m_requestPreview = new QPlainTextEdit(splitter);
    m_requestPreview->setReadOnly(true);
    m_requestPreview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_requestPreview->setPlaceholderText(tr("The first request, as it will be sent"));
    splitter->addWidget(left);
    splitter->addWidget(m_requestPreview);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);
    return box;
}

std::optional<BatchType> SubmitDialog::currentType() const
{
    const QString name = m_type->currentData().toString();
    for (const BatchType& type : m_types) {
        if (type.name == name)
            return type;
    }
    return std::nullopt;
}

const SubmitDialog::RunChoice* SubmitDialog::existingRun() const
{
    const QString runId = m_run->currentText().trimmed();
    for (const RunChoice& run : m_runs) {
        if (run.runId == runId)
            return &run;
    }
    return nullptr;
}

bool SubmitDialog::runIdValid() const
{
    return validateRunId(m_run->currentText().trimmed()).ok();
}

SubmitRequest SubmitDialog::request() const
{
    SubmitRequest request;
    request.runId = m_run->currentText().trimmed();
    request.batchType = m_type->currentData().toString();
    if (m_fileChoice->isChecked()) {
        request.requestFilePath = m_requestPath->text().trimmed();
    } else {
        request.itemsPath = m_itemsPath->text().trimmed();
        request.itemFormat = ItemFormat(m_itemFormat->currentData().toInt());
        request.keyField = m_keyField->text().trimmed();
    }
    return request;
}

bool SubmitDialog::canSubmit() const
{
    const std::optional<BatchType> type = currentType();
    if (!runIdValid() || !type || m_reading || m_previewRequest != 0)
        return false;
    if (m_fileChoice->isChecked())
        return m_requestFile && m_requestFile->ok() && m_requestFile->url == endpointPath(type->endpoint);
    if (!m_itemsPath->text().trimmed().isEmpty())
        return m_itemFile && m_itemFile->error.isEmpty() && m_itemFile->problemCount == 0 && m_itemFile->records > 0 &&
               !m_keyField->text().trimmed().isEmpty();
    return m_engineTotal > 0;
}

void SubmitDialog::onInputsChanged()
{
    m_submit->setEnabled(false);
    m_debounce.start();
}

void SubmitDialog::showTypeInfo()
{
    const std::optional<BatchType> type = currentType();
    if (!type) {
        m_typeInfo->setText(m_types.isEmpty() ? tr("No batch types are known: the engine has not started.")
                                              : QString());
        return;
    }
    QStringList parts;
    if (!type->description.isEmpty())
        parts.append(type->description);
    parts.append(tr("Endpoint %1 · model %2").arg(endpointPath(type->endpoint), type->model));
    if (type->source.isResults())
        parts.append(tr("Works on the successful results of '%1' in the same run.").arg(type->source.batchType()));
    m_typeInfo->setText(parts.join(QStringLiteral("\n")));
}

void SubmitDialog::check()
{
    ++m_generation;
    showTypeInfo();
    const QString runId = m_run->currentText().trimmed();
    const RunChoice* run = existingRun();
    if (runId.isEmpty()) {
        m_runNote->setText(tr("Choose a run or type a new run id."));
    } else if (auto valid = validateRunId(runId); !valid) {
        m_runNote->setText(tr("Not a valid run id: %1").arg(valid.error().message));
    } else if (run) {
        m_runNote->setText(tr("An existing run with %n item(s).", nullptr, int(run->items)));
    } else {
        m_runNote->setText(tr("A new run: import its items from a file below."));
    }
    m_runNote->setStyleSheet(
        runId.isEmpty() || runIdValid()
            ? QString()
            : QStringLiteral("color: %1;").arg(StatusStyle::color(JobStatus::SubmissionFailed).name()));

    m_itemFile.reset();
    m_requestFile.reset();
    m_engineTotal = -1;
    m_previewRequest = 0;
    m_reading = false;
    m_previewTable->clear();
    m_previewTable->setRowCount(0);
    m_previewTable->setColumnCount(0);
    m_problems->clear();
    m_requestPreview->clear();
    m_count->clear();

    const std::optional<BatchType> type = currentType();
    if (m_fileChoice->isChecked()) {
        const QString path = m_requestPath->text().trimmed();
        if (path.isEmpty()) {
            m_count->setText(tr("Choose a request file."));
        } else {
            m_reading = true;
            m_count->setText(tr("Checking %1…").arg(QFileInfo(path).fileName()));
            m_fileWatcher.setFuture(QtConcurrent::run([path] { return checkRequestFile(path, {}, 3); }));
        }
    } else {
        const QString path = m_itemsPath->text().trimmed();
        if (!path.isEmpty()) {
            m_reading = true;
            m_count->setText(tr("Reading %1…").arg(QFileInfo(path).fileName()));
            const auto format = ItemFormat(m_itemFormat->currentData().toInt());
            const QString keyField = m_keyField->text().trimmed();
            m_itemWatcher.setFuture(QtConcurrent::run(
                [path, format, keyField] { return previewItemFile(path, format, keyField, kPreviewRows); }));
        }
        // The run's own items (or an earlier stage's results) are rendered by the engine.
        if (type && run && (path.isEmpty() || type->source.isResults())) {
            m_count->setText(tr("Counting the requests…"));
            m_previewRequest = m_actions.loadRequestPreview(run->runId, type->name, 1);
        } else if (path.isEmpty()) {
            m_count->setText(runIdValid() ? tr("This run has no items yet: choose a file to import.") : QString());
        }
    }
    updateSubmitButton();
    if (!m_reading && m_previewRequest == 0)
        Q_EMIT inputsChecked();
}

void SubmitDialog::onItemFileRead()
{
    m_reading = false;
    m_itemFile = m_itemWatcher.result();
    showItemPreview();
    updateSubmitButton();
    if (m_previewRequest == 0)
        Q_EMIT inputsChecked();
}

void SubmitDialog::showItemPreview()
{
    const ItemFilePreview& file = *m_itemFile;
    if (!file.error.isEmpty()) {
        m_count->setText(file.error);
        return;
    }
    m_previewTable->setColumnCount(int(file.columns.size()) + 1);
    QStringList headers{tr("Line")};
    headers += file.columns;
    m_previewTable->setHorizontalHeaderLabels(headers);
    m_previewTable->setRowCount(int(file.rows.size()));
    for (int row = 0; row < file.rows.size(); ++row) {
        auto* line = new QTableWidgetItem(QString::number(file.lines.value(row)));
        line->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_previewTable->setItem(row, 0, line);
        for (int column = 0; column < file.columns.size(); ++column) {
            auto* item = new QTableWidgetItem(cellText(file.rows[row].value(file.columns[column])));
            item->setToolTip(item->text());
            m_previewTable->setItem(row, column + 1, item);
        }
    }
    m_previewTable->resizeColumnsToContents();
    for (int column = 0; column < m_previewTable->columnCount(); ++column)
        m_previewTable->setColumnWidth(column, std::min(m_previewTable->columnWidth(column), 320));
    showProblems(file.problems, file.problemCount);

    const QLocale locale;
    const std::optional<BatchType> type = currentType();
    if (file.problemCount > 0) {
        m_count->setText(
            tr("%1 has %n bad line(s): nothing will be imported until they are fixed.", nullptr, int(file.problemCount))
                .arg(QFileInfo(file.path).fileName()));
    } else if (const RunChoice* run = existingRun()) {
        m_count->setText(tr("%1 items in the file; the run has %2 already (a key in both is updated): up to %3 "
                            "requests.")
                             .arg(locale.toString(file.records),
                                  locale.toString(run->items),
                                  locale.toString(file.records + run->items)));
    } else {
        m_count->setText(tr("%1 requests: one per item of the file.").arg(locale.toString(file.records)));
    }
    if (type && type->source.isItems() && !file.rows.isEmpty()) {
        auto renderer = RequestRenderer::create(*type, RunContext{m_run->currentText().trimmed(), {}});
        if (!renderer) {
            m_requestPreview->setPlainText(renderer.error().message);
            return;
        }
        auto line = renderer->renderLine(file.keys.first(), file.rows.first());
        if (line)
            showRenderedRequest(*line);
        else
            m_requestPreview->setPlainText(tr("The first item cannot be rendered: %1").arg(line.error().message));
    }
}

void SubmitDialog::onRequestFileRead()
{
    m_reading = false;
    const Result<RequestFileReport> report = m_fileWatcher.result();
    if (!report) {
        m_count->setText(report.error().message);
    } else {
        m_requestFile = *report;
        showRequestFileReport();
    }
    updateSubmitButton();
    Q_EMIT inputsChecked();
}

void SubmitDialog::showRequestFileReport()
{
    RequestFileReport& report = *m_requestFile;
    const std::optional<BatchType> type = currentType();
    QList<RequestLineProblem> problems = report.problems;
    if (report.ok() && type && report.url != endpointPath(type->endpoint))
        problems.append({1,
                         tr("the requests go to %1, but batch type '%2' sends to %3: choose a batch type of that "
                            "endpoint")
                             .arg(report.url, type->name, endpointPath(type->endpoint))});
    showProblems(problems, report.problemCount + (problems.size() - report.problems.size()));
    const QLocale locale;
    if (!report.ok())
        m_count->setText(
            tr("%n bad line(s): nothing will be uploaded until they are fixed.", nullptr, int(report.problemCount)));
    else
        m_count->setText(
            tr("%1 requests to %2 (%3).")
                .arg(locale.toString(report.requests), report.url, locale.formattedDataSize(report.bytes)));
    if (!report.firstLines.isEmpty())
        showRenderedRequest(report.firstLines.first());
}

void SubmitDialog::showProblems(const QList<RequestLineProblem>& problems, qint64 total)
{
    m_problems->clear();
    const QColor color = StatusStyle::color(JobStatus::SubmissionFailed);
    for (const RequestLineProblem& problem : problems) {
        auto* item = new QListWidgetItem(tr("Line %1: %2").arg(problem.line).arg(problem.message), m_problems);
        item->setForeground(color);
        item->setData(Qt::UserRole, problem.line);
    }
    if (total > problems.size())
        new QListWidgetItem(tr("… and %1 more").arg(total - problems.size()), m_problems);
    if (problems.isEmpty())
        new QListWidgetItem(tr("No problems found."), m_problems);
}

void SubmitDialog::showRenderedRequest(const QByteArray& line)
{
    m_requestPreview->setPlainText(pretty(line));
}

void SubmitDialog::onRequestPreviewLoaded(const RequestPreviewPage& page)
{
    if (page.requestId != m_previewRequest || m_previewRequest == 0)
        return;
    m_previewRequest = 0;
    const QLocale locale;
    const std::optional<BatchType> type = currentType();
    if (!page.error.isEmpty()) {
        m_count->setText(page.error);
    } else if (type && type->source.isResults()) {
        m_engineTotal = page.total;
        m_count->setText(page.total > 0 ? tr("%1 requests: one per successful result of '%2'.")
                                              .arg(locale.toString(page.total), type->source.batchType())
                                        : tr("Nothing to submit yet: '%1' has no processed results in this run.")
                                              .arg(type->source.batchType()));
    } else {
        m_engineTotal = page.total;
        m_count->setText(page.total > 0 ? tr("%1 requests: one per item of the run.").arg(locale.toString(page.total))
                                        : tr("This run has no items yet: choose a file to import."));
    }
    if (!page.lines.isEmpty() && m_requestPreview->toPlainText().isEmpty())
        showRenderedRequest(page.lines.first());
    updateSubmitButton();
    if (!m_reading)
        Q_EMIT inputsChecked();
}

void SubmitDialog::updateSubmitButton()
{
    m_submit->setEnabled(canSubmit());
}

void SubmitDialog::browseItems()
{
    auto* dialog = new QFileDialog(
        this, tr("Items to import"), QString(), tr("Items (*.jsonl *.ndjson *.json *.csv);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, m_itemsPath, &QLineEdit::setText);
    dialog->open();
}

void SubmitDialog::browseRequestFile()
{
    auto* dialog =
        new QFileDialog(this, tr("Request file"), QString(), tr("Request files (*.jsonl *.ndjson);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, m_requestPath, &QLineEdit::setText);
    dialog->open();
}

} // namespace batchdeck
