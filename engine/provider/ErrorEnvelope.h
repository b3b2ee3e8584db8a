#pragma once

#include <QByteArray>
#include <QString>

namespace batchdeck {

// The parts of a non-2xx body that say what went wrong. OpenAI sends
// {"error":{"message","type","param","code"}}; compatible servers and proxies also send
// {"error":"text"}, {"message":...}, FastAPI's {"detail":...} or an HTML page.
struct ErrorEnvelope
{
    QString type;
    QString code;
    QString message;
    QString param;
};

// Never fails: a body it cannot read gives its first few hundred characters, whitespace folded, as the
// message. Every text is redacted of `secret` (the API key) before it is returned.
ErrorEnvelope parseErrorEnvelope(const QByteArray& body, const QString& secret);

} // namespace batchdeck
