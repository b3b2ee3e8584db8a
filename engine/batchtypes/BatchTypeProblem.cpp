#include "BatchTypeProblem.h"

namespace batchdeck {

QString BatchTypeProblem::toString() const
{
    QString text;
    if (!file.isEmpty())
        text += file + u": ";
    if (!field.isEmpty())
        text += u"field '" + field + u"': ";
    return text + message;
}

} // namespace batchdeck
