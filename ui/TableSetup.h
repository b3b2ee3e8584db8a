#pragma once

class QTableView;

namespace batchdeck {

// One look for every table of the console: whole rows selected, no grid, left-aligned headers,
// fixed row heights (the view never measures 100,000 rows), ends of long ids elided.
void setUpTable(QTableView* view);

} // namespace batchdeck
