#include "BatchPlan.h"

#include <random>

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QtEndian>

namespace batchdeck::sim {

using namespace Qt::StringLiterals;

BatchPlan::BatchPlan(QString path, QString batchId, quint64 seed)
    : m_path(std::move(path))
    , m_batchId(std::move(batchId))
    , m_seed(seed)
{}

BatchPlan::~BatchPlan() = default;

Status BatchPlan::beginWrite()
{
    m_entries.clear();
    m_order.clear();
    m_writeOffset = 0;
    m_file = std::make_unique<QFile>(m_path);
    if (!m_file->open(QIODevice::WriteOnly | QIODevice::Truncate))
        return makeError(ErrorKind::Io, u"cannot write %1: %2"_s.arg(m_path, m_file->errorString()));
    return {};
}

Status BatchPlan::append(const QString& customId, const GeneratedLine& line)
{
    if (m_file->write(line.json) != line.json.size() || !m_file->putChar('\n'))
        return makeError(ErrorKind::Io, u"cannot write %1: %2"_s.arg(m_path, m_file->errorString()));
    m_entries.append(Entry{m_writeOffset, qint32(line.json.size()), line.ok(), line.usage, customId});
    m_writeOffset += line.json.size() + 1;
    return {};
}

Status BatchPlan::finishWrite()
{
    const bool flushed = m_file->flush();
    m_file->close();
    if (!flushed)
        return makeError(ErrorKind::Io, u"cannot write %1"_s.arg(m_path));
    shuffle();
    return {};
}

Status BatchPlan::load()
{
    m_entries.clear();
    m_file = std::make_unique<QFile>(m_path);
    if (!m_file->open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Io, u"cannot read %1: %2"_s.arg(m_path, m_file->errorString()));
    qint64 offset = 0;
    while (!m_file->atEnd()) {
        QByteArray line = m_file->readLine();
        const qint64 lineBytes = line.size();
        if (line.endsWith('\n'))
            line.chop(1);
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        const QJsonObject response = object.value(u"response").toObject();
        Entry entry;
        entry.offset = offset;
        entry.length = qint32(line.size());
        entry.ok = response.value(u"status_code").toInt() == 200;
        if (entry.ok)
            entry.usage = LineUsage::fromResponseBody(response.value(u"body").toObject());
        entry.customId = object.value(u"custom_id").toString();
        m_entries.append(entry);
        offset += lineBytes;
    }
    m_file->close();
    shuffle();
    return {};
}

void BatchPlan::discard()
{
    m_file.reset();
    QFile::remove(m_path);
    m_entries.clear();
    m_order.clear();
}

Result<QByteArray> BatchPlan::readLine(int executionIndex)
{
    const Entry& line = entry(executionIndex);
    if (!m_file->isOpen() && !m_file->open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Io, u"cannot read %1: %2"_s.arg(m_path, m_file->errorString()));
    if (!m_file->seek(line.offset))
        return makeError(ErrorKind::Io, u"cannot read %1"_s.arg(m_path));
    QByteArray bytes = m_file->read(line.length);
    if (bytes.size() != line.length)
        return makeError(ErrorKind::Io, u"%1 is truncated"_s.arg(m_path));
    return bytes;
}

BatchProgress BatchPlan::progressOfFirst(int executed) const
{
    BatchProgress progress;
    for (int i = 0; i < qMin(executed, size()); ++i) {
        const Entry& line = entry(i);
        if (line.ok) {
            ++progress.completed;
            progress.usage.add(line.usage);
        } else {
            ++progress.failed;
        }
    }
    return progress;
}

void BatchPlan::shuffle()
{
    m_order.resize(m_entries.size());
    for (qsizetype i = 0; i < m_order.size(); ++i)
        m_order[i] = int(i);
    // Fisher-Yates with our own index draw: std::shuffle's algorithm differs between libraries.
    const QByteArray seedText = QByteArray::number(m_seed) + '/' + m_batchId.toUtf8();
    const QByteArray digest = QCryptographicHash::hash(seedText, QCryptographicHash::Sha256);
    std::mt19937_64 random(qFromLittleEndian<quint64>(digest.constData()));
    for (qsizetype i = m_order.size() - 1; i > 0; --i)
        std::swap(m_order[i], m_order[qsizetype(random() % quint64(i + 1))]);
}

} // namespace batchdeck::sim
