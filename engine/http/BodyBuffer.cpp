#include "BodyBuffer.h"

#include <QDir>
#include <QTemporaryFile>

#include "core/Logging.h"

namespace batchdeck::http {

BodyBuffer::BodyBuffer(QString spoolDir, qint64 memoryLimit)
    : m_spoolDir(std::move(spoolDir))
    , m_memoryLimit(memoryLimit)
{}

BodyBuffer::~BodyBuffer()
{
    if (m_map && m_file)
        m_file->unmap(m_map);
}

bool BodyBuffer::append(QByteArrayView data)
{
    if (data.isEmpty())
        return true;
    if (!m_file && m_size + data.size() > m_memoryLimit) {
        m_file = std::make_unique<QTemporaryFile>(QDir(m_spoolDir).filePath(QStringLiteral("body-XXXXXX")));
        if (!m_file->open() || m_file->write(m_memory) != m_memory.size()) {
            qCWarning(lcHttp) << "cannot spool request body:" << m_file->errorString();
            return false;
        }
        m_memory = QByteArray();
    }
    if (m_file) {
        if (m_file->write(data.data(), data.size()) != data.size()) {
            qCWarning(lcHttp) << "cannot spool request body:" << m_file->errorString();
            return false;
        }
    } else {
        m_memory.append(data);
    }
    m_size += data.size();
    return true;
}

QByteArrayView BodyBuffer::view()
{
    if (!m_file)
        return QByteArrayView(m_memory);
    if (m_size == 0)
        return {};
    if (!m_map) {
        m_file->flush();
        m_map = m_file->map(0, m_size);
        if (!m_map)
            return {};
    }
    return QByteArrayView(reinterpret_cast<const char*>(m_map), m_size);
}

bool BodyBuffer::moveSpoolTo(const QString& path, qint64 keepBytes)
{
    if (!m_file || keepBytes < 0 || keepBytes > m_size)
        return false;
    if (m_map) {
        m_file->unmap(m_map);
        m_map = nullptr;
    }
    if (!m_file->flush() || !m_file->resize(keepBytes))
        return false;
    m_size = keepBytes;
    m_file->setAutoRemove(false);
    // An unnamed temporary file (O_TMPFILE) is linked under the new name; a named one renamed.
    if (!m_file->rename(path)) {
        m_file->setAutoRemove(true);
        return false;
    }
    m_file.reset();
    m_size = 0;
    return true;
}

QByteArray BodyBuffer::toByteArray()
{
    if (!m_file)
        return m_memory;
    return view().toByteArray();
}

} // namespace batchdeck::http
