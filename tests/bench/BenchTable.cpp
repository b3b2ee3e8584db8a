#include "BenchTable.h"

#include <algorithm>

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QMap>
#include <QSysInfo>
#include <QThread>

namespace batchdeck::bench {

namespace {

QString number(double value, const QString& unit)
{
    if (unit == QStringLiteral("MB"))
        return QString::number(value, 'f', 1);
    return QString::number(value, 'f', value < 10 ? 3 : 2);
}

QString cell(const Samples& samples, const QString& unit)
{
    if (samples.isEmpty())
        return QStringLiteral("-");
    return QStringLiteral("%1 [%2-%3]")
        .arg(number(samples.median(), unit), number(samples.min(), unit), number(samples.max(), unit));
}

QString padded(const QString& text, int width)
{
    return text.leftJustified(width, QLatin1Char(' '));
}

QString cpuModel()
{
    QFile file(QStringLiteral("/proc/cpuinfo"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    // Some virtual machines show no "model name": vendor, family and model then.
    // /proc files claim a size of 0, so QFile::atEnd() is no guide: read all, then split.
    QMap<QByteArray, QByteArray> fields;
    for (const QByteArray& line : file.readAll().split('\n')) {
        if (line.trimmed().isEmpty())
            break; // the first processor is enough
        const qsizetype colon = line.indexOf(':');
        fields.insert(line.left(colon).trimmed(), line.mid(colon + 1).trimmed());
    }
    if (fields.contains("model name"))
        return QString::fromUtf8(fields.value("model name"));
    return QStringLiteral("%1 family %2 model %3")
        .arg(QString::fromUtf8(fields.value("vendor_id")),
             QString::fromUtf8(fields.value("cpu family")),
             QString::fromUtf8(fields.value("model")));
}

} // namespace

double Samples::median() const
{
    if (values.isEmpty())
        return 0;
    QList<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const qsizetype middle = sorted.size() / 2;
    return sorted.size() % 2 ? sorted.at(middle) : (sorted.at(middle - 1) + sorted.at(middle)) / 2;
}

double Samples::min() const
{
    return values.isEmpty() ? 0 : *std::min_element(values.begin(), values.end());
}

double Samples::max() const
{
    return values.isEmpty() ? 0 : *std::max_element(values.begin(), values.end());
}

QJsonObject Samples::toJson() const
{
    if (values.isEmpty())
        return {};
    QJsonArray all;
    for (double value : values)
        all.append(value);
    return QJsonObject{{QStringLiteral("median"), median()},
                       {QStringLiteral("min"), min()},
                       {QStringLiteral("max"), max()},
                       {QStringLiteral("samples"), all}};
}

std::optional<double> Figure::ratio() const
{
    if (ours.isEmpty() || peer.isEmpty() || ours.median() <= 0)
        return std::nullopt;
    return peer.median() / ours.median();
}

std::optional<bool> Figure::met() const
{
    switch (goal) {
    case Goal::None:
        return std::nullopt;
    case Goal::FasterThanPeer: {
        const auto r = ratio();
        return r ? std::optional<bool>(*r >= goalValue) : std::nullopt;
    }
    case Goal::AtMost:
        return ours.isEmpty() ? std::nullopt : std::optional<bool>(ours.median() <= goalValue);
    }
    return std::nullopt;
}

QString Figure::targetText() const
{
    switch (goal) {
    case Goal::None:
        return {};
    case Goal::FasterThanPeer:
        return QStringLiteral(">= %1x").arg(goalValue);
    case Goal::AtMost:
        return QStringLiteral("<= %1 %2").arg(goalValue).arg(unit);
    }
    return {};
}

QString Report::table() const
{
    const QStringList headers{QStringLiteral("figure"),
                              QStringLiteral("ours: median [min-max]"),
                              QStringLiteral("peer: median [min-max]"),
                              QStringLiteral("peer/ours"),
                              QStringLiteral("target"),
                              QStringLiteral("met")};
    QList<QStringList> rows;
    for (const Figure& figure : figures) {
        const auto r = figure.ratio();
        const auto ok = figure.met();
        rows.append({figure.label + QStringLiteral(" (") + figure.unit + QLatin1Char(')'),
                     cell(figure.ours, figure.unit),
                     cell(figure.peer, figure.unit),
                     r ? QString::number(*r, 'f', 1) + QLatin1Char('x') : QStringLiteral("-"),
                     figure.targetText(),
                     ok ? (*ok ? QStringLiteral("yes") : QStringLiteral("NO")) : QString()});
    }
    QList<int> widths;
    for (qsizetype column = 0; column < headers.size(); ++column) {
        int width = int(headers.at(column).size());
        for (const QStringList& row : std::as_const(rows))
            width = qMax(width, int(row.at(column).size()));
        widths.append(width);
    }
    auto line = [&](const QStringList& cells) -> QString {
        QString text;
        for (qsizetype column = 0; column < cells.size(); ++column)
            text += padded(cells.at(column), widths.at(column)) + QStringLiteral("  ");
        return text.trimmed() + QLatin1Char('\n');
    };

    QString text = title + QLatin1Char('\n');
    for (auto it = setup.begin(); it != setup.end(); ++it) {
        const QJsonValue value = it.value();
        QString shown = value.isDouble() ? QString::number(value.toDouble()) : value.toString();
        if (value.isBool())
            shown = value.toBool() ? QStringLiteral("yes") : QStringLiteral("no");
        text += QStringLiteral("  %1: %2\n").arg(it.key(), shown);
    }
    text += QLatin1Char('\n') + line(headers);
    int total = 0;
    for (int width : std::as_const(widths))
        total += width + 2;
    text += QString(total - 2, QLatin1Char('-')) + QLatin1Char('\n');
    for (const QStringList& row : std::as_const(rows))
        text += line(row);
    bool first = true;
    for (const Figure& figure : figures) {
        if (figure.note.isEmpty())
            continue;
        if (first)
            text += QLatin1Char('\n');
        first = false;
        text += QStringLiteral("  %1: %2\n").arg(figure.label, figure.note);
    }
    return text;
}

QJsonObject Report::toJson() const
{
    QJsonArray rows;
    for (const Figure& figure : figures) {
        QJsonObject row{{QStringLiteral("key"), figure.key},
                        {QStringLiteral("figure"), figure.label},
                        {QStringLiteral("unit"), figure.unit},
                        {QStringLiteral("ours"), figure.ours.toJson()},
                        {QStringLiteral("peer"), figure.peer.toJson()},
                        {QStringLiteral("target"), figure.targetText()}};
        if (const auto r = figure.ratio())
            row.insert(QStringLiteral("peer_over_ours"), *r);
        if (const auto ok = figure.met())
            row.insert(QStringLiteral("met"), *ok);
        if (!figure.note.isEmpty())
            row.insert(QStringLiteral("note"), figure.note);
        rows.append(row);
    }
    return QJsonObject{
        {QStringLiteral("title"), title}, {QStringLiteral("setup"), setup}, {QStringLiteral("figures"), rows}};
}

QJsonObject machineDescription()
{
    return QJsonObject{
        {QStringLiteral("cores"), QThread::idealThreadCount()},
        {QStringLiteral("cpu"), cpuModel()},
        {QStringLiteral("kernel"), QString(QSysInfo::kernelType() + QLatin1Char(' ') + QSysInfo::kernelVersion())},
        {QStringLiteral("os"), QSysInfo::prettyProductName()},
        {QStringLiteral("date"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)},
    };
}

} // namespace batchdeck::bench
