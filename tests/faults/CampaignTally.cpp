#include "CampaignTally.h"

namespace batchdeck::faults {

CampaignTally::Row& CampaignTally::row(const QString& scenario, const QString& figure)
{
    for (Row& existing : m_rows) {
        if (existing.scenario == scenario && existing.figure == figure)
            return existing;
    }
    m_rows.append(Row{scenario, figure, {}, 0, false});
    return m_rows.last();
}

void CampaignTally::add(const QString& scenario, const QString& figure, qint64 amount)
{
    Row& entry = row(scenario, figure);
    entry.counted = true;
    entry.count += amount;
}

void CampaignTally::set(const QString& scenario, const QString& figure, const QString& value)
{
    row(scenario, figure).value = value;
}

void CampaignTally::violation(const QString& scenario, const QString& what)
{
    m_violations.append({scenario, what});
}

bool CampaignTally::check(bool holds, const QString& scenario, const QString& what)
{
    if (!holds)
        violation(scenario, what);
    return holds;
}

int CampaignTally::violations(const QString& scenario) const
{
    int count = 0;
    for (const auto& [where, what] : m_violations)
        count += where == scenario;
    return count;
}

QStringList CampaignTally::violationTexts(const QString& scenario) const
{
    QStringList texts;
    for (const auto& [where, what] : m_violations) {
        if (where == scenario)
            texts << what;
    }
    return texts;
}

QString CampaignTally::table() const
{
    QStringList scenarios;
    for (const Row& entry : m_rows) {
        if (!scenarios.contains(entry.scenario))
            scenarios << entry.scenario;
    }
    for (const auto& [where, what] : m_violations) {
        if (!scenarios.contains(where))
            scenarios << where;
    }
    qsizetype figureWidth = 10;
    for (const Row& entry : m_rows)
        figureWidth = std::max(figureWidth, entry.figure.size());
    QString text;
    for (const QString& scenario : std::as_const(scenarios)) {
        text += u'\n' + scenario + u'\n';
        for (const Row& entry : m_rows) {
            if (entry.scenario != scenario)
                continue;
            const QString value = entry.counted ? QString::number(entry.count) + entry.value : entry.value;
            text += QStringLiteral("  %1  %2\n").arg(entry.figure, -int(figureWidth)).arg(value);
        }
        text +=
            QStringLiteral("  %1  %2\n").arg(QStringLiteral("violations"), -int(figureWidth)).arg(violations(scenario));
        for (const QString& what : violationTexts(scenario))
            text += QStringLiteral("    ! ") + what + u'\n';
    }
    return text;
}

} // namespace batchdeck::faults
