#include "ProviderBatchesTab.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QJsonDocument>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "ProgressDelegate.h"
#include "ProviderBatchTableModel.h"
#include "TableSetup.h"

namespace batchdeck {

ProviderBatchesTab::ProviderBatchesTab(QWidget* parent)
    : QWidget(parent)
    , m_model(new ProviderBatchTableModel(this))
    , m_view(new QTableView(this))
    , m_raw(new QPlainTextEdit(this))
{
    m_view->setModel(m_model);
    setUpTable(m_view);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setItemDelegateForColumn(ProviderBatchTableModel::ProgressColumn, new ProgressDelegate(m_view));
    const QList<QPair<int, int>> widths = {{ProviderBatchTableModel::AttemptColumn, 65},
                                           {ProviderBatchTableModel::ShardColumn, 50},
                                           {ProviderBatchTableModel::BatchIdColumn, 170},
                                           {ProviderBatchTableModel::StatusColumn, 110},
                                           {ProviderBatchTableModel::ProgressColumn, 140},
                                           {ProviderBatchTableModel::InputFileColumn, 130},
                                           {ProviderBatchTableModel::OutputFileColumn, 130},
                                           {ProviderBatchTableModel::ErrorFileColumn, 130}};
    for (const auto& [column, width] : widths)
        m_view->setColumnWidth(column, width);
    m_view->horizontalHeader()->setStretchLastSection(true);

    m_raw->setReadOnly(true);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_raw->setPlaceholderText(tr("Select a batch to see the provider's Batch object."));

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_raw);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] { onCurrentChanged(); });
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ProviderBatchesTab::onCurrentChanged);
}

void ProviderBatchesTab::setBatches(qint64 jobId, const QList<ProviderBatchRecord>& batches)
{
    m_model->setBatches(jobId, batches);
    // The latest attempt is the one that matters most; show it unless the operator chose another.
    if (!m_view->currentIndex().isValid() && m_model->rowCount() > 0)
        m_view->selectRow(m_model->rowCount() - 1);
    onCurrentChanged();
}

void ProviderBatchesTab::clear()
{
    m_model->clear();
    m_raw->clear();
}

QString ProviderBatchesTab::rawText() const
{
    return m_raw->toPlainText();
}

void ProviderBatchesTab::onCurrentChanged()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid()) {
        m_raw->clear();
        return;
    }
    const QJsonObject raw = m_model->batchAt(current.row()).raw;
    const QString text =
        raw.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(raw).toJson(QJsonDocument::Indented));
    if (text != m_raw->toPlainText())
        m_raw->setPlainText(text);
}

} // namespace batchdeck
