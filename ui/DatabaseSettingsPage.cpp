#include "DatabaseSettingsPage.h"

#include <QButtonGroup>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "StatusStyle.h"
#include "store/Database.h"
#include "store/DatabaseUrl.h"

namespace batchdeck {

using namespace Qt::StringLiterals;

namespace {

const QString kSqlitePrefix = u"sqlite://"_s;

// The default file's path, from the default URL ("sqlite:///home/.../batchdeck.db").
QString defaultFile()
{
    const QString url = DatabaseUrl::defaultUrl();
    return url.startsWith(kSqlitePrefix) ? url.mid(kSqlitePrefix.size()) : url;
}

QLabel* noteLabel(const QString& text)
{
    auto* label = new QLabel(text);
    label->setWordWrap(true);
    label->setEnabled(false);
    return label;
}

} // namespace

DatabaseSettingsPage::DatabaseSettingsPage(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);

    m_sqlite = new QRadioButton(tr("SQLite file on this computer"), this);
    layout->addWidget(m_sqlite);
    auto* fileRow = new QHBoxLayout;
    fileRow->setContentsMargins(24, 0, 0, 0);
    m_file = new QLineEdit(this);
    m_file->setPlaceholderText(defaultFile());
    m_file->setToolTip(tr("Leave empty for the default file"));
    m_browse = new QPushButton(tr("Browse…"), this);
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(m_browse);
    layout->addLayout(fileRow);

    m_postgres = new QRadioButton(tr("PostgreSQL server (shared with headless servers)"), this);
    layout->addWidget(m_postgres);
    auto* postgresRow = new QHBoxLayout;
    postgresRow->setContentsMargins(24, 0, 0, 0);
    m_postgresUrl = new QLineEdit(this);
    m_postgresUrl->setPlaceholderText(u"postgresql://user:password@host:5432/batchdeck"_s);
    postgresRow->addWidget(m_postgresUrl, 1);
    layout->addLayout(postgresRow);

    auto* group = new QButtonGroup(this);
    group->addButton(m_sqlite);
    group->addButton(m_postgres);
    m_sqlite->setChecked(true);

    auto* testRow = new QHBoxLayout;
    m_test = new QPushButton(tr("Test connection"), this);
    testRow->addWidget(m_test);
    testRow->addStretch(1);
    layout->addLayout(testRow);
    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result);
    layout->addWidget(noteLabel(tr("Applies the next time the console starts. --db and the BATCHDECK_DB "
                                   "environment variable win over this setting.")));
    layout->addStretch(1);

    connect(m_sqlite, &QRadioButton::toggled, this, &DatabaseSettingsPage::updateEnabled);
    connect(m_browse, &QPushButton::clicked, this, &DatabaseSettingsPage::onBrowse);
    connect(m_test, &QPushButton::clicked, this, &DatabaseSettingsPage::onTestClicked);
    connect(&m_probe, &QFutureWatcher<Result<int>>::finished, this, &DatabaseSettingsPage::onProbed);
    updateEnabled();
}

void DatabaseSettingsPage::setUrl(const QString& url)
{
    if (url.startsWith(u"postgres"_s)) {
        m_postgres->setChecked(true);
        m_postgresUrl->setText(url);
    } else {
        m_sqlite->setChecked(true);
        const QString path = url.startsWith(kSqlitePrefix) ? url.mid(kSqlitePrefix.size()) : url;
        m_file->setText(path == defaultFile() ? QString() : path);
    }
    updateEnabled();
}

QString DatabaseSettingsPage::url() const
{
    if (m_postgres->isChecked())
        return m_postgresUrl->text().trimmed();
    const QString path = m_file->text().trimmed();
    return path.isEmpty() ? QString() : kSqlitePrefix + QFileInfo(path).absoluteFilePath();
}

QString DatabaseSettingsPage::problem() const
{
    const QString text = url();
    if (text.isEmpty()) {
        if (m_postgres->isChecked())
            return tr("Type the PostgreSQL URL, or choose a SQLite file.");
        return {};
    }
    auto parsed = DatabaseUrl::parse(text);
    return parsed ? QString() : parsed.error().message;
}

void DatabaseSettingsPage::updateEnabled()
{
    const bool sqlite = m_sqlite->isChecked();
    m_file->setEnabled(sqlite);
    m_browse->setEnabled(sqlite);
    m_postgresUrl->setEnabled(!sqlite);
}

void DatabaseSettingsPage::onBrowse()
{
    const QString start = m_file->text().isEmpty() ? defaultFile() : m_file->text();
    const QString path = QFileDialog::getSaveFileName(this,
                                                      tr("Job database"),
                                                      start,
                                                      tr("SQLite databases (*.db *.sqlite);;All files (*)"),
                                                      nullptr,
                                                      QFileDialog::DontConfirmOverwrite);
    if (!path.isEmpty())
        m_file->setText(path);
}

void DatabaseSettingsPage::onTestClicked()
{
    if (const QString why = problem(); !why.isEmpty()) {
        showResult(false, why);
        return;
    }
    const QString target = url().isEmpty() ? DatabaseUrl::defaultUrl() : url();
    // A file that is not there yet is not an error, and testing must not create it.
    if (target.startsWith(kSqlitePrefix) && !QFileInfo::exists(target.mid(kSqlitePrefix.size()))) {
        showResult(true, tr("The file does not exist yet: the console creates it when it opens the database."));
        return;
    }
    m_test->setEnabled(false);
    m_result->setStyleSheet({});
    m_result->setText(tr("Connecting…"));
    m_probe.setFuture(QtConcurrent::run([target] { return Database::probe(target); }));
}

void DatabaseSettingsPage::onProbed()
{
    m_test->setEnabled(true);
    const Result<int> version = m_probe.result();
    if (!version) {
        showResult(false, tr("Cannot connect: %1").arg(version.error().message));
        return;
    }
    const int latest = Database::latestSchemaVersion();
    if (*version == 0)
        showResult(true,
                   tr("Connected. No Batchdeck tables yet: the console creates them when it opens the database."));
    else if (*version > latest)
        showResult(false,
                   tr("Connected, but a newer Batchdeck wrote this database (schema %1; this console knows up to %2).")
                       .arg(*version)
                       .arg(latest));
    else
        showResult(true, tr("Connected. Batchdeck schema version %1.").arg(*version));
}

void DatabaseSettingsPage::showResult(bool ok, const QString& text)
{
    const QColor color = StatusStyle::color(ok ? JobStatus::Completed : JobStatus::SubmissionFailed);
    m_result->setStyleSheet(u"color: %1;"_s.arg(color.name()));
    m_result->setText(text);
    Q_EMIT connectionTested(ok);
}

} // namespace batchdeck
