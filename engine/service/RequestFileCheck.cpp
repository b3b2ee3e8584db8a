#include "RequestFileCheck.h"

#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include "batchtypes/Endpoint.h"

namespace batchdeck {

namespace {

constexpr qsizetype kMaxCustomIdLength = 512;

class ProblemList
{
public:
    explicit ProblemList(RequestFileReport& report)
        : m_report(report)
    {}

    void add(qint64 line, const QString& message)
    {
        ++m_report.problemCount;
        if (m_report.problems.size() < RequestFileReport::kMaxReportedProblems)
            m_report.problems.append({line, message});
    }

private:
    RequestFileReport& m_report;
};

// The problems of one line, in the order an operator fixes them.
void checkLine(const QByteArray& text,
               qint64 line,
               RequestFileReport& report,
               QHash<QString, qint64>& firstLineOf,
               ProblemList& problems)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        problems.add(
            line,
            QStringLiteral("not JSON (%1 at character %2)").arg(parseError.errorString()).arg(parseError.offset + 1));
        return;
    }
    if (!document.isObject()) {
        problems.add(line, QStringLiteral("not a JSON object"));
        return;
    }
    const QJsonObject request = document.object();
    const QJsonValue customId = request.value(QLatin1String("custom_id"));
    if (!customId.isString() || customId.toString().isEmpty()) {
        problems.add(line, QStringLiteral("custom_id must be a non-empty string"));
    } else if (customId.toString().size() > kMaxCustomIdLength) {
        problems.add(line, QStringLiteral("custom_id is longer than %1 characters").arg(kMaxCustomIdLength));
    } else {
        const auto first = firstLineOf.constFind(customId.toString());
        if (first == firstLineOf.constEnd())
            firstLineOf.insert(customId.toString(), line);
        else
            problems.add(line,
                         QStringLiteral("custom_id '%1' is used again (first on line %2)")
                             .arg(customId.toString())
                             .arg(first.value()));
    }
    if (request.value(QLatin1String("method")).toString() != u"POST")
        problems.add(line, QStringLiteral("method must be \"POST\""));
    const QJsonValue url = request.value(QLatin1String("url"));
    if (!url.isString() || !endpointFromPath(url.toString())) {
        problems.add(line, QStringLiteral("url must be one of %1").arg(allEndpointPaths().join(QStringLiteral(", "))));
    } else if (report.url.isEmpty()) {
        report.url = url.toString();
    } else if (url.toString() != report.url) {
        problems.add(line,
                     QStringLiteral("url %1 differs from %2 of the lines before: a batch has one endpoint")
                         .arg(url.toString(), report.url));
    }
    if (!request.value(QLatin1String("body")).isObject())
        problems.add(line, QStringLiteral("body must be a JSON object"));
}

} // namespace

QString RequestFileReport::summary(int maxLines) const
{
    QStringList lines;
    for (const RequestLineProblem& problem : problems) {
        if (lines.size() == maxLines)
            break;
        lines.append(QStringLiteral("line %1: %2").arg(problem.line).arg(problem.message));
    }
    if (problemCount > lines.size())
        lines.append(QStringLiteral("(and %1 more)").arg(problemCount - lines.size()));
    return lines.join(u'\n');
}

Result<RequestFileReport>
checkRequestFile(const QString& path, const RequestFileLimits& limits, int keepFirstLines, const QString& copyTo)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorKind::Io, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    QFile copy(copyTo);
    if (!copyTo.isEmpty() && !copy.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return makeError(ErrorKind::Io, QStringLiteral("cannot write %1: %2").arg(copyTo, copy.errorString()));

    RequestFileReport report;
    ProblemList problems(report);
    QHash<QString, qint64> firstLineOf;
    qint64 line = 0;
    qint64 blankLine = 0; // a blank line is only wrong when more lines follow it
    while (!file.atEnd()) {
        QByteArray text = file.readLine();
        ++line;
        report.bytes += text.size();
        if (text.endsWith('\n'))
            text.chop(1);
        if (text.endsWith('\r'))
            text.chop(1);
        if (line == 1 && text.startsWith("\xEF\xBB\xBF"))
            text.remove(0, 3);
        if (text.trimmed().isEmpty()) {
            if (blankLine == 0)
                blankLine = line;
            continue;
        }
        if (blankLine != 0) {
            problems.add(blankLine, QStringLiteral("blank line: every line must be a request"));
            blankLine = 0;
        }
        ++report.requests;
        if (report.firstLines.size() < keepFirstLines)
            report.firstLines.append(text);
        checkLine(text, line, report, firstLineOf, problems);
        if (copy.isOpen() && (copy.write(text) != text.size() || !copy.putChar('\n')))
            return makeError(ErrorKind::Io, QStringLiteral("cannot write %1: %2").arg(copyTo, copy.errorString()));
    }
    if (report.requests == 0)
        problems.add(1, QStringLiteral("the file holds no requests"));
    if (report.requests > limits.maxRequests)
        problems.add(line,
                     QStringLiteral("%1 requests: the provider takes at most %2 per batch")
                         .arg(report.requests)
                         .arg(limits.maxRequests));
    if (report.bytes > limits.maxBytes)
        problems.add(
            line,
            QStringLiteral("%1 bytes: the provider takes at most %2 per file").arg(report.bytes).arg(limits.maxBytes));
    if (copy.isOpen() && !copy.flush())
        return makeError(ErrorKind::Io, QStringLiteral("cannot write %1: %2").arg(copyTo, copy.errorString()));
    return report;
}

} // namespace batchdeck
