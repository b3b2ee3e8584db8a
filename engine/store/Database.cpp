#include "Database.h"

#include <atomic>
#include <cstdlib>
#include <mutex>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QThreadPool>

#include "core/Logging.h"
#include "store/Migrations.h"
#include "store/SqlSupport.h"
#include "store/SqliteHandle.h"

namespace batchdeck {

namespace {

std::atomic<int> g_instanceCounter{0};

// Set once the process is exiting, before Qt Sql's list of connections is destroyed (see
// markExitingBeforeQtSqlGoes); guarded by g_exitMutex so that no thread is inside removeDatabase()
// while that list goes.
std::mutex g_exitMutex;
bool g_exiting = false;

void markExiting()
{
    const std::lock_guard<std::mutex> lock(g_exitMutex);
    g_exiting = true;
}

// Exit handlers run in the reverse order of their registration, and Qt Sql registers the destructor
// of its connection list when the list is first used (the first addDatabase()). Registered after
// that, markExiting runs before the list is destroyed.
void markExitingBeforeQtSqlGoes()
{
    static std::once_flag once;
    std::call_once(once, [] { std::atexit(markExiting); });
}

// Connections opened by this thread, closed and unregistered when the thread ends.
struct ThreadConnections
{
    QStringList names;
    ~ThreadConnections()
    {
        // A pool thread may end while the process exits, among the static destructors, after Qt
        // Sql's list of connections is gone (SEGVs seen under ASan at the exit of tst_apiserver and
        // tst_consoleactions): then the process is ending and its connections go with it.
        const std::lock_guard<std::mutex> lock(g_exitMutex);
        if (g_exiting)
            return;
        for (const QString& name : std::as_const(names)) {
            QSqlDatabase::database(name, false).close();
            QSqlDatabase::removeDatabase(name);
        }
    }
};

thread_local ThreadConnections t_connections;

// The global pool's threads normally end when the pool is destroyed, among the static destructors.
// Ending them while the application still lives lets each remove its connections (above).
void endPoolThreadsWhileTheApplicationLives()
{
    QThreadPool::globalInstance()->waitForDone(5'000);
}

QString threadSuffix()
{
    return QString::number(reinterpret_cast<quintptr>(QThread::currentThreadId()), 16);
}

} // namespace

Database::Database(DatabaseUrl url)
    : m_url(std::move(url))
{
    const int instance = ++g_instanceCounter;
    m_namePrefix = QStringLiteral("batchdeck-%1-").arg(instance);
    if (m_url.inMemory)
        m_memoryUri = QStringLiteral("file:batchdeck-memory-%1-%2?mode=memory&cache=shared")
                          .arg(QCoreApplication::applicationPid())
                          .arg(instance);
}

Database::~Database()
{
    const QString name = threadConnectionName();
    m_anchor.reset();
    if (QSqlDatabase::contains(name)) {
        QSqlDatabase::database(name, false).close();
        QSqlDatabase::removeDatabase(name);
        t_connections.names.removeAll(name);
    }
}

Result<std::shared_ptr<Database>> Database::open(const QString& url)
{
    auto parsed = DatabaseUrl::parse(url);
    if (!parsed)
        return parsed.error();
    return open(*parsed);
}

Result<std::shared_ptr<Database>> Database::open(const DatabaseUrl& url)
{
    if (url.driver == DatabaseUrl::Driver::Sqlite && !url.inMemory) {
        const QFileInfo file(url.path);
        if (!QDir().mkpath(file.absolutePath()))
            return makeError(ErrorKind::Io, QStringLiteral("cannot create the folder %1").arg(file.absolutePath()));
    }
    std::shared_ptr<Database> db(new Database(url));
    auto connection = db->connection();
    if (!connection)
        return connection.error();
    db->m_anchor = std::make_unique<QSqlDatabase>(*connection);
    if (auto migrated = migrations::apply(*connection, db->isPostgres()); !migrated) {
        Error error = migrated.error();
        if (error.kind == ErrorKind::Database)
            error.message = url.redacted() + QStringLiteral(": ") + error.message;
        return error;
    }
    return db;
}

Result<int> Database::probe(const QString& url)
{
    auto parsed = DatabaseUrl::parse(url);
    if (!parsed)
        return parsed.error();
    if (parsed->driver == DatabaseUrl::Driver::Sqlite && !parsed->inMemory && !QFileInfo::exists(parsed->path))
        return 0;
    const Database database(*parsed);
    auto connection = database.connection();
    if (!connection)
        return connection.error();
    // No schema_migrations table: a database Batchdeck has not used yet.
    auto version = migrations::currentVersion(*connection);
    return version ? *version : 0;
}

Result<QSqlDatabase> Database::connection() const
{
    const QString name = threadConnectionName();
    if (QSqlDatabase::contains(name)) {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isOpen())
            return db;
        if (!db.open())
            return sql::errorFrom(db.lastError(), QStringLiteral("cannot reopen %1").arg(m_url.redacted()));
        if (auto configured = configure(db); !configured)
            return configured.error();
        return db;
    }
    return openConnection(name);
}

bool Database::lostConnection() const
{
    const QString name = threadConnectionName();
    // QPSQL's isOpen() is libpq's connection status: bad once a statement found the server gone.
    return QSqlDatabase::contains(name) && !QSqlDatabase::database(name, false).isOpen();
}

QString Database::threadConnectionName() const
{
    return m_namePrefix + threadSuffix();
}

Result<QSqlDatabase> Database::openConnection(const QString& name) const
{
    const bool sqlite = isSqlite();
    if (sqlite)
        sqlite::configureLibrary();
    QSqlDatabase db = QSqlDatabase::addDatabase(sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"), name);
    markExitingBeforeQtSqlGoes();
    if (!db.isValid()) {
        QSqlDatabase::removeDatabase(name);
        return makeError(ErrorKind::Database,
                         QStringLiteral("the Qt SQL driver for %1 is not installed (package %2)")
                             .arg(sqlite ? QStringLiteral("SQLite") : QStringLiteral("PostgreSQL"),
                                  sqlite ? QStringLiteral("libqt6sql6-sqlite") : QStringLiteral("libqt6sql6-psql")));
    }
    if (QCoreApplication::instance() && QThread::currentThread() != QCoreApplication::instance()->thread()) {
        static std::once_flag once;
        std::call_once(once, [] { qAddPostRoutine(endPoolThreadsWhileTheApplicationLives); });
    }
    t_connections.names.append(name);
    if (sqlite) {
        if (m_url.inMemory) {
            db.setDatabaseName(m_memoryUri);
            db.setConnectOptions(
                QStringLiteral("QSQLITE_OPEN_URI;QSQLITE_BUSY_TIMEOUT=%1").arg(sql::kSqliteBusyTimeoutMs));
        } else {
            db.setDatabaseName(m_url.path);
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(sql::kSqliteBusyTimeoutMs));
        }
    } else {
        db.setHostName(m_url.host);
        db.setPort(m_url.port);
        db.setDatabaseName(m_url.databaseName);
        db.setUserName(m_url.user);
        db.setPassword(m_url.password);
        db.setConnectOptions(QStringLiteral("connect_timeout=%1").arg(m_url.connectTimeoutSeconds));
    }
    if (!db.open()) {
        const Error error = sql::errorFrom(db.lastError(), QStringLiteral("cannot open %1").arg(m_url.redacted()));
        return error;
    }
    if (auto configured = configure(db); !configured) {
        db.close();
        return configured.error();
    }
    return db;
}

Status Database::configure(QSqlDatabase& db) const
{
    QStringList statements;
    if (isSqlite()) {
        // WAL lets readers (the console) run beside a writer (a server); the busy timeout makes
        // writers wait for each other instead of failing; foreign keys are off by default in SQLite.
        if (!m_url.inMemory)
            statements << QStringLiteral("PRAGMA journal_mode=WAL");
        statements << QStringLiteral("PRAGMA busy_timeout=%1").arg(sql::kSqliteBusyTimeoutMs)
                   << QStringLiteral("PRAGMA foreign_keys=ON") << QStringLiteral("PRAGMA synchronous=NORMAL");
    } else {
        statements << QStringLiteral("SET client_min_messages TO WARNING");
        if (!m_url.schema.isEmpty()) {
            statements << QStringLiteral("CREATE SCHEMA IF NOT EXISTS \"%1\"").arg(m_url.schema)
                       << QStringLiteral("SET search_path TO \"%1\"").arg(m_url.schema);
        }
    }
    for (const QString& statement : std::as_const(statements)) {
        QSqlQuery query(db);
        if (!query.exec(statement)) {
            // Two sessions creating one schema at once: the loser's error is harmless.
            if (statement.startsWith(u"CREATE SCHEMA"))
                continue;
            return sql::errorFrom(query.lastError(),
                                  QStringLiteral("cannot prepare %1 (%2)").arg(m_url.redacted(), statement));
        }
    }
    if (isSqlite() && !m_url.inMemory) {
        // A read-only file opens fine and fails on the first write; say so now, clearly.
        QSqlQuery probe(db);
        if (!probe.exec(QStringLiteral("PRAGMA user_version = 0")))
            return sql::errorFrom(probe.lastError(), QStringLiteral("cannot write to %1").arg(m_url.path));
    }
    return {};
}

int Database::latestSchemaVersion()
{
    return migrations::latestVersion();
}

Result<int> Database::schemaVersion() const
{
    auto db = connection();
    if (!db)
        return db.error();
    return migrations::currentVersion(*db);
}

} // namespace batchdeck
