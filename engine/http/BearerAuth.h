#pragma once

#include <QByteArray>
#include <QString>

#include "core/Result.h"

namespace batchdeck::http {

// The API's bearer token. The presented token is compared in constant time (both sides are hashed
// first, so neither the content nor the length of the real token leaks through timing); the token
// itself is never logged.
class BearerAuth
{
public:
    enum class Outcome
    {
        Allowed,
        Missing, // no Authorization header, or not "Bearer ..."
        Wrong,
    };

    BearerAuth() = default; // no token: every request is allowed (loopback only, see ApiServer::listen)
    explicit BearerAuth(const QByteArray& token);

    bool enabled() const { return !m_digest.isEmpty(); }
    Outcome check(const QByteArray& authorizationHeader) const;

    // The first line of `tokenFile` when given (the command line wins), else BATCHDECK_API_TOKEN. Empty: no
    // token; an unreadable or empty file is an error.
    static Result<QByteArray> tokenFrom(const QString& tokenFile, const QByteArray& environmentToken);

private:
    QByteArray m_digest;
};

bool constantTimeEquals(const QByteArray& a, const QByteArray& b);

} // namespace batchdeck::http
