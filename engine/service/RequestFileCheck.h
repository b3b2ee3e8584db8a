#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include "core/Result.h"

namespace batchdeck {

// One thing wrong with one line of a ready request file.
struct RequestLineProblem
{
    qint64 line = 0; // 1-based
    QString message;
};

struct RequestFileLimits
{
    qint64 maxRequests = 50'000;
    qint64 maxBytes = 200LL * 1024 * 1024;
};

// What a ready request file holds, as far as a read line by line can tell.
struct RequestFileReport
{
    qint64 requests = 0;
    qint64 bytes = 0;
    QString url;                        // the endpoint of the lines (of the first line that has one)
    QList<RequestLineProblem> problems; // at most kMaxReportedProblems, in line order
    qint64 problemCount = 0;            // every problem, also those not listed
    QList<QByteArray> firstLines;       // up to the number asked for, as in the file

    static constexpr int kMaxReportedProblems = 100;

    bool ok() const { return problemCount == 0; }
    // "line 3: custom_id 'a' is used again (first on line 1)"; the first few problems, one a line.
    QString summary(int maxLines = 5) const;
};

// Checks a ready .jsonl request file before anything is uploaded, streaming it (never the whole file
// in memory): every line one JSON object with a non-empty string `custom_id` used once in the file,
// `method` "POST", `url` a batch endpoint the same on every line, and an object `body`; no blank
// lines; within the provider's limits. When `copyTo` is set the lines are also written there as
// read (the service submits the copy, so the operator's file may change meanwhile). Errors are only
// for what stops the read (the file cannot be opened or written); problems of the content are in
// the report.
Result<RequestFileReport> checkRequestFile(const QString& path,
                                           const RequestFileLimits& limits = {},
                                           int keepFirstLines = 0,
                                           const QString& copyTo = {});

} // namespace batchdeck
