#pragma once

#include <QList>
#include <QPair>
#include <QVariant>

namespace batchdeck {

// The job columns other code may change, named by an enum so that no caller ever builds SQL
// from text. `status` is deliberately absent: only JobStore::transition changes it.
enum class JobField
{
    Attempt,
    LlmBatchId,
    InputFileId,
    OutputFileId,
    ErrorFileId,
    ProviderStatus,
    ProviderCheckedAt,
    ProviderExpiresAt,
    RequestTotal,
    RequestCompleted,
    RequestFailed,
    ResultsSaved,
    ResultErrors,
    ErrorDetails, // JSON text, or a null QVariant to clear
    LeaseOwner,
    LeaseUntil,
    SubmittedAt,
    CompletedAt,
};

const char* columnName(JobField field);

// Field changes applied in the same UPDATE as a transition (or on their own).
class JobUpdate
{
public:
    JobUpdate& set(JobField field, const QVariant& value)
    {
        m_fields.append({field, value});
        return *this;
    }
    JobUpdate& clear(JobField field) { return set(field, QVariant()); }
    const QList<QPair<JobField, QVariant>>& fields() const { return m_fields; }
    bool isEmpty() const { return m_fields.isEmpty(); }

private:
    QList<QPair<JobField, QVariant>> m_fields;
};

} // namespace batchdeck
