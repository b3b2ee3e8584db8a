#pragma once

#include <QString>

#include "core/Result.h"

namespace batchdeck {

// One thing wrong with a batch type definition, pinned to the file and the field so the user can
// fix it without guessing. `field` is a path into the file ("endpoint", "template.messages[1].content");
// empty when the file as a whole is at fault (unreadable, not JSON).
struct BatchTypeProblem
{
    QString file;
    QString field;
    QString message;

    // "my.json: field 'endpoint': '/v1/foo' is not a batch endpoint (use one of ...)"
    QString toString() const;
    Error toError() const { return makeError(ErrorKind::InvalidInput, toString()); }
};

} // namespace batchdeck
