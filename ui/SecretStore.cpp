#include "SecretStore.h"

#include <QObject>
#include <qt6keychain/keychain.h>

#include "UiLogging.h"

namespace batchdeck {

namespace {

// What went wrong, in words an operator can act on; the backend's own text goes in brackets since
// it names the missing piece ("The name org.freedesktop.secrets was not provided by any .service
// files").
Error keychainError(const QKeychain::Job& job)
{
    const QString detail = job.errorString();
    switch (job.error()) {
    case QKeychain::EntryNotFound:
        return makeError(ErrorKind::NotFound, SecretStore::tr("Nothing is stored in the keychain under this name."));
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return makeError(ErrorKind::InvalidInput,
                         SecretStore::tr("The system keychain refused access (%1).").arg(detail));
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
    case QKeychain::NoError:
        break;
    }
    QString message =
        SecretStore::tr("The system keychain cannot be used: no Secret Service or KWallet answers on this desktop.");
    // QtKeychain says "Unknown error" when D-Bus has no session bus at all: nothing to add then.
    if (!detail.isEmpty() && detail != QStringLiteral("Unknown error"))
        message += QStringLiteral(" (") + detail + u')';
    return makeError(ErrorKind::Io, message);
}

} // namespace

SecretStore::SecretStore(QString service)
    : m_service(std::move(service))
{}

void SecretStore::read(const QString& name, QObject* context, ReadDone done) const
{
    auto* job = new QKeychain::ReadPasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(name);
    QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done), name](QKeychain::Job* finished) {
        auto* reader = static_cast<QKeychain::ReadPasswordJob*>(finished);
        if (reader->error() != QKeychain::NoError) {
            const Error error = keychainError(*reader);
            if (error.kind != ErrorKind::NotFound)
                qCWarning(lcUi).noquote() << "cannot read" << name << "from the keychain:" << error.message;
            done(error);
            return;
        }
        done(reader->textData());
    });
    job->start();
}

void SecretStore::write(const QString& name, const QString& secret, QObject* context, WriteDone done) const
{
    auto* job = new QKeychain::WritePasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(name);
    job->setTextData(secret);
    QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job* finished) {
        if (finished->error() != QKeychain::NoError) {
            done(keychainError(*finished));
            return;
        }
        done(Status());
    });
    job->start();
}

void SecretStore::remove(const QString& name, QObject* context, WriteDone done) const
{
    auto* job = new QKeychain::DeletePasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(name);
    QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job* finished) {
        if (finished->error() != QKeychain::NoError && finished->error() != QKeychain::EntryNotFound) {
            done(keychainError(*finished));
            return;
        }
        done(Status());
    });
    job->start();
}

} // namespace batchdeck
