#include "DemoDatabase.h"

#include <QBuffer>
#include <QJsonObject>

#include "core/Json.h"
#include "store/ItemImporter.h"
#include "store/RunStore.h"

namespace batchdeck {

namespace {

// Reviews a summarize or classify batch type has something to say about.
const char* const kProducts[] = {"espresso machine",
                                 "trail running shoes",
                                 "noise-cancelling headphones",
                                 "standing desk",
                                 "robot vacuum",
                                 "e-reader"};
const char* const kOpinions[] = {
    "Works exactly as described and arrived two days early. Setup took five minutes.",
    "Stopped working after three weeks; support answered quickly and sent a replacement.",
    "Good value for the price, but the manual is confusing and the app keeps logging me out.",
    "Build quality is excellent. A bit louder than I expected, which matters in a small flat.",
    "I returned it: the colour was nothing like the photos and one part was missing.",
    "Best purchase this year. I use it every day and would buy it again without thinking.",
};

QByteArray sampleItems()
{
    QByteArray jsonl;
    for (int i = 0; i < DemoDatabase::kSampleItems; ++i) {
        const int product = i % int(std::size(kProducts));
        const int opinion = (i * 5 + i / 6) % int(std::size(kOpinions));
        const QJsonObject item{
            {QStringLiteral("id"), QStringLiteral("review-%1").arg(i + 1, 3, 10, QLatin1Char('0'))},
            {QStringLiteral("product"), QString::fromUtf8(kProducts[product])},
            {QStringLiteral("rating"), 1 + (i * 7) % 5},
            {QStringLiteral("text"), QString::fromUtf8(kOpinions[opinion])},
        };
        jsonl += json::compact(item) + '\n';
    }
    return jsonl;
}

} // namespace

QString DemoDatabase::sampleRunId()
{
    return QStringLiteral("demo__product-reviews");
}

Result<bool> DemoDatabase::seedIfEmpty(const std::shared_ptr<Database>& database)
{
    auto runs = RunStore(database).list();
    if (!runs)
        return runs.error();
    if (!runs->isEmpty())
        return false;
    QByteArray items = sampleItems();
    QBuffer buffer(&items);
    buffer.open(QIODevice::ReadOnly);
    auto imported = ItemImporter(database).importDevice(
        sampleRunId(), buffer, ItemFormat::Jsonl, QStringLiteral("id"), QStringLiteral("demo sample"));
    if (!imported)
        return imported.error();
    return true;
}

} // namespace batchdeck
