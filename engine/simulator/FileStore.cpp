#include "FileStore.h"

#include <algorithm>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QUuid>

#include "core/Logging.h"
#include "simulator/Ids.h"
#include "simulator/SimClock.h"

namespace batchdeck::sim {

using namespace Qt::StringLiterals;

namespace {

QJsonValue optionalSeconds(const std::optional<qint64>& ms)
{
    return ms ? QJsonValue(toSeconds(*ms)) : QJsonValue();
}

} // namespace

QJsonObject StoredFile::toApiJson() const
{
    return QJsonObject{{u"id"_s, id},
                       {u"object"_s, u"file"_s},
                       {u"bytes"_s, bytes},
                       {u"created_at"_s, toSeconds(createdAtMs)},
                       {u"expires_at"_s, optionalSeconds(expiresAtMs)},
                       {u"filename"_s, filename},
                       {u"purpose"_s, purpose},
                       {u"status"_s, u"processed"_s},
                       {u"status_details"_s, QJsonValue()}};
}

QJsonObject StoredFile::toStorageJson() const
{
    return QJsonObject{{u"id"_s, id},
                       {u"filename"_s, filename},
                       {u"purpose"_s, purpose},
                       {u"bytes"_s, bytes},
                       {u"created_at_ms"_s, createdAtMs},
                       {u"expires_at_ms"_s, expiresAtMs ? QJsonValue(*expiresAtMs) : QJsonValue()},
                       {u"seq"_s, seq},
                       {u"content_offset"_s, contentOffset}};
}

std::optional<StoredFile> StoredFile::fromStorageJson(const QJsonObject& json)
{
    StoredFile file;
    file.id = json.value(u"id").toString();
    file.filename = json.value(u"filename").toString();
    file.purpose = json.value(u"purpose").toString();
    file.bytes = json.value(u"bytes").toInteger();
    file.createdAtMs = json.value(u"created_at_ms").toInteger();
    if (json.value(u"expires_at_ms").isDouble())
        file.expiresAtMs = json.value(u"expires_at_ms").toInteger();
    file.seq = json.value(u"seq").toInteger();
    file.contentOffset = json.value(u"content_offset").toInteger();
    if (file.id.isEmpty() || file.purpose.isEmpty())
        return std::nullopt;
    return file;
}

FileStore::FileStore(QString directory)
    : m_dir(std::move(directory))
{}

Status FileStore::open()
{
    QDir dir(m_dir);
    if (!dir.mkpath(u"."_s))
        return makeError(ErrorKind::Io, u"cannot create %1"_s.arg(m_dir));
    const QStringList metas = dir.entryList({u"*.json"_s}, QDir::Files);
    for (const QString& name : metas) {
        QFile meta(dir.filePath(name));
        if (!meta.open(QIODevice::ReadOnly))
            continue;
        const std::optional<StoredFile> file =
            StoredFile::fromStorageJson(QJsonDocument::fromJson(meta.readAll()).object());
        if (!file || !QFile::exists(contentPath(file->id))) {
            qCWarning(lcSimulator) << "ignoring damaged file record" << meta.fileName();
            continue;
        }
        m_files.insert(file->id, *file);
        m_nextSeq = qMax(m_nextSeq, file->seq + 1);
    }
    // Staging files of a run that died mid-write are garbage.
    for (const QString& name : dir.entryList({u"staging-*"_s}, QDir::Files))
        dir.remove(name);
    return {};
}

Result<StoredFile> FileStore::addBytes(const QString& filename,
                                       const QString& purpose,
                                       QByteArrayView content,
                                       qint64 nowMs,
                                       std::optional<qint64> expiresAtMs)
{
    const QString staging = newStagingPath();
    QFile out(staging);
    if (!out.open(QIODevice::WriteOnly) || out.write(content.data(), content.size()) != content.size()) {
        out.remove();
        return makeError(ErrorKind::Io, u"cannot write %1: %2"_s.arg(staging, out.errorString()));
    }
    out.close();
    return adoptStaged(staging, filename, purpose, nowMs, expiresAtMs);
}

QString FileStore::newStagingPath() const
{
    return QDir(m_dir).filePath(u"staging-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces));
}

Result<StoredFile> FileStore::adoptStaged(const QString& stagingPath,
                                          const QString& filename,
                                          const QString& purpose,
                                          qint64 createdAtMs,
                                          std::optional<qint64> expiresAtMs,
                                          qint64 contentOffset)
{
    StoredFile file;
    file.id = newFileId();
    file.filename = filename;
    file.purpose = purpose;
    file.contentOffset = contentOffset;
    file.bytes = QFileInfo(stagingPath).size() - contentOffset;
    file.createdAtMs = createdAtMs;
    file.expiresAtMs = expiresAtMs;
    file.seq = m_nextSeq++;
    if (!QFile::rename(stagingPath, contentPath(file.id))) {
        QFile::remove(stagingPath);
        return makeError(ErrorKind::Io, u"cannot store file %1"_s.arg(file.id));
    }
    return commit(file);
}

Result<StoredFile> FileStore::commit(StoredFile file)
{
    QSaveFile meta(metaPath(file.id));
    if (!meta.open(QIODevice::WriteOnly)) {
        QFile::remove(contentPath(file.id));
        return makeError(ErrorKind::Io, u"cannot write %1"_s.arg(meta.fileName()));
    }
    meta.write(QJsonDocument(file.toStorageJson()).toJson(QJsonDocument::Compact));
    if (!meta.commit()) {
        QFile::remove(contentPath(file.id));
        return makeError(ErrorKind::Io, u"cannot write %1"_s.arg(meta.fileName()));
    }
    m_files.insert(file.id, file);
    return file;
}

std::optional<StoredFile> FileStore::find(const QString& id, qint64 nowMs)
{
    purgeExpired(nowMs);
    const auto it = m_files.constFind(id);
    if (it == m_files.constEnd())
        return std::nullopt;
    return *it;
}

std::unique_ptr<QFile> FileStore::openContent(const StoredFile& file) const
{
    auto content = std::make_unique<QFile>(contentPath(file.id));
    if (!content->open(QIODevice::ReadOnly) || !content->seek(file.contentOffset))
        return nullptr;
    return content;
}

bool FileStore::remove(const QString& id)
{
    if (!m_files.remove(id))
        return false;
    QFile::remove(contentPath(id));
    QFile::remove(metaPath(id));
    return true;
}

QString FileStore::contentPath(const QString& id) const
{
    return QDir(m_dir).filePath(id + u".data"_s);
}

QString FileStore::metaPath(const QString& id) const
{
    return QDir(m_dir).filePath(id + u".json"_s);
}

QList<StoredFile> FileStore::liveFiles(qint64 nowMs)
{
    purgeExpired(nowMs);
    QList<StoredFile> files = m_files.values();
    std::sort(files.begin(), files.end(), [](const StoredFile& a, const StoredFile& b) { return a.seq < b.seq; });
    return files;
}

void FileStore::purgeExpired(qint64 nowMs)
{
    QStringList expired;
    for (const StoredFile& file : std::as_const(m_files)) {
        if (file.expiresAtMs && *file.expiresAtMs <= nowMs)
            expired.append(file.id);
    }
    for (const QString& id : std::as_const(expired))
        remove(id);
}

} // namespace batchdeck::sim
