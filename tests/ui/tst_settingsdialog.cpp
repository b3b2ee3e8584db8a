// The settings dialog and its facade, driven through real widgets over a temporary settings file:
// values persisted, the key never written to the file (and a keychain that does not answer said in
// the dialog), the database connection test off the GUI thread on the backend named by
// BATCHDECK_TEST_BACKEND, and the window's Settings action applying the poll interval.
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTest>

#include "ConsoleFixtures.h"
#include "ConsoleNotifications.h"
#include "ConsoleSettings.h"
#include "DatabaseSettingsPage.h"
#include "JobNotifier.h"
#include "MainWindow.h"
#include "PollController.h"
#include "SecretStore.h"
#include "SettingsDialog.h"
#include "SettingsLauncher.h"
#include "TestDatabase.h"
#include "store/Database.h"

using namespace batchdeck;

namespace {

const QString kSecret = QStringLiteral("sk-test-NEVER-IN-THE-FILE-8d1c");

QByteArray fileText(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void clickOk(SettingsDialog& dialog)
{
    QTest::mouseClick(dialog.buttons()->button(QDialogButtonBox::Ok), Qt::LeftButton);
}

} // namespace

class SettingsDialogTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<QSettings> m_settings;
    // A keychain service of the test's own, so a desktop keychain (if any) is not touched.
    SecretStore m_secrets{QStringLiteral("batchdeck-test-%1").arg(QCoreApplication::applicationPid())};

private Q_SLOTS:
    void init()
    {
        m_path = m_dir.filePath(QStringLiteral("console.ini"));
        QFile::remove(m_path);
        m_settings = std::make_unique<QSettings>(m_path, QSettings::IniFormat);
    }

    void cleanup() { m_settings.reset(); }

    void theFacadeRoundTripsEveryValue()
    {
        ConsoleSettings values;
        values.providerKind = ConsoleSettings::ProviderKind::Azure;
        values.azureEndpoint = QStringLiteral("https://res.openai.azure.com");
        values.azureApiVersion = QStringLiteral("2024-10-21");
        values.keySource = ConsoleSettings::KeySource::Keychain;
        values.databaseUrl = QStringLiteral("postgresql://u@db:5432/jobs");
        values.pollIntervalSeconds = 15;
        values.stuckAfterMinutes = 45;
        values.serverEnabled = true;
        values.serverAddress = QStringLiteral("0.0.0.0");
        values.serverPort = 9090;
        values.serverTokenInKeychain = true;
        values.language = QStringLiteral("pt_BR");
        values.save(*m_settings);
        QSettings reread(m_path, QSettings::IniFormat);
        QVERIFY(ConsoleSettings::load(reread) == values);
        // Defaults when the file is empty.
        QFile::remove(m_path);
        QSettings empty(m_path, QSettings::IniFormat);
        QVERIFY(ConsoleSettings::load(empty) == ConsoleSettings());
    }

