#include "TestDatabase.h"

#include <atomic>

#include <QCoreApplication>
#include <QRandomGenerator>

#include "store/Database.h"

namespace batchdeck::test {

namespace {
std::atomic<int> g_counter{0};
}

bool usingPostgres()
{
    return qEnvironmentVariable("BATCHDECK_TEST_BACKEND") == u"pg";
}

QString postgresServerUrl()
{
    return qEnvironmentVariable("BATCHDECK_TEST_PG_URL");
}

QString freshDatabaseUrl(const QTemporaryDir& dir)
{
    const int n = ++g_counter;
    if (!usingPostgres())
        return QStringLiteral("sqlite://") + dir.path() + QStringLiteral("/test-%1.db").arg(n);
    const QString server = postgresServerUrl();
    if (server.isEmpty())
        return {};
    const QString schema = QStringLiteral("t_%1_%2_%3")
                               .arg(QCoreApplication::applicationPid())
                               .arg(n)
                               .arg(QRandomGenerator::global()->bounded(1'000'000));
    return server + (server.contains(u'?') ? u'&' : u'?') + QStringLiteral("schema=") + schema;
}

Result<std::shared_ptr<Database>> openFreshDatabase(const QTemporaryDir& dir, QString* url)
{
    const QString fresh = freshDatabaseUrl(dir);
    if (url)
        *url = fresh;
    if (fresh.isEmpty())
        return makeError(
            ErrorKind::InvalidInput,
            QStringLiteral("BATCHDECK_TEST_PG_URL is not set: run the PostgreSQL tests through ./test.sh"));
    return Database::open(fresh);
}

} // namespace batchdeck::test
