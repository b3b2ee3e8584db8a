#pragma once

#include <QWidget>

#include "store/ProviderBatchStore.h"

class QPlainTextEdit;
class QTableView;

namespace batchdeck {

class ProviderBatchTableModel;

// A job's provider batches (attempts, shards) and, for the selected one, the provider's own Batch
// object as it was last seen: the source of truth when the job's summary raises a question.
class ProviderBatchesTab : public QWidget
{
    Q_OBJECT

public:
    explicit ProviderBatchesTab(QWidget* parent = nullptr);

    void setBatches(qint64 jobId, const QList<ProviderBatchRecord>& batches);
    void clear();
    ProviderBatchTableModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QString rawText() const;

private:
    void onCurrentChanged();

    ProviderBatchTableModel* m_model = nullptr;
    QTableView* m_view = nullptr;
    QPlainTextEdit* m_raw = nullptr;
};

} // namespace batchdeck
