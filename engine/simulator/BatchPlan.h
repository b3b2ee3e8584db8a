#pragma once

#include <memory>

#include <QByteArray>
#include <QList>
#include <QString>

#include "core/Result.h"
#include "simulator/BatchRecord.h"
#include "simulator/ResponseGenerator.h"

class QFile;

namespace batchdeck::sim {

// The answers of a validated batch, produced up front at validation and read back as the clock
// says lines have run. The file holds output lines in input order; the execution order is a
// permutation seeded by (seed, batch id), so progress, partial results after cancel/expiry and
// the shuffled output order are all reproducible, also after a restart.
class BatchPlan
{
public:
    struct Entry
    {
        qint64 offset = 0;
        qint32 length = 0;
        bool ok = false;
        LineUsage usage;
        QString customId;
    };

    BatchPlan(QString path, QString batchId, quint64 seed);
    ~BatchPlan();
    BatchPlan(const BatchPlan&) = delete;
    BatchPlan& operator=(const BatchPlan&) = delete;

    Status beginWrite();
    Status append(const QString& customId, const GeneratedLine& line);
    Status finishWrite(); // closes the file and fixes the execution order
    Status load();        // rebuilds the index of an existing plan file
    void discard();       // removes the file

    int size() const { return int(m_entries.size()); }
    // i-th line in execution order
    const Entry& entry(int executionIndex) const { return m_entries.at(m_order.at(executionIndex)); }
    Result<QByteArray> readLine(int executionIndex);
    BatchProgress progressOfFirst(int executed) const;

private:
    void shuffle();

    QString m_path;
    QString m_batchId;
    quint64 m_seed;
    std::unique_ptr<QFile> m_file;
    qint64 m_writeOffset = 0;
    QList<Entry> m_entries;
    QList<int> m_order;
};

} // namespace batchdeck::sim
