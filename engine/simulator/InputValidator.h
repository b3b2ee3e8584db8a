#pragma once

#include <functional>
#include <optional>

#include <QByteArrayView>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QSet>
#include <QString>

namespace batchdeck::sim {

// One entry of a batch's errors.data: {code, message, param, line}.
struct BatchError
{
    QString code;
    QString message;
    QJsonValue param = QJsonValue::Null;
    std::optional<int> line; // 1-based physical line of the input file

    QJsonObject toJson() const;
};

struct InputRequest
{
    int line = 0;
    QString customId;
    QJsonObject body;
    QByteArray compactBody; // the body as one line of JSON, for the failure marker and token estimates
};

// Checks a batch input file line by line the way OpenAI's asynchronous validation does: every
// line a JSON object with a unique custom_id, method POST, url equal to the batch endpoint, a
// body with one model for the whole file, no streaming; at most 50,000 requests (and 50,000
// embedding inputs). Blank lines are skipped but still counted for line numbers.
class InputValidator
{
public:
    static constexpr int kMaxRequests = 50000;
    static constexpr int kMaxReportedErrors = 100;

    explicit InputValidator(QString endpoint);

    // Calls `onRequest` for each valid request, in file order, until the first error: a bad file
    // produces no output, but every line is still checked so that all errors are reported.
    void run(QByteArrayView content, const std::function<void(const InputRequest&)>& onRequest);

    bool ok() const { return m_errors.isEmpty(); }
    const QList<BatchError>& errors() const { return m_errors; }
    QString model() const { return m_model; }
    int requestCount() const { return m_requests; }
    // ~chars/4 of every request body: what the enqueued-token limit counts.
    qint64 estimatedTokens() const { return m_estimatedTokens; }

private:
    std::optional<InputRequest> checkLine(int lineNumber, QByteArrayView line);
    void addError(BatchError error);

    QString m_endpoint;
    QList<BatchError> m_errors;
    QSet<QString> m_customIds;
    QString m_model;
    int m_modelLine = 0;
    int m_requests = 0;
    qint64 m_embeddingInputs = 0;
    qint64 m_estimatedTokens = 0;
    bool m_stopped = false;
};

qint64 estimateTokens(qint64 characters);

} // namespace batchdeck::sim
