#include "ProviderFile.h"

#include "provider/ProviderJson.h"

namespace batchdeck {

using namespace Qt::StringLiterals;
namespace pj = providerjson;

Result<ProviderFile> ProviderFile::fromJson(const QJsonObject& object)
{
    ProviderFile file;
    file.id = pj::text(object, "id"_L1);
    if (file.id.isEmpty())
        return makeError(ErrorKind::ProviderPermanent, u"The provider sent a file object without an id"_s);
    file.object = pj::text(object, "object"_L1);
    file.bytes = pj::integer(object.value("bytes"_L1));
    file.createdAtMs = pj::epochMs(object.value("created_at"_L1));
    file.expiresAtMs = pj::epochMs(object.value("expires_at"_L1));
    file.filename = pj::text(object, "filename"_L1);
    file.purpose = pj::text(object, "purpose"_L1);
    file.status = pj::text(object, "status"_L1);
    file.statusDetails = pj::text(object, "status_details"_L1);
    file.raw = object;
    return file;
}

} // namespace batchdeck
