#include "JobFilterProxyModel.h"

#include <limits>

#include "JobTableModel.h"

namespace batchdeck {

namespace {

bool contains(const QString& text, const QString& word)
{
    return text.contains(word, Qt::CaseInsensitive);
}

bool matchesWord(const JobSnapshot& job, const QString& word)
{
    return contains(job.runId, word) || contains(job.batchType, word) || contains(job.llmBatchId, word) ||
           contains(job.providerStatus, word) || contains(statusName(job.status), word) ||
           contains(job.inputFileId, word) || contains(job.outputFileId, word) || contains(job.errorFileId, word) ||
           QString::number(job.id) == word;
}

// Orders by a key, then by job id so that equal keys keep a stable order across ticks.
template <typename Key> bool byKeyThenId(const Key& a, const Key& b, qint64 idA, qint64 idB)
{
    if (a != b)
        return a < b;
    return idA < idB;
}

} // namespace

JobFilterProxyModel::JobFilterProxyModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(kSearchDelayMs);
    connect(&m_searchDelay, &QTimer::timeout, this, &JobFilterProxyModel::flushSearch);
}

void JobFilterProxyModel::setSourceModel(QAbstractItemModel* model)
{
    // Filtering and sorting read the jobs directly: a QVariant per comparison would make sorting
    // 100,000 rows several times slower.
    m_jobs = qobject_cast<const JobTableModel*>(model);
    Q_ASSERT_X(m_jobs || !model, "JobFilterProxyModel", "the source must be a JobTableModel");
    QSortFilterProxyModel::setSourceModel(model);
}

void JobFilterProxyModel::setStatusFilter(std::optional<JobStatus> status)
{
    if (m_status == status)
        return;
    m_status = status;
    refilter();
}

void JobFilterProxyModel::setRunFilter(const QString& runId)
{
    if (m_runId == runId)
        return;
    m_runId = runId;
    refilter();
}

void JobFilterProxyModel::setSearchText(const QString& text)
{
    m_pendingText = text;
    m_searchDelay.start();
}

void JobFilterProxyModel::flushSearch()
{
    m_searchDelay.stop();
    const QStringList words = m_pendingText.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words == m_words)
        return;
    m_words = words;
    refilter();
}

void JobFilterProxyModel::refilter()
{
    invalidateFilter();
    Q_EMIT filterApplied();
}

bool JobFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (!m_jobs || sourceParent.isValid())
        return false;
    const JobSnapshot& job = m_jobs->jobAt(sourceRow);
    if (m_status && job.status != *m_status)
        return false;
    if (!m_runId.isEmpty() && job.runId != m_runId)
        return false;
    for (const QString& word : m_words) {
        if (!matchesWord(job, word))
            return false;
    }
    return true;
}

bool JobFilterProxyModel::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    if (!m_jobs)
        return QSortFilterProxyModel::lessThan(left, right);
    const JobSnapshot& a = m_jobs->jobAt(left.row());
    const JobSnapshot& b = m_jobs->jobAt(right.row());
    switch (left.column()) {
    case JobTableModel::RunColumn:
        if (a.runId != b.runId)
            return a.runId < b.runId;
        return byKeyThenId(a.batchType, b.batchType, a.id, b.id);
    case JobTableModel::BatchTypeColumn:
        return byKeyThenId(a.batchType, b.batchType, a.id, b.id);
    case JobTableModel::StatusColumn:
        return byKeyThenId(int(a.status), int(b.status), a.id, b.id);
    case JobTableModel::ProviderStatusColumn:
        return byKeyThenId(a.providerStatus, b.providerStatus, a.id, b.id);
    case JobTableModel::ProgressColumn:
        return byKeyThenId(JobTableModel::progress(a), JobTableModel::progress(b), a.id, b.id);
    case JobTableModel::BatchIdColumn:
        return byKeyThenId(a.llmBatchId, b.llmBatchId, a.id, b.id);
    case JobTableModel::AttemptColumn:
        return byKeyThenId(a.attempt, b.attempt, a.id, b.id);
    case JobTableModel::AgeColumn:
        // The columns show durations ("3 min"), so ascending means youngest first.
        return byKeyThenId(-a.createdAt, -b.createdAt, -a.id, -b.id);
    case JobTableModel::UpdatedColumn:
        return byKeyThenId(-a.updatedAt, -b.updatedAt, -a.id, -b.id);
    case JobTableModel::ExpiresColumn: {
        // Soonest deadline first; jobs without one after all others.
        const qint64 ea = JobTableModel::expiresAt(a);
        const qint64 eb = JobTableModel::expiresAt(b);
        return byKeyThenId(ea > 0 ? ea : std::numeric_limits<qint64>::max(),
                           eb > 0 ? eb : std::numeric_limits<qint64>::max(),
                           a.id,
                           b.id);
    }
    default:
        return a.id < b.id;
    }
}

} // namespace batchdeck
