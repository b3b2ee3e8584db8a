#pragma once

#include <functional>

#include <QCoreApplication>
#include <QString>

#include "core/Result.h"

class QObject;

namespace batchdeck {

// Secrets (the provider key, the API server token) in the system keychain through QtKeychain: the
// Secret Service (GNOME Keyring, KWallet 5.97+) or KWallet on Linux, the Keychain on macOS, the
// Credential Store on Windows. Never a plain-text fallback: where no keychain answers (a headless
// machine without a Secret Service), every call fails with a message that says so, and the caller
// points the user at the environment instead.
//
// The calls are asynchronous (the keychain may ask the user to unlock it); `done` runs on the
// thread of `context`, and not at all once `context` is gone.
class SecretStore
{
    Q_DECLARE_TR_FUNCTIONS(SecretStore)

public:
    explicit SecretStore(QString service = QStringLiteral("batchdeck"));

    using ReadDone = std::function<void(Result<QString>)>; // NotFound when nothing is stored
    using WriteDone = std::function<void(Status)>;

    void read(const QString& name, QObject* context, ReadDone done) const;
    void write(const QString& name, const QString& secret, QObject* context, WriteDone done) const;
    // Removing a secret that is not there succeeds.
    void remove(const QString& name, QObject* context, WriteDone done) const;

    const QString& service() const { return m_service; }

private:
    QString m_service;
};

} // namespace batchdeck
