#include "Names.h"

namespace batchdeck {

Status validateRunId(const QString& runId)
{
    if (runId.isEmpty() || runId.size() > 200)
        return makeError(ErrorKind::InvalidInput, QStringLiteral("run id must be 1 to 200 characters long"));
    if (runId.contains(QStringLiteral("..")))
        return makeError(ErrorKind::InvalidInput, QStringLiteral("run id must not contain '..'"));
    for (QChar c : runId) {
        const char16_t u = c.unicode();
        const bool allowed = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
                             u == u'.' || u == u'_' || u == u':' || u == u'+' || u == u'@' || u == u'-';
        if (!allowed)
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("run id may only hold letters, digits and . _ : + @ - (found U+%1)")
                                 .arg(u, 4, 16, QLatin1Char('0')));
    }
    return {};
}

Status validateBatchTypeName(const QString& name)
{
    if (name.isEmpty() || name.size() > 64)
        return makeError(ErrorKind::InvalidInput, QStringLiteral("batch type name must be 1 to 64 characters long"));
    if (!(name.front() >= u'a' && name.front() <= u'z'))
        return makeError(ErrorKind::InvalidInput,
                         QStringLiteral("batch type name must start with a lower-case letter"));
    for (QChar c : name) {
        const char16_t u = c.unicode();
        if (!((u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9') || u == u'_' || u == u'-'))
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("batch type name may only hold a-z, 0-9, _ and -: '%1'").arg(name));
    }
    return {};
}

} // namespace batchdeck
