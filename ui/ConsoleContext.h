#pragma once

#include <memory>

#include <QString>

namespace batchdeck {

class BatchService;
class Database;

// What the console works over. app/ builds it and ui/ only reads it, so the window never decides
// where its engine comes from (the demo's in-process simulator, a real provider, none at all).
struct ConsoleContext
{
    std::shared_ptr<Database> database;
    QString databaseLabel; // the database URL without its password, for the title and status bar
    bool demo = false;     // a demo database: the window says so everywhere
    // The operator's actions (submit, retry, cancel, process) go through it; null while the console
    // only looks (no provider configured). Owned by app/.
    BatchService* service = nullptr;
};

} // namespace batchdeck
