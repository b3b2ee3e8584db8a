#pragma once

#include <memory>

#include <QCommandLineParser>
#include <QStringList>

#include "AppEngine.h"
#include "store/Database.h"

namespace batchdeck::cli {

// The options every subcommand takes, and the parsing shared by all of them.
class CommandLine
{
public:
    // `arguments` starts with the subcommand's name; `synopsis` is shown by --help.
    CommandLine(const QStringList& arguments, const QString& synopsis, const QString& description);

    QCommandLineParser& parser() { return m_parser; }
    void addOption(const QCommandLineOption& option) { m_parser.addOption(option); }
    void addPositional(const QString& name, const QString& description);

    // Parses; on --help prints and sets `exitCode` to 0; on errors prints and sets it to ExitUsage.
    // Returns false when the command should exit with `exitCode` now.
    bool parse(int& exitCode, int positionalCount);

    QStringList positional() const { return m_parser.positionalArguments(); }
    bool json() const { return m_parser.isSet(m_json); }

    // The database of --db, else the demo database with --demo, else BATCHDECK_DB, else the default
    // file in the user's data folder.
    Result<std::shared_ptr<Database>> openDatabase() const;
    // The whole engine (database, batch types, provider from OPENAI_* or the demo simulator).
    Result<std::unique_ptr<app::AppEngine>> openEngine() const;
    bool demo() const { return m_parser.isSet(m_demo); }

private:
    QStringList m_arguments;
    QCommandLineParser m_parser;
    QCommandLineOption m_db;
    QCommandLineOption m_json;
    QCommandLineOption m_demo;
    QCommandLineOption m_batchTypes;
    QCommandLineOption m_help;
    QString m_synopsis;
};

// Writes UTF-8 text to stdout.
void printOut(const QByteArray& text);
void printOut(const QString& text);

} // namespace batchdeck::cli
