#include "SimulatorOptions.h"

namespace batchdeck::sim {

using namespace Qt::StringLiterals;

QJsonObject SimulatorFaults::toJson() const
{
    return QJsonObject{{u"fail_429_ratio"_s, fail429Ratio},
                       {u"fail_500_ratio"_s, fail500Ratio},
                       {u"retry_after_seconds"_s, retryAfterSeconds},
                       {u"stall_ms"_s, stallMs},
                       {u"create_delay_ms"_s, createDelayMs},
                       {u"empty_string_file_ids"_s, emptyStringFileIds},
                       {u"enqueued_token_limit_per_model"_s, enqueuedTokenLimitPerModel}};
}

Result<SimulatorFaults> SimulatorFaults::merged(const QJsonObject& json) const
{
    SimulatorFaults result = *this;
    const auto bad = [](const QString& key, const QString& why) {
        return makeError(ErrorKind::InvalidInput, u"Invalid value for '%1': %2"_s.arg(key, why));
    };
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QString& key = it.key();
        const QJsonValue value = it.value();
        if (key == u"fail_429_ratio" || key == u"fail_500_ratio") {
            if (!value.isDouble() || value.toDouble() < 0 || value.toDouble() > 1)
                return bad(key, u"expected a number from 0 to 1"_s);
            (key == u"fail_429_ratio" ? result.fail429Ratio : result.fail500Ratio) = value.toDouble();
        } else if (key == u"retry_after_seconds") {
            if (!value.isDouble() || value.toInt(-1) < 0)
                return bad(key, u"expected a whole number of seconds"_s);
            result.retryAfterSeconds = value.toInt();
        } else if (key == u"stall_ms" || key == u"create_delay_ms" || key == u"enqueued_token_limit_per_model") {
            if (!value.isDouble() || value.toDouble() < 0)
                return bad(key, u"expected a non-negative number"_s);
            const auto number = static_cast<qint64>(value.toDouble());
            if (key == u"stall_ms")
                result.stallMs = number;
            else if (key == u"create_delay_ms")
                result.createDelayMs = number;
            else
                result.enqueuedTokenLimitPerModel = number;
        } else if (key == u"empty_string_file_ids") {
            if (!value.isBool())
                return bad(key, u"expected true or false"_s);
            result.emptyStringFileIds = value.toBool();
        } else {
            return makeError(ErrorKind::InvalidInput, u"Unknown fault option '%1'."_s.arg(key));
        }
    }
    if (result.fail429Ratio + result.fail500Ratio > 1.0)
        return bad(u"fail_429_ratio"_s, u"fail_429_ratio + fail_500_ratio must not exceed 1"_s);
    return result;
}

} // namespace batchdeck::sim
