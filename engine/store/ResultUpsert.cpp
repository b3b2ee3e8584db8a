#include "ResultUpsert.h"

namespace batchdeck::result_upsert {

QString insertColumns()
{
    return QStringLiteral("(job_id, custom_id, ok, status_code, content, parsed, error_code, error_message,"
                          " line_number, input_tokens, output_tokens, total_tokens, attempt, created_at, updated_at)");
}

QString onConflict()
{
    return QStringLiteral(
        " ON CONFLICT (job_id, custom_id) DO UPDATE SET ok = excluded.ok, status_code = excluded.status_code,"
        " content = excluded.content, parsed = excluded.parsed, error_code = excluded.error_code,"
        " error_message = excluded.error_message, line_number = excluded.line_number,"
        " input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,"
        " total_tokens = excluded.total_tokens, attempt = excluded.attempt, updated_at = excluded.updated_at");
}

} // namespace batchdeck::result_upsert