    void theDialogSavesWhatTheOperatorChose()
    {
        SettingsDialog dialog(*m_settings, m_secrets, QProcessEnvironment());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.providerBox()->setCurrentIndex(
            dialog.providerBox()->findData(int(ConsoleSettings::ProviderKind::Compatible)));
        QVERIFY(dialog.baseUrlEdit()->isVisible());
        QVERIFY(!dialog.azureEndpointEdit()->isVisible());
        QTest::keyClicks(dialog.baseUrlEdit(), QStringLiteral("http://localhost:8000/v1"));
        dialog.tabs()->setCurrentIndex(SettingsDialog::DatabasePage);
        dialog.databasePage()->postgresButton()->click();
        QTest::keyClicks(dialog.databasePage()->postgresEdit(), QStringLiteral("postgresql://ops@db.internal/jobs"));
        dialog.tabs()->setCurrentIndex(SettingsDialog::ServerPage);
        QTest::mouseClick(dialog.serverBox(), Qt::LeftButton);
        dialog.serverPortBox()->setValue(9191);
        dialog.tabs()->setCurrentIndex(SettingsDialog::GeneralPage);
        dialog.intervalBox()->setCurrentIndex(dialog.intervalBox()->findData(15));
        dialog.languageBox()->setCurrentIndex(dialog.languageBox()->findData(QStringLiteral("pt_BR")));

        QSignalSpy saved(&dialog, &SettingsDialog::settingsSaved);
        clickOk(dialog);
        QCOMPARE(saved.count(), 1);
        QVERIFY(!dialog.isVisible());

        QSettings reread(m_path, QSettings::IniFormat);
        const ConsoleSettings values = ConsoleSettings::load(reread);
        QCOMPARE(values.providerKind, ConsoleSettings::ProviderKind::Compatible);
        QCOMPARE(values.providerBaseUrl, QStringLiteral("http://localhost:8000/v1"));
        QCOMPARE(values.keySource, ConsoleSettings::KeySource::Environment);
        QCOMPARE(values.databaseUrl, QStringLiteral("postgresql://ops@db.internal/jobs"));
        QVERIFY(values.serverEnabled);
        QCOMPARE(values.serverPort, 9191);
        QCOMPARE(values.pollIntervalSeconds, 15);
        QCOMPARE(values.language, QStringLiteral("pt_BR"));

        // Opened again, it shows what was saved.
        SettingsDialog again(*m_settings, m_secrets, QProcessEnvironment());
        QCOMPARE(again.baseUrlEdit()->text(), QStringLiteral("http://localhost:8000/v1"));
        QVERIFY(again.databasePage()->postgresButton()->isChecked());
        QCOMPARE(again.intervalBox()->currentData().toInt(), 15);
        QCOMPARE(again.languageBox()->currentData().toString(), QStringLiteral("pt_BR"));
    }

    void wrongValuesKeepTheDialogOpenOnTheirPage()
    {
        SettingsDialog dialog(*m_settings, m_secrets, QProcessEnvironment());
        dialog.show();
        dialog.providerBox()->setCurrentIndex(
            dialog.providerBox()->findData(int(ConsoleSettings::ProviderKind::Compatible)));
        QTest::keyClicks(dialog.baseUrlEdit(), QStringLiteral("localhost:8000"));
        dialog.tabs()->setCurrentIndex(SettingsDialog::GeneralPage);
        clickOk(dialog);
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.tabs()->currentIndex(), int(SettingsDialog::ProviderPage));
        QVERIFY(dialog.messageLabel()->text().contains(QStringLiteral("http://")));
        QVERIFY(!QFile::exists(m_path) || !fileText(m_path).contains("compatible"));

