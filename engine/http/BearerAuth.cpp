#include "BearerAuth.h"

#include <QCryptographicHash>
#include <QFile>

namespace batchdeck::http {

namespace {

QByteArray digestOf(const QByteArray& token)
{
    return QCryptographicHash::hash(token, QCryptographicHash::Sha256);
}

} // namespace

bool constantTimeEquals(const QByteArray& a, const QByteArray& b)
{
    if (a.size() != b.size())
        return false;
    // Every byte is looked at whatever differs, and the compiler may not stop early on a volatile.
    volatile unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference = difference | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]));
    return difference == 0;
}

BearerAuth::BearerAuth(const QByteArray& token)
    : m_digest(token.isEmpty() ? QByteArray() : digestOf(token))
{}

BearerAuth::Outcome BearerAuth::check(const QByteArray& authorizationHeader) const
{
    if (!enabled())
        return Outcome::Allowed;
    const QByteArray header = authorizationHeader.trimmed();
    if (header.size() < 7 || header.first(7).toLower() != "bearer ")
        return Outcome::Missing;
    const QByteArray presented = header.sliced(7).trimmed();
    if (presented.isEmpty())
        return Outcome::Missing;
    return constantTimeEquals(digestOf(presented), m_digest) ? Outcome::Allowed : Outcome::Wrong;
}

Result<QByteArray> BearerAuth::tokenFrom(const QString& tokenFile, const QByteArray& environmentToken)
{
    if (!tokenFile.isEmpty()) {
        QFile file(tokenFile);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("cannot read the token file %1: %2").arg(tokenFile, file.errorString()));
        const QByteArray token = file.readLine(4096).trimmed();
        if (token.isEmpty())
            return makeError(ErrorKind::InvalidInput, QStringLiteral("the token file %1 is empty").arg(tokenFile));
        return token;
    }
    return environmentToken.trimmed();
}

} // namespace batchdeck::http
