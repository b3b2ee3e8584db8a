#include "CommandLine.h"

#include <cstdio>

#include <QProcessEnvironment>

#include "ExitCodes.h"

namespace batchdeck::cli {

CommandLine::CommandLine(const QStringList& arguments, const QString& synopsis, const QString& description)
    : m_arguments(arguments)
    , m_db(QStringLiteral("db"),
           QStringLiteral("Database URL: sqlite:///abs/path.db or postgresql://user:pass@host:port/dbname "
                          "(default: $BATCHDECK_DB, else a SQLite file in the user's data folder)."),
           QStringLiteral("url"))
    , m_json(QStringLiteral("json"), QStringLiteral("Print machine-readable JSON."))
    , m_demo(QStringLiteral("demo"),
             QStringLiteral("Use the built-in simulator and the demo database (no key needed; kept between calls)."))
    , m_batchTypes(QStringLiteral("batch-types"),
                   QStringLiteral("A folder of more batch type definitions (*.json)."),
                   QStringLiteral("dir"))
    , m_help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."))
    , m_synopsis(synopsis)
{
    m_parser.setApplicationDescription(description);
    m_parser.addOption(m_db);
    m_parser.addOption(m_json);
    m_parser.addOption(m_demo);
    m_parser.addOption(m_batchTypes);
    m_parser.addOption(m_help);
}

void CommandLine::addPositional(const QString& name, const QString& description)
{
    m_parser.addPositionalArgument(name, description);
}

bool CommandLine::parse(int& exitCode, int positionalCount)
{
    // The first word is the subcommand; QCommandLineParser expects a program name there.
    if (!m_parser.parse(m_arguments)) {
        std::fprintf(stderr,
                     "batchdeck-cli: %s\n(see 'batchdeck-cli %s --help')\n",
                     qPrintable(m_parser.errorText()),
                     qPrintable(m_arguments.value(0)));
        exitCode = ExitUsage;
        return false;
    }
    if (m_parser.isSet(m_help)) {
        QString help = m_parser.helpText();
        // Qt prints "Usage: <program>"; show the real synopsis instead.
        const qsizetype firstNewline = help.indexOf(u'\n');
        help = QStringLiteral("Usage: batchdeck-cli ") + m_synopsis + help.mid(firstNewline);
        printOut(help + QString::fromLatin1(exitCodeHelp()));
        exitCode = ExitOk;
        return false;
    }
    const qsizetype given = m_parser.positionalArguments().size();
    if (given != positionalCount) {
        std::fprintf(stderr, "batchdeck-cli: usage: batchdeck-cli %s\n", qPrintable(m_synopsis));
        exitCode = ExitUsage;
        return false;
    }
    return true;
}

Result<std::shared_ptr<Database>> CommandLine::openDatabase() const
{
    QString url = m_parser.value(m_db);
    if (url.isEmpty() && demo())
        url = app::AppEngine::demoDatabaseUrl();
    if (url.isEmpty())
        url = QProcessEnvironment::systemEnvironment().value(QStringLiteral("BATCHDECK_DB"));
    if (url.isEmpty())
        url = DatabaseUrl::defaultUrl();
    return Database::open(url);
}

Result<std::unique_ptr<app::AppEngine>> CommandLine::openEngine() const
{
    app::AppEngineOptions options;
    options.databaseUrl = m_parser.value(m_db);
    options.batchTypesDir = m_parser.value(m_batchTypes);
    options.demo = demo();
    return app::AppEngine::open(options);
}

void printOut(const QByteArray& text)
{
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
    std::fflush(stdout);
}

void printOut(const QString& text)
{
    printOut(text.toUtf8());
}

} // namespace batchdeck::cli
