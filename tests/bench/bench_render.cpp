// Rendering speed of request lines: how long a run of N items takes to become JSONL, for a few
// template and payload shapes. Prints a table; not a timed test (machines differ).
//   bench_render [--items N] [--rounds R]     (defaults: 50000 items, best of 3 rounds)
#include <cstdio>
#include <ctime>
#include <numeric>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <QThreadPool>
#include <QtConcurrent>

#include "batchtypes/RequestRenderer.h"
#include "batchtypes/ResultExtractor.h"
#include "core/Json.h"

using namespace batchdeck;
using namespace Qt::StringLiterals;

namespace {

BatchType summarizeType()
{
    BatchType type;
    type.name = u"summarize"_s;
    type.endpoint = Endpoint::ChatCompletions;
    type.model = u"gpt-4o-mini"_s;
    type.requestTemplate = QJsonObject{
        {u"messages"_s,
         QJsonArray{QJsonObject{{u"role"_s, u"system"_s},
                                {u"content"_s,
                                 u"You summarize documents for a data pipeline. Answer with the summary only: at most "
                                 "three sentences, in the language of the document, no preamble."_s}},
                    QJsonObject{{u"role"_s, u"user"_s},
                                {u"content"_s, u"Summarize ({{run.params.lang}}):\n\n{{item.text}}"_s}}}},
        {u"temperature"_s, 0.2},
        {u"max_tokens"_s, 300},
    };
    return type;
}

BatchType embedType()
{
    BatchType type;
    type.name = u"embed"_s;
    type.endpoint = Endpoint::Embeddings;
    type.model = u"text-embedding-3-small"_s;
    type.requestTemplate = QJsonObject{{u"input"_s, u"{{item.text}}"_s}, {u"encoding_format"_s, u"float"_s}};
    return type;
}

BatchType wholeItemType()
{
    BatchType type = summarizeType();
    type.name = u"whole"_s;
    QJsonArray messages = type.requestTemplate.value(u"messages"_s).toArray();
    messages.replace(1, QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"Classify this record: {{item}}"_s}});
    type.requestTemplate.insert(u"messages"_s, messages);
    return type;
}

QString text(int index, int size, bool unicode)
{
    const QString unit = unicode ? u"Olá \"mundo\" 🚀 日本語\n\t"_s : u"The quick brown fox jumps over the lazy dog. "_s;
    QString result = u"Item "_s + QString::number(index) + u": "_s;
    while (result.size() < size)
        result += unit;
    return result;
}

struct Case
{
    const char* name;
    BatchType type;
    int textSize;
    bool unicode;
    bool fromStoredText; // parse the payload from JSON text first, as the service does with stored rows
    bool parallel;       // render slices on QtConcurrent's pool, as a service may
};

int argument(const QStringList& arguments, const QString& name, int fallback)
{
    const qsizetype at = arguments.indexOf(name);
    if (at < 0 || at + 1 >= arguments.size())
        return fallback;
    return qMax(1, arguments.at(at + 1).toInt());
}

void run(const Case& c, int items, int rounds)
{
    QList<QJsonObject> payloads;
    QList<QByteArray> stored;
    payloads.reserve(items);
    for (int i = 0; i < items; ++i) {
        payloads.append(QJsonObject{{u"text"_s, text(i, c.textSize, c.unicode)},
                                    {u"id"_s, i},
                                    {u"source"_s, u"crawl"_s},
                                    {u"tags"_s, QJsonArray{u"a"_s, u"b"_s}}});
        if (c.fromStoredText)
            stored.append(json::compact(payloads.back()));
    }
    const RunContext runContext{u"scheduled__2026-12-03T00:00:00+00:00"_s, QJsonObject{{u"lang"_s, u"en"_s}}};
    const RequestRenderer renderer = RequestRenderer::create(c.type, runContext).value();
    const auto render = [&](int i) -> qint64 {
        const QString key = u"item-"_s + QString::number(i);
        const Result<QByteArray> line =
            c.fromStoredText ? renderer.renderLine(key, stored.at(i)) : renderer.renderLine(key, payloads.at(i));
        return line.value().size() + 1;
    };
    QList<int> indexes(items);
    std::iota(indexes.begin(), indexes.end(), 0);
    qint64 bytes = 0;
    double ms = 0;
    double cpuMs = 0;
    // The best round: other work on the machine only ever makes a round slower. CPU time is shown
    // too, since on a busy machine it says more about the code than the wall clock.
    for (int round = 0; round < rounds; ++round) {
        QElapsedTimer timer;
        timer.start();
        const std::clock_t cpuStart = std::clock();
        bytes = 0;
        if (c.parallel) {
            bytes = QtConcurrent::blockingMappedReduced<qint64>(
                indexes, render, [](qint64& total, qint64 size) { total += size; });
        } else {
            for (int i = 0; i < items; ++i)
                bytes += render(i);
        }
        const double elapsed = double(timer.nsecsElapsed()) / 1e6;
        const double cpu = double(std::clock() - cpuStart) * 1000.0 / CLOCKS_PER_SEC;
        ms = round == 0 ? elapsed : qMin(ms, elapsed);
        cpuMs = round == 0 ? cpu : qMin(cpuMs, cpu);
    }
    std::printf("| %-36s | %7d | %9.1f | %9.1f | %9.0f | %8.1f | %8.1f |\n",
                c.name,
                items,
                ms,
                cpuMs,
                items / (ms / 1000.0),
                double(bytes) / (1024.0 * 1024.0),
                double(bytes) / (1024.0 * 1024.0) / (ms / 1000.0));
}

