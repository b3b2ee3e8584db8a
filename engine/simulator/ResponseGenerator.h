#pragma once

#include <optional>

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include "simulator/InputValidator.h"

namespace batchdeck::sim {

// Token usage of one output line, in the Batch object's vocabulary.
struct LineUsage
{
    qint64 inputTokens = 0;
    qint64 cachedTokens = 0;
    qint64 outputTokens = 0;
    qint64 reasoningTokens = 0;

    void add(const LineUsage& other);
    QJsonObject toBatchUsageJson() const;
    // Reads chat/completions/embeddings (prompt_/completion_tokens) and responses/images
    // (input_/output_tokens) usage objects alike.
    static LineUsage fromResponseBody(const QJsonObject& body);
};

struct GeneratedLine
{
    QByteArray json; // one output/error file line, without the newline
    int statusCode = 200;
    bool ok() const { return statusCode == 200; }
    LineUsage usage;
};

// Turns one input request into its output line, deterministically: the same request gives the
// same answer text, vectors and token counts in any batch (ids and timestamps are per batch).
//
// Per-request failures: a request body containing the text [[sim:fail:NNN]] anywhere (for example
// inside a message) fails with HTTP status NNN (400..599): an error-file line with
// response.status_code NNN and body {"error":{message,type,param,code}}, counted in `failed`.
// A body that lacks what its endpoint needs (messages, input, prompt) fails with 400 the same way.
class ResponseGenerator
{
public:
    ResponseGenerator(QString batchId, QString endpoint, QString model, qint64 createdSeconds);

    GeneratedLine generate(const InputRequest& request) const;
    // A line for a request that never ran: response null, error {code, message}.
    QByteArray unexecutedLine(const QString& customId, const QString& code, const QString& message) const;

    static std::optional<int> failureMarker(QByteArrayView compactBody);

private:
    QJsonObject wrap(const QString& customId, int status, const QJsonObject& body) const;
    QJsonObject chatCompletion(const QJsonObject& body, const QByteArray& seed) const;
    QJsonObject responseObject(const QJsonObject& body, const QByteArray& seed) const;
    QJsonObject embeddingList(const QJsonObject& body) const;
    QJsonObject textCompletion(const QJsonObject& body, const QByteArray& seed) const;
    QJsonObject moderation(const QJsonObject& body, const QByteArray& seed) const;
    QJsonObject imageResult(const QJsonObject& body) const;
    QJsonObject videoJob(const QJsonObject& body, const QByteArray& seed) const;

    QString m_batchId;
    QString m_endpoint;
    QString m_model;
    qint64 m_created;
};

// The dated snapshot OpenAI reports for an alias (gpt-4o-mini -> gpt-4o-mini-2024-07-18); other
// names come back unchanged.
QString resolvedModel(const QString& model);

} // namespace batchdeck::sim
