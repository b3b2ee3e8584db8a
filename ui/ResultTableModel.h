#pragma once

#include <QAbstractTableModel>

#include "ConsoleActions.h"

namespace batchdeck {

// A job's results, fetched a page at a time as the view scrolls (canFetchMore/fetchMore): a job of
// 50,000 results shows its first rows at once and never holds more than the operator scrolled to.
// The model asks for pages with morePagesWanted(); its owner answers with appendPage().
class ResultTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        CustomIdColumn,
        OutcomeColumn,
        ContentColumn,
        InputTokensColumn,
        OutputTokensColumn,
        ColumnCount
    };
    static constexpr int kPageSize = 500;

    explicit ResultTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    // Empties the model for another job or filter; the first page is wanted at once.
    void reset(qint64 jobId, ResultFilter::Kind kind);
    void clear();
    // A page answered for this model; pages of another job, filter or offset are ignored.
    void appendPage(const ResultPage& page);

    qint64 jobId() const { return m_jobId; }
    ResultFilter::Kind kind() const { return m_kind; }
    qint64 total() const { return m_total; }
    bool isWaiting() const { return m_waiting; }
    const BatchResult& resultAt(int row) const { return m_rows.at(row); }

Q_SIGNALS:
    void morePagesWanted(qint64 jobId, batchdeck::ResultFilter::Kind kind, int offset);

private:
    qint64 m_jobId = 0;
    ResultFilter::Kind m_kind = ResultFilter::Kind::All;
    QList<BatchResult> m_rows;
    qint64 m_total = -1; // unknown until the first page
    bool m_waiting = false;
};

} // namespace batchdeck
