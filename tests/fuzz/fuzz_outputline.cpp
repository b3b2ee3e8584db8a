// Fuzz target for reading provider output and error files: one input is one line, read under every
// endpoint and keep mode. Nothing may crash; every line gives a result with a key; and, the
// differential check, whenever the byte-level fast path (OutputLineFastPath) takes a line, its result
// must equal the Qt parser's field for field, since parseOutputLine picks the fast one silently.
#include <cstdint>
#include <cstdio>

#include <QByteArrayView>

#include "FuzzCheck.h"
#include "service/OutputLineFastPath.h"
#include "service/OutputLineParser.h"

using namespace batchdeck;

namespace {

void printResult(const char* label, const BatchResult& result)
{
    std::fprintf(stderr,
                 "%s: custom_id=%s ok=%d status=%d content=%s parsed=%s error=%s/%s line=%lld tokens=%lld/%lld/%lld "
                 "attempt=%d\n",
                 label,
                 qPrintable(result.customId),
                 int(result.ok),
                 result.statusCode,
                 qPrintable(result.content),
                 qPrintable(result.parsedJson),
                 qPrintable(result.errorCode),
                 qPrintable(result.errorMessage),
                 static_cast<long long>(result.lineNumber),
                 static_cast<long long>(result.inputTokens),
                 static_cast<long long>(result.outputTokens),
                 static_cast<long long>(result.totalTokens),
                 result.attempt);
}

bool same(const BatchResult& a, const BatchResult& b)
{
    return a.customId == b.customId && a.ok == b.ok && a.statusCode == b.statusCode && a.content == b.content &&
           a.parsedJson == b.parsedJson && a.errorCode == b.errorCode && a.errorMessage == b.errorMessage &&
           a.lineNumber == b.lineNumber && a.inputTokens == b.inputTokens && a.outputTokens == b.outputTokens &&
           a.totalTokens == b.totalTokens && a.attempt == b.attempt;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // A view of libFuzzer's own buffer, which ends exactly after the input: a read past the line's end
    // is a heap overflow that ASan reports (a QByteArray copy would end in a NUL and hide it).
    const QByteArrayView line(reinterpret_cast<const char*>(data), qsizetype(size));
    constexpr qint64 kLine = 7;
    for (Endpoint endpoint :
         {Endpoint::ChatCompletions, Endpoint::Completions, Endpoint::Responses, Endpoint::Embeddings}) {
        for (KeepMode keep : {KeepMode::Text, KeepMode::Json, KeepMode::Raw}) {
            const OutputLineContext context{endpoint, keep, 2, QStringLiteral("output")};
            const BatchResult slow = parseOutputLineWithQt(line, kLine, context);
            fuzzCheck(!slow.customId.isEmpty(), "every line gives a result with a key");
            fuzzCheck(slow.lineNumber == kLine && slow.attempt == 2, "the result keeps its line and attempt");
            fuzzCheck(slow.ok || !slow.errorCode.isEmpty(), "a failed result has an error code");
            if (const std::optional<BatchResult> fast = parseOutputLineFast(line, kLine, context)) {
                if (!same(*fast, slow)) {
                    std::fprintf(stderr, "endpoint %d keep %d\n", int(endpoint), int(keep));
                    printResult("fast", *fast);
                    printResult("qt  ", slow);
                    fuzzCheck(false, "the fast path's result equals the Qt parser's");
                }
            }
        }
    }
    return 0;
}
