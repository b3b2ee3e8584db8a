// The Portuguese translation is built into the program, loads for pt_BR (as the settings choose it or
// the system locale), and its longer words fit: no label or button of the settings dialog or the
// window is narrower than its text. check_translations checks that no entry is unfinished.
#include <QAbstractButton>
#include <QApplication>
#include <QLabel>
#include <QSettings>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>

#include "MainWindow.h"
#include "PollController.h"
#include "SettingsDialog.h"
#include "Translations.h"
#include "store/Database.h"

using namespace batchdeck;

namespace {

// Widgets whose text does not fit their width, by class and text.
QStringList cutTexts(QWidget& top)
{
    QStringList cut;
    for (QLabel* label : top.findChildren<QLabel*>()) {
        if (!label->isVisible() || label->wordWrap() || label->text().isEmpty() || !label->pixmap().isNull())
            continue;
        if (label->width() < label->fontMetrics().horizontalAdvance(label->text()))
            cut << QStringLiteral("QLabel '%1' (%2 < %3)")
                       .arg(label->text())
                       .arg(label->width())
                       .arg(label->fontMetrics().horizontalAdvance(label->text()));
    }
    for (QAbstractButton* button : top.findChildren<QAbstractButton*>()) {
        if (!button->isVisible() || button->text().isEmpty())
            continue;
        if (button->width() < button->minimumSizeHint().width())
            cut << QStringLiteral("%1 '%2' (%3 < %4)")
                       .arg(QString::fromLatin1(button->metaObject()->className()), button->text())
                       .arg(button->width())
                       .arg(button->minimumSizeHint().width());
    }
    return cut;
}

} // namespace

class TranslationsTest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QCOMPARE(installTranslations(*qApp, QStringLiteral("pt_BR")), QStringLiteral("pt_BR")); }

    void portugueseIsLoaded()
    {
        QCOMPARE(translatedLanguages(), QStringList{QStringLiteral("pt_BR")});
        QCOMPARE(QCoreApplication::translate("batchdeck::MainWindow", "Refresh"), QStringLiteral("Atualizar"));
        QCOMPARE(QCoreApplication::translate("batchdeck::SettingsDialog", "Provider"), QStringLiteral("Provedor"));
    }

    void theSettingsDialogFitsItsWords()
    {
        QSettings settings(m_dir.filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
        SettingsDialog dialog(settings, SecretStore(QStringLiteral("batchdeck-test")), QProcessEnvironment());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.tabs()->tabText(SettingsDialog::ProviderPage), QStringLiteral("Provedor"));
        QStringList cut;
        for (int page = 0; page < dialog.tabs()->count(); ++page) {
            dialog.tabs()->setCurrentIndex(page);
            QApplication::processEvents();
            cut << cutTexts(dialog);
        }
        QVERIFY2(cut.isEmpty(), qPrintable(cut.join(u'\n')));
    }

    void theWindowFitsItsWords()
    {
        auto db = Database::open(QStringLiteral("sqlite::memory:"));
        QVERIFY(db.ok());
        QSettings settings(m_dir.filePath(QStringLiteral("window.ini")), QSettings::IniFormat);
        PollController poll(*db, settings);
        MainWindow window(ConsoleContext{*db, QStringLiteral("sqlite::memory:"), true}, poll, settings);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QStringList cut = cutTexts(window);
        QVERIFY2(cut.isEmpty(), qPrintable(cut.join(u'\n')));
    }
};

QTEST_MAIN(TranslationsTest)
#include "tst_translations.moc"
