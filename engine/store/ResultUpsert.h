#pragma once

#include <QString>

namespace batchdeck::result_upsert {

// The columns a result writer sets, in binding order, and the update of a row that already exists.
// Both writers build their statements from these, so the two backends store the same columns.
constexpr int kColumns = 15;
QString insertColumns(); // "(job_id, custom_id, ...)"
QString onConflict();    // " ON CONFLICT (job_id, custom_id) DO UPDATE SET ..."

} // namespace batchdeck::result_upsert
