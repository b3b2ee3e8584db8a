#pragma once

#include <QList>
#include <QString>

namespace batchdeck {

// Something about one job an operator should hear of without looking: it completed, it failed, or
// it stopped moving.
struct JobNotice
{
    enum class Kind
    {
        Completed,
        Failed,
        Stuck,
    };

    Kind kind = Kind::Completed;
    qint64 jobId = 0;
    int attempt = 1;
    QString runId;
    QString batchType;
    QString detail; // a sentence: the error message, or why the job counts as stuck
};

} // namespace batchdeck