        // A server on every interface without a token would be open to anyone.
        dialog.baseUrlEdit()->setText(QStringLiteral("http://localhost:8000/v1"));
        QTest::mouseClick(dialog.serverBox(), Qt::LeftButton);
        dialog.serverAddressEdit()->setText(QStringLiteral("0.0.0.0"));
        clickOk(dialog);
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.tabs()->currentIndex(), int(SettingsDialog::ServerPage));
        QVERIFY(dialog.messageLabel()->text().contains(QStringLiteral("token")));
    }

    // The key goes to the keychain or nowhere. On a machine without a keychain (CI, a server) the
    // write fails: the dialog says so, stays open and saves nothing.
    void theKeyIsNeverWrittenToTheSettingsFile()
    {
        SettingsDialog dialog(*m_settings, m_secrets, QProcessEnvironment());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.keyInKeychainButton()->click();
        QVERIFY(dialog.keyEdit()->isEnabled());
        QCOMPARE(dialog.keyEdit()->echoMode(), QLineEdit::Password);
        QTest::keyClicks(dialog.keyEdit(), kSecret);
        QSignalSpy saved(&dialog, &SettingsDialog::settingsSaved);
        QSignalSpy failed(&dialog, &SettingsDialog::secretsFailed);
        clickOk(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(saved.count() + failed.count() == 1, 30'000);

        m_settings->sync();
        QVERIFY(!fileText(m_path).contains(kSecret.toUtf8()));
        if (failed.count() == 1) {
            qInfo().noquote() << "no keychain here:" << dialog.messageLabel()->text();
            QVERIFY(dialog.isVisible());
            QVERIFY(dialog.messageLabel()->isVisible());
            QVERIFY(dialog.messageLabel()->text().contains(QStringLiteral("keychain")));
            QVERIFY(dialog.messageLabel()->text().contains(QStringLiteral("OPENAI_API_KEY")));
            QVERIFY(!fileText(m_path).contains("keychain"));
            QVERIFY(dialog.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
            // The operator takes the advice: the key from the environment, and the rest saves.
            dialog.keyFromEnvironmentButton()->click();
            clickOk(dialog);
            QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 30'000);
            QVERIFY(!fileText(m_path).contains(kSecret.toUtf8()));
        } else {
            // A desktop with a keychain: the key is there, and still not in the file.
            bool gone = false;
            m_secrets.remove(ConsoleSettings::kProviderKeyName, this, [&gone](Status) { gone = true; });
            QTRY_VERIFY(gone);
        }
    }

    void theConnectionTestAnswersOffTheGuiThread()
    {
        const QString url = test::freshDatabaseUrl(m_dir);
        QVERIFY2(!url.isEmpty(), "BATCHDECK_TEST_PG_URL is not set: run the PostgreSQL tests through ./test.sh");
        SettingsDialog dialog(*m_settings, m_secrets, QProcessEnvironment());
        dialog.show();
        DatabaseSettingsPage* page = dialog.databasePage();
        page->setUrl(url);

        // Nothing there yet: a SQLite file is not created by testing; a fresh PostgreSQL schema has no tables.
        QSignalSpy tested(page, &DatabaseSettingsPage::connectionTested);
        QTest::mouseClick(page->testButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 30'000);
        QCOMPARE(tested.at(0).at(0).toBool(), true);
        if (!test::usingPostgres())
            QVERIFY(!QFile::exists(url.mid(QStringLiteral("sqlite://").size())));

        // A Batchdeck database: the click returns at once ("Connecting…"); the answer comes later.
        auto db = Database::open(url);
        QVERIFY(db.ok());
        tested.clear();
        QTest::mouseClick(page->testButton(), Qt::LeftButton);
        QCOMPARE(page->resultLabel()->text(), QStringLiteral("Connecting…"));
        QVERIFY(!page->testButton()->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 30'000);
        QCOMPARE(tested.at(0).at(0).toBool(), true);
        QVERIFY(page->resultLabel()->text().contains(QString::number(Database::latestSchemaVersion())));
        QVERIFY(page->testButton()->isEnabled());

        // Nobody listens there.
        page->setUrl(QStringLiteral("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2"));
        tested.clear();
        QTest::mouseClick(page->testButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 30'000);
        QCOMPARE(tested.at(0).at(0).toBool(), false);
        QVERIFY(page->resultLabel()->text().startsWith(QStringLiteral("Cannot connect")));
        QVERIFY(!page->resultLabel()->text().contains(QStringLiteral("secret")));
    }

    void theWindowsSettingsActionAppliesTheInterval()
    {
        auto db = Database::open(QStringLiteral("sqlite::memory:"));
        QVERIFY(db.ok());
        m_settings->setValue(QStringLiteral("poll/intervalSeconds"), 0);
        PollController poll(*db, *m_settings);
        MainWindow window(ConsoleContext{*db, QStringLiteral("memory"), false}, poll, *m_settings);
        ConsoleNotifications notifications(window, poll, ConsoleNotifications::Presenter::Banner);
        SettingsLauncher launcher(window, poll, *notifications.notifier(), *m_settings, m_secrets);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        auto* action = window.findChild<QAction*>(QStringLiteral("settingsAction"));
        QVERIFY(action);
        action->trigger();
        QPointer<SettingsDialog> dialog = launcher.dialog();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        dialog->tabs()->setCurrentIndex(SettingsDialog::GeneralPage);
        dialog->intervalBox()->setCurrentIndex(dialog->intervalBox()->findData(15));
        dialog->stuckAfterBox()->setValue(90);
        clickOk(*dialog);
        QCOMPARE(poll.intervalSeconds(), 15);
        QCOMPARE(window.intervalBox()->currentData().toInt(), 15);
        QCOMPARE(notifications.notifier()->stuckAfterMs(), 90 * 60'000);
        QTRY_VERIFY(!dialog); // closed and deleted
    }
};

QTEST_MAIN(SettingsDialogTest)
#include "tst_settingsdialog.moc"