void runExtraction(int items, int rounds)
{
    QJsonObject body{
        {u"object"_s, u"chat.completion"_s},
        {u"choices"_s,
         QJsonArray{
             QJsonObject{{u"index"_s, 0},
                         {u"message"_s,
                          QJsonObject{{u"role"_s, u"assistant"_s},
                                      {u"content"_s, u"{\"sentiment\":\"positive\",\"topic\":\"pipelines\"}"_s}}},
                         {u"finish_reason"_s, u"stop"_s}}}},
        {u"usage"_s, QJsonObject{{u"prompt_tokens"_s, 120}, {u"completion_tokens"_s, 14}, {u"total_tokens"_s, 134}}},
    };
    qint64 kept = 0;
    double ms = 0;
    double cpuMs = 0;
    for (int round = 0; round < rounds; ++round) {
        QElapsedTimer timer;
        timer.start();
        const std::clock_t cpuStart = std::clock();
        kept = 0;
        for (int i = 0; i < items; ++i)
            kept += ResultExtractor::extract(Endpoint::ChatCompletions, KeepMode::Json, body).ok() ? 1 : 0;
        const double elapsed = double(timer.nsecsElapsed()) / 1e6;
        const double cpu = double(std::clock() - cpuStart) * 1000.0 / CLOCKS_PER_SEC;
        ms = round == 0 ? elapsed : qMin(ms, elapsed);
        cpuMs = round == 0 ? cpu : qMin(cpuMs, cpu);
    }
    std::printf("| %-36s | %7d | %9.1f | %9.1f | %9.0f | %8s | %8s |\n",
                "extract chat json (keep json)",
                int(kept),
                ms,
                cpuMs,
                items / (ms / 1000.0),
                "-",
                "-");
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const int items = argument(app.arguments(), u"--items"_s, 50000);
    const int rounds = argument(app.arguments(), u"--rounds"_s, 3);

    const QList<Case> cases = {
        {"chat, 200-char text", summarizeType(), 200, false, false, false},
        {"chat, 200-char text, from stored", summarizeType(), 200, false, true, false},
        {"chat, 200-char, stored, parallel", summarizeType(), 200, false, true, true},
        {"chat, 2 KB unicode+emoji text", summarizeType(), 2000, true, false, false},
        {"chat, 2 KB unicode, from stored", summarizeType(), 2000, true, true, false},
        {"chat, 2 KB unicode, stored, parallel", summarizeType(), 2000, true, true, true},
        {"chat, {{item}} whole payload", wholeItemType(), 200, false, false, false},
        {"embeddings, 200-char text", embedType(), 200, false, false, false},
    };
    std::printf("%d items, best of %d rounds; 'from stored' parses each payload from JSON text first; "
                "'parallel' uses %d threads\n\n",
                items,
                rounds,
                QThreadPool::globalInstance()->maxThreadCount());
    std::printf("| %-36s | %7s | %9s | %9s | %9s | %8s | %8s |\n",
                "case",
                "items",
                "wall ms",
                "cpu ms",
                "items/s",
                "MiB",
                "MiB/s");
    std::printf("|%s|%s|%s|%s|%s|%s|%s|\n",
                "--------------------------------------",
                "---------",
                "-----------",
                "-----------",
                "-----------",
                "----------",
                "----------");
    for (const Case& c : cases)
        run(c, items, rounds);
    runExtraction(items, rounds);
    return 0;
}
