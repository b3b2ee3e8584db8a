#pragma once

#include <memory>
#include <optional>

#include <QByteArrayView>
#include <QFile>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include "core/Result.h"

namespace batchdeck::sim {

struct StoredFile
{
    QString id;
    QString filename;
    QString purpose;
    qint64 bytes = 0;
    qint64 createdAtMs = 0;
    std::optional<qint64> expiresAtMs;
    qint64 seq = 0; // creation order; created_at has only second resolution
    // Where the content starts in its .data file: an upload keeps the spooled request body as it came
    // (multipart headers first) instead of copying the file part out of it.
    qint64 contentOffset = 0;

    QJsonObject toApiJson() const; // the File object of the Files API
    QJsonObject toStorageJson() const;
    static std::optional<StoredFile> fromStorageJson(const QJsonObject& json);
};

// Files on disk: <dir>/<id>.data holds the bytes, <dir>/<id>.json the metadata. The simulator
// always keeps contents on disk (a temporary folder without --state-dir) so big files cost no RAM.
// An expired file behaves as deleted and is removed when next seen.
class FileStore
{
public:
    explicit FileStore(QString directory);

    Status open(); // creates the folder and loads what an earlier run left there

    Result<StoredFile> addBytes(const QString& filename,
                                const QString& purpose,
                                QByteArrayView content,
                                qint64 nowMs,
                                std::optional<qint64> expiresAtMs);
    // A fresh path in the store's folder to write a new file to; hand it to adoptStaged(). The
    // content is the staged file from `contentOffset` to its end.
    QString newStagingPath() const;
    Result<StoredFile> adoptStaged(const QString& stagingPath,
                                   const QString& filename,
                                   const QString& purpose,
                                   qint64 createdAtMs,
                                   std::optional<qint64> expiresAtMs,
                                   qint64 contentOffset = 0);

    std::optional<StoredFile> find(const QString& id, qint64 nowMs);
    // The content, open for reading at its first byte; null when it cannot be opened.
    std::unique_ptr<QFile> openContent(const StoredFile& file) const;
    bool remove(const QString& id);
    QString contentPath(const QString& id) const;
    QList<StoredFile> liveFiles(qint64 nowMs); // oldest first

private:
    Result<StoredFile> commit(StoredFile file);
    QString metaPath(const QString& id) const;
    void purgeExpired(qint64 nowMs);

    QString m_dir;
    QHash<QString, StoredFile> m_files;
    qint64 m_nextSeq = 1;
};

} // namespace batchdeck::sim
