#pragma once

#include <optional>

#include <QJsonObject>
#include <QList>
#include <QString>

namespace batchdeck::bench {

// The repeated measurements of one figure on one side (ours or the peer's).
struct Samples
{
    QList<double> values;

    bool isEmpty() const { return values.isEmpty(); }
    double median() const;
    double min() const;
    double max() const;
    QJsonObject toJson() const; // {"median", "min", "max", "samples": [...]}, or {} when empty
};

// One row of the report. Time figures are better when lower; `peerOverOurs` ratios say how many
// times faster (or leaner) we are than the peer.
struct Figure
{
    enum class Goal
    {
        None,
        FasterThanPeer, // peer median / our median >= goal
        AtMost,         // our median <= goal
    };

    QString key;   // for the JSON report: "submit_50k", ...
    QString label; // for the table
    QString unit;  // "s", "MB"
    Samples ours;
    Samples peer;
    Goal goal = Goal::None;
    double goalValue = 0;
    QString note; // a short remark printed under the table

    std::optional<double> ratio() const; // peer median / our median
    std::optional<bool> met() const;     // empty when the figure has no goal or no data
    QString targetText() const;          // "≥ 8×", "≤ 150 MB", ""
};

struct Report
{
    QString title;
    QJsonObject setup; // machine and parameters, printed in the header and kept in the JSON
    QList<Figure> figures;

    QString table() const;
    QJsonObject toJson() const;
};

// Cores, CPU model and kernel of this machine, for the header.
QJsonObject machineDescription();

} // namespace batchdeck::bench
