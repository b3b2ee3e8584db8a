#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace batchdeck::faults {

// The campaign's figures: named counts in the order they were first met, grouped by scenario, and
// every violation with what was seen. Printed as one table at the end.
class CampaignTally
{
public:
    void add(const QString& scenario, const QString& figure, qint64 amount = 1);
    void set(const QString& scenario, const QString& figure, const QString& value);
    // Records a broken promise (a duplicate batch, a lost row, an illegal state, an unexpected answer).
    void violation(const QString& scenario, const QString& what);
    // Records a violation unless `holds`; returns `holds`.
    bool check(bool holds, const QString& scenario, const QString& what);

    int violations(const QString& scenario) const;
    QStringList violationTexts(const QString& scenario) const;
    // Scenario | figure | value, then the violations (or "violations 0").
    QString table() const;

private:
    struct Row
    {
        QString scenario;
        QString figure;
        QString value;
        qint64 count = 0;
        bool counted = false;
    };
    Row& row(const QString& scenario, const QString& figure);

    QList<Row> m_rows;
    QList<QPair<QString, QString>> m_violations;
};

} // namespace batchdeck::faults
