#pragma once

#include <QString>
#include <QTemporaryDir>

namespace batchdeck::faults {

// A PostgreSQL cluster of the campaign's own (a temporary folder, a free loopback port), so that it
// can be stopped and started under a running server without disturbing the PostgreSQL that other
// tests share. Runs the server binaries as the postgres user when the campaign runs as root, as
// scripts/postgres.sh does. Stopped and removed when destroyed.
class PrivatePostgres
{
public:
    PrivatePostgres() = default;
    PrivatePostgres(const PrivatePostgres&) = delete;
    PrivatePostgres& operator=(const PrivatePostgres&) = delete;
    ~PrivatePostgres();

    // initdb, start, create the database; false with `error` set when any step fails.
    bool start(QString* error);
    bool stop();    // a fast shutdown: sessions are ended, as in a restart or a failover
    bool restart(); // start again on the same folder and port
    QString url() const;

private:
    bool run(const QString& program, const QStringList& arguments, QString* output = nullptr) const;

    QTemporaryDir m_dir{QStringLiteral("/tmp/batchdeck-faults-pg.XXXXXX")};
    QString m_bin;
    quint16 m_port = 0;
    bool m_running = false;
};

} // namespace batchdeck::faults
