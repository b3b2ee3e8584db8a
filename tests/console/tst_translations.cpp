// The Portuguese translation is built into the program, loads for pt_BR (as the settings choose it or
// the system locale), and its longer words fit: no label or button of the settings dialog, the
// window (empty, and over a seeded store with a job selected, on every details tab), the Submit dialog
// or the Retry and Cancel dialogs is narrower than its text. check_translations checks that no entry
// is unfinished.
#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTextDocument>
#include <QtMath>

#include "ConsoleFixtures.h"
#include "EngineActions.h"
#include "JobActionController.h"
#include "JobDetailsPanel.h"
#include "JobTableModel.h"
#include "MainWindow.h"
#include "PollController.h"
#include "ReasonDialog.h"
#include "SettingsDialog.h"
#include "SubmitDialog.h"
#include "Translations.h"
#include "store/Clock.h"
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
        // Rich text is measured as it is laid out, not as its markup.
        const bool rich = label->textFormat() == Qt::RichText ||
                          (label->textFormat() == Qt::AutoText && Qt::mightBeRichText(label->text()));
        int needed = label->fontMetrics().horizontalAdvance(label->text());
        if (rich) {
            QTextDocument document;
            document.setDefaultFont(label->font());
            document.setDocumentMargin(0);
            document.setHtml(label->text());
            needed = qCeil(document.idealWidth());
        }
        if (label->width() < needed)
            cut << QStringLiteral("QLabel '%1' (%2 < %3)").arg(label->text()).arg(label->width()).arg(needed);
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

    // Over a seeded store and the real (demo) engine: a failed job and a submitted one selected in
    // turn, every details tab shown, and the dialogs their actions open.
    void theDetailsAndTheActionDialogsFitTheirWords()
    {
        auto db = Database::open(QStringLiteral("sqlite://") + m_dir.filePath(QStringLiteral("seeded.db")));
        QVERIFY(db.ok());
        ManualClock clock(QDateTime::currentMSecsSinceEpoch() - 30'000);
        test::seedRealisticStore(*db, clock);
        app::AppEngineOptions engine;
        engine.database = *db;
        engine.demo = true;
        engine.demoStateDir = m_dir.filePath(QStringLiteral("simulator"));
        EngineActionsOptions options;
        options.actor = QStringLiteral("operator");
        options.poller = false;
        EngineActions actions([engine] { return app::AppEngine::open(engine); }, options);
        QSettings settings(m_dir.filePath(QStringLiteral("seeded.ini")), QSettings::IniFormat);
        settings.setValue(QStringLiteral("poll/intervalSeconds"), 0);
        PollController poll(*db, settings);
        ConsoleContext context{*db, (*db)->url().redacted(), false};
        context.actions = &actions;
        MainWindow window(context, poll, settings);
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy started(&actions, &ConsoleActions::started);
        actions.start();
        QVERIFY(started.wait(10'000));
        QSignalSpy polled(&poll, &PollController::polled);
        poll.start();
        QVERIFY(polled.wait(10'000));

        QStringList cut;
        const auto select = [&](JobStatus status) {
            QAbstractItemModel* model = window.jobView()->model();
            for (int row = 0; row < model->rowCount(); ++row) {
                if (model->index(row, 0).data(JobTableModel::StatusRole).toInt() == int(status)) {
                    window.jobView()->selectRow(row);
                    return true;
                }
            }
            return false;
        };
        const auto checkDialog = [&](const QString& name) {
            QDialog* dialog = nullptr;
            if (!QTest::qWaitFor([&] {
                    dialog = window.findChild<QDialog*>(name);
                    return dialog && dialog->isVisible();
                }))
                return false;
            QTest::qWait(300); // the Submit dialog's checks and preview come from threads
            cut << cutTexts(*dialog);
            dialog->reject();
            return true;
        };
        for (JobStatus status : {JobStatus::SubmissionFailed, JobStatus::Submitted, JobStatus::Completed}) {
            QVERIFY(select(status));
            QVERIFY(window.details()->jobId().has_value());
            for (int tab = 0; tab < window.details()->tabs()->count(); ++tab) {
                window.details()->tabs()->setCurrentIndex(tab);
                QTest::qWait(150); // records, results and previews come from threads
                for (const QString& text : cutTexts(window))
                    cut << QStringLiteral("%1, tab %2: %3")
                               .arg(statusName(status), window.details()->tabs()->tabText(tab), text);
            }
            if (status == JobStatus::SubmissionFailed) {
                window.jobActions()->retryAction()->trigger();
                QVERIFY(checkDialog(QStringLiteral("retryDialog")));
            } else if (status == JobStatus::Submitted) {
                window.jobActions()->cancelAction()->trigger();
                QVERIFY(checkDialog(QStringLiteral("cancelDialog")));
            }
        }
        window.jobActions()->submitAction()->trigger();
        QVERIFY(checkDialog(QStringLiteral("submitDialog")));
        cut.removeDuplicates();
        QVERIFY2(cut.isEmpty(), qPrintable(cut.join(u'\n')));
    }
};

QTEST_MAIN(TranslationsTest)
#include "tst_translations.moc"
