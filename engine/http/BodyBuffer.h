#pragma once

#include <memory>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

class QTemporaryFile;

namespace batchdeck::http {

// A request body that stays in memory while small and moves to a temporary file once it grows,
// so a 200 MB upload costs disk, not RAM. view() maps the file for parsers that want one span.
class BodyBuffer
{
public:
    BodyBuffer(QString spoolDir, qint64 memoryLimit);
    ~BodyBuffer();
    BodyBuffer(const BodyBuffer&) = delete;
    BodyBuffer& operator=(const BodyBuffer&) = delete;

    bool append(QByteArrayView data);
    qint64 size() const { return m_size; }
    bool isSpooled() const { return m_file != nullptr; }

    // The whole body as one span; for a spooled body this maps the file (valid while *this lives).
    // An empty view with size() > 0 means the map failed.
    QByteArrayView view();
    // A copy of the body, for small JSON bodies only.
    QByteArray toByteArray();
    // Gives a spooled body's file away instead of copying it: cut to its first `keepBytes` bytes and
    // moved to `path` (same file system as the spool folder; an existing file is not replaced). The
    // body is empty afterwards, and earlier views() of it are invalid. False (body unchanged where
    // possible) when the body is not spooled or the move fails: copy it then.
    bool moveSpoolTo(const QString& path, qint64 keepBytes);

private:
    QString m_spoolDir;
    qint64 m_memoryLimit;
    qint64 m_size = 0;
    QByteArray m_memory;
    std::unique_ptr<QTemporaryFile> m_file;
    uchar* m_map = nullptr;
};

} // namespace batchdeck::http
