// The fault campaign (issue 7, part 2): batchdeck-cli and `batchdeck-cli serve` as real processes
// against a real simulator process and a real database, under SIGKILLs, provider faults, two servers
// on one database, a database that goes away, and a soak. Each slot counts what it did and every
// violation; the table is printed at the end. The normal test run takes the short scale; ./test.sh
// --faults sets BATCHDECK_FAULTS=full (README.md in this folder lists the figures).
#include <cstdio>

#include <QRandomGenerator>
#include <QTest>

#include "CampaignEnvironment.h"
#include "CampaignTally.h"
#include "CrashCampaign.h"
#include "DatabaseTrouble.h"
#include "FaultScale.h"
#include "ProviderFaultCampaign.h"
#include "ServerCampaign.h"
#include "TestDatabase.h"

using namespace batchdeck;
using namespace batchdeck::faults;

class FaultCampaignTest : public QObject
{
    Q_OBJECT

private:
    FaultScale m_scale = FaultScale::fromEnvironment();
    CampaignTally m_tally;
    quint32 m_seed = 0;

    void verifyClean(const QStringList& scenarios)
    {
        QStringList violations;
        for (const QString& scenario : scenarios) {
            for (const QString& what : m_tally.violationTexts(scenario))
                violations << scenario + QStringLiteral(": ") + what;
        }
        QVERIFY2(violations.isEmpty(), qPrintable(violations.mid(0, 20).join(u'\n')));
    }

    // A fresh world for a slot, with the simulator's phases `phaseMs` long.
    std::unique_ptr<CampaignEnvironment> environment(int phaseMs)
    {
        auto world = std::make_unique<CampaignEnvironment>();
        QString error;
        if (!world->start(&error, phaseMs))
            qFatal("%s", qPrintable(error));
        return world;
    }

private Q_SLOTS:
    void initTestCase()
    {
        bool given = false;
        m_seed = quint32(qEnvironmentVariableIntValue("BATCHDECK_FAULTS_SEED", &given));
        if (!given)
            m_seed = QRandomGenerator::global()->generate();
        std::printf("fault campaign: %s scale, %s, seed %u (BATCHDECK_FAULTS_SEED repeats the kill delays)\n",
                    m_scale.full ? "full" : "short",
                    test::usingPostgres() ? "PostgreSQL" : "SQLite",
                    m_seed);
        std::fflush(stdout);
    }

    void crashAtEveryStep()
    {
        auto world = environment(30);
        CrashCampaign campaign(*world, m_scale, m_tally, m_seed);
        campaign.runSubmit();
        campaign.runProcess();
        verifyClean({CrashCampaign::kSubmitScenario, CrashCampaign::kProcessScenario});
    }

    void providerFaults()
    {
        auto world = environment(100);
        runProviderFaultCampaign(*world, m_scale, m_tally);
        verifyClean({QLatin1String(kProviderScenario)});
    }

    void twoServersOneDatabase()
    {
        if (!test::usingPostgres())
            QSKIP("two servers share a PostgreSQL database: the pg variant runs this");
        auto world = environment(150);
        runTwoServerCampaign(*world, m_scale, m_tally);
        verifyClean({QLatin1String(kTwoServerScenario)});
    }

    void databaseTrouble()
    {
        if (test::usingPostgres()) {
            runPostgresRestart(m_scale, m_tally);
            verifyClean({QLatin1String(kPostgresRestartScenario)});
        } else {
            auto world = environment(100);
            runSqliteLocked(*world, m_tally);
            verifyClean({QLatin1String(kSqliteLockedScenario)});
        }
    }

    void soak()
    {
        auto world = environment(600'000); // the batch stays in progress: sensors polling a running job
        runSoak(*world, m_scale, m_tally);
        verifyClean({QLatin1String(kSoakScenario)});
    }

    void cleanupTestCase()
    {
        std::printf("\n==== fault campaign figures (%s, %s scale) ====%s\n",
                    test::usingPostgres() ? "PostgreSQL" : "SQLite",
                    m_scale.full ? "full" : "short",
                    qPrintable(m_tally.table()));
        std::fflush(stdout);
    }
};

QTEST_GUILESS_MAIN(FaultCampaignTest)
#include "tst_faults.moc"
