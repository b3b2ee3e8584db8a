#include "DatabaseUrl.h"

#include <QDir>
#include <QStandardPaths>
#include <QUrl>
#include <QUrlQuery>

namespace batchdeck {

namespace {

bool isValidIdentifier(const QString& name)
{
    if (name.isEmpty() || name.size() > 63)
        return false;
    for (QChar c : name) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'_')
            return false;
    }
    return !name.front().isDigit();
}

} // namespace

Result<DatabaseUrl> DatabaseUrl::parse(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return makeError(ErrorKind::InvalidInput, QStringLiteral("empty database URL"));

    DatabaseUrl url;
    if (trimmed == u"sqlite::memory:" || trimmed == u"sqlite://:memory:") {
        url.driver = Driver::Sqlite;
        url.inMemory = true;
        return url;
    }
    if (trimmed.startsWith(u"sqlite://")) {
        // sqlite:///abs/path.db: the part after "sqlite://" is an absolute path.
        QString path = QUrl::fromPercentEncoding(trimmed.mid(int(qstrlen("sqlite://"))).toUtf8());
        if (path.isEmpty() || !QDir::isAbsolutePath(path))
            return makeError(
                ErrorKind::InvalidInput,
                QStringLiteral("SQLite URL needs an absolute path, as in sqlite:///var/lib/batchdeck.db; got '%1'")
                    .arg(trimmed));
        url.driver = Driver::Sqlite;
        url.path = QDir::cleanPath(path);
        return url;
    }
    if (trimmed.startsWith(u"postgresql://") || trimmed.startsWith(u"postgres://")) {
        const QUrl parsed(trimmed, QUrl::StrictMode);
        if (!parsed.isValid())
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("malformed PostgreSQL URL: %1").arg(parsed.errorString()));
        url.driver = Driver::Postgres;
        url.host = parsed.host().isEmpty() ? QStringLiteral("localhost") : parsed.host();
        url.port = parsed.port(5432);
        url.user = parsed.userName();
        url.password = parsed.password();
        url.databaseName = parsed.path().mid(1);
        if (url.databaseName.isEmpty() || url.databaseName.contains(u'/'))
            return makeError(
                ErrorKind::InvalidInput,
                QStringLiteral("PostgreSQL URL needs a database name, as in postgresql://user@host:5432/batchdeck"));
        const QUrlQuery query(parsed);
        for (const auto& [key, value] : query.queryItems(QUrl::FullyDecoded)) {
            if (key == u"schema") {
                if (!isValidIdentifier(value))
                    return makeError(
                        ErrorKind::InvalidInput,
                        QStringLiteral("schema '%1' is not a plain identifier (letters, digits, _)").arg(value));
                url.schema = value;
            } else if (key == u"connect_timeout") {
                bool ok = false;
                url.connectTimeoutSeconds = value.toInt(&ok);
                if (!ok || url.connectTimeoutSeconds < 1)
                    return makeError(ErrorKind::InvalidInput,
                                     QStringLiteral("connect_timeout must be a positive number of seconds"));
            } else {
                return makeError(
                    ErrorKind::InvalidInput,
                    QStringLiteral("unknown PostgreSQL URL option '%1' (known: schema, connect_timeout)").arg(key));
            }
        }
        return url;
    }
    return makeError(ErrorKind::InvalidInput,
                     QStringLiteral("unsupported database URL '%1': use sqlite:///abs/path.db or "
                                    "postgresql://user:pass@host:port/dbname")
                         .arg(trimmed));
}

QString DatabaseUrl::defaultUrl()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share/batchdeck");
    return QStringLiteral("sqlite://") + dir + QStringLiteral("/batchdeck.db");
}

QString DatabaseUrl::redacted() const
{
    if (driver == Driver::Sqlite)
        return inMemory ? QStringLiteral("sqlite::memory:") : QStringLiteral("sqlite://") + path;
    QString userPart = user;
    if (!password.isEmpty())
        userPart += QStringLiteral(":***");
    if (!userPart.isEmpty())
        userPart += u'@';
    QString text = QStringLiteral("postgresql://%1%2:%3/%4").arg(userPart, host).arg(port).arg(databaseName);
    if (!schema.isEmpty())
        text += QStringLiteral("?schema=") + schema;
    return text;
}

} // namespace batchdeck
