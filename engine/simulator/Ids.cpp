#include "Ids.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace batchdeck::sim {

namespace {

constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr char kHex[] = "0123456789abcdef";

QString randomText(QStringView prefix, const char* alphabet, int alphabetSize, int length)
{
    QString text = prefix.toString();
    text.reserve(prefix.size() + length);
    for (int i = 0; i < length; ++i)
        text += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(alphabetSize)]);
    return text;
}

QString derivedText(QStringView prefix, const QByteArray& seed, const char* alphabet, int alphabetSize, int length)
{
    QString text = prefix.toString();
    QByteArray digest;
    int counter = 0;
    for (int i = 0; i < length; ++i) {
        if (i % 32 == 0) {
            QCryptographicHash hash(QCryptographicHash::Sha256);
            hash.addData(seed);
            hash.addData(QByteArray::number(counter++));
            digest = hash.result();
        }
        text += QLatin1Char(alphabet[static_cast<unsigned char>(digest.at(i % 32)) % alphabetSize]);
    }
    return text;
}

} // namespace

QString newFileId()
{
    return randomText(u"file-", kBase62, 62, 22);
}

QString newBatchId()
{
    return randomText(u"batch_", kHex, 16, 32);
}

QString newRequestId()
{
    return randomText(u"req_", kHex, 16, 32);
}

QString derivedHexId(QStringView prefix, const QByteArray& seed, int length)
{
    return derivedText(prefix, seed, kHex, 16, length);
}

QString derivedBase62Id(QStringView prefix, const QByteArray& seed, int length)
{
    return derivedText(prefix, seed, kBase62, 62, length);
}

} // namespace batchdeck::sim
