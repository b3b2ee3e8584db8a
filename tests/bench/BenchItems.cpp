#include "BenchItems.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace batchdeck::bench {

namespace {

QString itemText(int index)
{
    return QStringLiteral("Unit %1 of the term: the water cycle, evaporation and condensation, with a \"hands-on\" "
                          "lab on cloud formation, field notes from a local river and a short quiz for week %2.")
        .arg(index)
        .arg(index % 52 + 1);
}

} // namespace

bool writeItems(const QString& path, int count)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    for (int i = 0; i < count; ++i) {
        const QString text = itemText(i);
        const QJsonObject item{{QStringLiteral("id"), QStringLiteral("item-%1").arg(i)},
                               {QStringLiteral("text"), text},
                               {QStringLiteral("title"), text}};
        if (file.write(QJsonDocument(item).toJson(QJsonDocument::Compact) + '\n') < 0)
            return false;
    }
    return file.flush();
}

} // namespace batchdeck::bench
