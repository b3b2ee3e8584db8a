#include "InputValidator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace batchdeck::sim {

using namespace Qt::StringLiterals;

QJsonObject BatchError::toJson() const
{
    return QJsonObject{{u"code"_s, code},
                       {u"message"_s, message},
                       {u"param"_s, param},
                       {u"line"_s, line ? QJsonValue(*line) : QJsonValue()}};
}

qint64 estimateTokens(qint64 characters)
{
    return (characters + 3) / 4;
}

InputValidator::InputValidator(QString endpoint)
    : m_endpoint(std::move(endpoint))
{}

void InputValidator::run(QByteArrayView content, const std::function<void(const InputRequest&)>& onRequest)
{
    qsizetype pos = 0;
    int lineNumber = 0;
    while (pos < content.size() && !m_stopped) {
        qsizetype end = content.indexOf('\n', pos);
        if (end < 0)
            end = content.size();
        QByteArrayView line = content.sliced(pos, end - pos);
        pos = end + 1;
        ++lineNumber;
        if (line.trimmed().isEmpty())
            continue;
        std::optional<InputRequest> request = checkLine(lineNumber, line);
        if (request && m_errors.isEmpty())
            onRequest(*request);
    }
    if (m_requests == 0 && m_errors.isEmpty())
        addError({u"empty_file"_s, u"The batch input file is empty."_s, QJsonValue(), std::nullopt});
}

std::optional<InputRequest> InputValidator::checkLine(int lineNumber, QByteArrayView line)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        addError({u"invalid_json_line"_s, u"This line is not parseable as valid JSON."_s, QJsonValue(), lineNumber});
        return std::nullopt;
    }
    const QJsonObject object = document.object();

    ++m_requests;
    if (m_requests > kMaxRequests) {
        addError({u"too_many_tasks"_s,
                  u"The batch input file contains more than %1 requests."_s.arg(kMaxRequests),
                  QJsonValue(),
                  lineNumber});
        m_stopped = true;
        return std::nullopt;
    }

    const QJsonValue customId = object.value(u"custom_id");
    if (!customId.isString() || customId.toString().isEmpty()) {
        addError({u"missing_required_parameter"_s,
                  u"Missing required parameter: 'custom_id'."_s,
                  u"custom_id"_s,
                  lineNumber});
        return std::nullopt;
    }
    if (m_customIds.contains(customId.toString())) {
        addError({u"duplicate_custom_id"_s,
                  u"The custom_id '%1' is duplicated; custom_id values must be unique within a batch."_s.arg(
                      customId.toString()),
                  u"custom_id"_s,
                  lineNumber});
        return std::nullopt;
    }
    m_customIds.insert(customId.toString());

    if (object.value(u"method").toString() != u"POST") {
        addError({u"invalid_request"_s, u"The method of every request must be 'POST'."_s, u"method"_s, lineNumber});
        return std::nullopt;
    }
    const QString url = object.value(u"url").toString();
    if (url != m_endpoint) {
        addError({u"url_mismatch"_s,
                  u"The url '%1' does not match the batch endpoint '%2'."_s.arg(url, m_endpoint),
                  u"url"_s,
                  lineNumber});
        return std::nullopt;
    }
    if (!object.value(u"body").isObject()) {
        addError({u"missing_required_parameter"_s, u"Missing required parameter: 'body'."_s, u"body"_s, lineNumber});
        return std::nullopt;
    }
    const QJsonObject body = object.value(u"body").toObject();
    const QString model = body.value(u"model").toString();
    if (model.isEmpty()) {
        addError({u"missing_required_parameter"_s,
                  u"Missing required parameter: 'body.model'."_s,
                  u"body.model"_s,
                  lineNumber});
        return std::nullopt;
    }
    if (m_model.isEmpty()) {
        m_model = model;
        m_modelLine = lineNumber;
    } else if (model != m_model) {
        addError({u"model_mismatch"_s,
                  u"The model '%1' differs from '%2' on line %3; a batch may use one model only."_s.arg(
                      model, m_model, QString::number(m_modelLine)),
                  u"body.model"_s,
                  lineNumber});
        return std::nullopt;
    }
    if (body.value(u"stream").toBool()) {
        addError({u"invalid_request"_s, u"Streaming is not supported in batches."_s, u"body.stream"_s, lineNumber});
        return std::nullopt;
    }
    if (m_endpoint == u"/v1/embeddings") {
        const QJsonValue input = body.value(u"input");
        const bool listOfInputs = input.isArray() && !input.toArray().isEmpty() && !input.toArray().first().isDouble();
        m_embeddingInputs += listOfInputs ? input.toArray().size() : 1;
        if (m_embeddingInputs > kMaxRequests) {
            addError({u"too_many_tasks"_s,
                      u"The batch has more than %1 embedding inputs in total."_s.arg(kMaxRequests),
                      u"body.input"_s,
                      lineNumber});
            m_stopped = true;
            return std::nullopt;
        }
    }

    InputRequest request;
    request.line = lineNumber;
    request.customId = customId.toString();
    request.body = body;
    request.compactBody = QJsonDocument(body).toJson(QJsonDocument::Compact);
    m_estimatedTokens += estimateTokens(request.compactBody.size());
    return request;
}

void InputValidator::addError(BatchError error)
{
    if (m_errors.size() < kMaxReportedErrors)
        m_errors.append(std::move(error));
}

} // namespace batchdeck::sim
