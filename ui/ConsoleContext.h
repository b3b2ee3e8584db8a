#pragma once

#include <memory>

#include <QString>

namespace batchdeck {

class ConsoleActions;
class Database;

// What the console works over. app/ builds it and ui/ only reads it, so the window never decides
// where its engine comes from (the demo's in-process simulator, a real provider, none at all).
struct ConsoleContext
{
    std::shared_ptr<Database> database;
    QString databaseLabel; // the database URL without its password, for the title and status bar
    bool demo = false;     // a demo database: the window says so everywhere
    // The operator's actions (submit, retry, cancel, process, export) and the reads of results and
    // request previews go through it, on the engine's own thread; null while the console only looks
    // (no provider configured). Owned by app/.
    ConsoleActions* actions = nullptr;
};

} // namespace batchdeck
