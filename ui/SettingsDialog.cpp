#include "SettingsDialog.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QUrl>
#include <QVBoxLayout>

#include "DatabaseSettingsPage.h"
#include "PollController.h"
#include "StatusStyle.h"
#include "UiLogging.h"

namespace batchdeck {

using namespace Qt::StringLiterals;

namespace {

QLabel* noteLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setEnabled(false);
    return label;
}

bool isHttpUrl(const QString& text)
{
    const QUrl url(text.trimmed());
    return url.isValid() && !url.host().isEmpty() && (url.scheme() == u"http"_s || url.scheme() == u"https"_s);
}

QString keyVariable(ConsoleSettings::ProviderKind kind)
{
    return kind == ConsoleSettings::ProviderKind::Azure ? u"AZURE_OPENAI_API_KEY"_s : u"OPENAI_API_KEY"_s;
}

} // namespace

SettingsDialog::SettingsDialog(QSettings& settings,
                               SecretStore secrets,
                               QProcessEnvironment environment,
                               QWidget* parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_secrets(std::move(secrets))
    , m_environment(std::move(environment))
    , m_initial(ConsoleSettings::load(settings))
{
    setWindowTitle(tr("Batchdeck Settings"));
    auto* layout = new QVBoxLayout(this);
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(buildProviderPage(), tr("Provider"));
    m_database = new DatabaseSettingsPage(m_tabs);
    m_tabs->addTab(m_database, tr("Database"));
    m_tabs->addTab(buildServerPage(), tr("HTTP server"));
    m_tabs->addTab(buildGeneralPage(), tr("General"));
    layout->addWidget(m_tabs, 1);

    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    layout->addWidget(m_message);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    load(m_initial);
    setMinimumWidth(600);
}

SettingsDialog::~SettingsDialog() = default;

QWidget* SettingsDialog::buildProviderPage()
{
    auto* page = new QWidget;
    auto* form = new QFormLayout(page);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_provider = new QComboBox(page);
    m_provider->addItem(tr("OpenAI"), int(ConsoleSettings::ProviderKind::OpenAi));
    m_provider->addItem(tr("Azure OpenAI"), int(ConsoleSettings::ProviderKind::Azure));
    m_provider->addItem(tr("OpenAI-compatible server"), int(ConsoleSettings::ProviderKind::Compatible));
    form->addRow(tr("Provider:"), m_provider);

    m_baseUrl = new QLineEdit(page);
    m_baseUrl->setPlaceholderText(u"http://localhost:8000/v1"_s);
    m_baseUrlLabel = new QLabel(tr("Base URL:"), page);
    form->addRow(m_baseUrlLabel, m_baseUrl);
    m_azureEndpoint = new QLineEdit(page);
    m_azureEndpoint->setPlaceholderText(u"https://my-resource.openai.azure.com"_s);
    m_azureEndpointLabel = new QLabel(tr("Endpoint:"), page);
    form->addRow(m_azureEndpointLabel, m_azureEndpoint);
    m_azureVersion = new QLineEdit(page);
    m_azureVersion->setPlaceholderText(tr("empty for the v1 API"));
    m_azureVersionLabel = new QLabel(tr("API version:"), page);
    form->addRow(m_azureVersionLabel, m_azureVersion);

    m_keyFromEnvironment = new QRadioButton(page);
    m_keyInKeychain = new QRadioButton(tr("Stored in the system keychain"), page);
    auto* group = new QButtonGroup(page);
    group->addButton(m_keyFromEnvironment);
    group->addButton(m_keyInKeychain);
    auto* keyBox = new QVBoxLayout;
    keyBox->addWidget(m_keyFromEnvironment);
    keyBox->addWidget(m_keyInKeychain);
    m_key = new QLineEdit(page);
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setClearButtonEnabled(true);
    keyBox->addWidget(m_key);
    form->addRow(tr("API key:"), keyBox);

    m_providerNote = noteLabel(page);
    form->addRow(m_providerNote);

    connect(m_provider, &QComboBox::currentIndexChanged, this, &SettingsDialog::updateProviderFields);
    connect(m_keyInKeychain, &QRadioButton::toggled, this, &SettingsDialog::updateProviderFields);
    return page;
}

QWidget* SettingsDialog::buildServerPage()
{
    auto* page = new QWidget;
    auto* form = new QFormLayout(page);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_serverEnabled = new QCheckBox(tr("Serve the HTTP API for Airflow from this console"), page);
    form->addRow(m_serverEnabled);
    m_serverAddress = new QLineEdit(page);
    form->addRow(tr("Address:"), m_serverAddress);
    m_serverPort = new QSpinBox(page);
    m_serverPort->setRange(1, 65535);
    form->addRow(tr("Port:"), m_serverPort);
    m_serverToken = new QLineEdit(page);
    m_serverToken->setEchoMode(QLineEdit::Password);
    m_serverToken->setClearButtonEnabled(true);
    form->addRow(tr("Token:"), m_serverToken);
    auto* help = noteLabel(page);
    help->setText(tr("Airflow sends the token as \"Authorization: Bearer TOKEN\". It is kept in the system "
                     "keychain; BATCHDECK_API_TOKEN in the environment wins over it. Without a token the "
                     "server only listens on a loopback address."));
    form->addRow(help);
    m_serverNote = noteLabel(page);
    m_serverNote->setEnabled(true);
    m_serverNote->hide();
    form->addRow(m_serverNote);

    auto updateEnabled = [this] {
        const bool on = m_serverEnabled->isChecked();
        m_serverAddress->setEnabled(on);
        m_serverPort->setEnabled(on);
        m_serverToken->setEnabled(on);
    };
    connect(m_serverEnabled, &QCheckBox::toggled, this, updateEnabled);
    updateEnabled();
    return page;
}

QWidget* SettingsDialog::buildGeneralPage()
{
    auto* page = new QWidget;
    auto* form = new QFormLayout(page);
    m_interval = new QComboBox(page);
    for (int seconds : PollController::intervalChoices())
        m_interval->addItem(seconds == 0 ? tr("Off") : tr("%1 s").arg(seconds), seconds);
    m_interval->setToolTip(tr("How often the console reads the database for changes"));
    form->addRow(tr("Update every:"), m_interval);
    m_stuckAfter = new QSpinBox(page);
    m_stuckAfter->setRange(1, 24 * 60);
    m_stuckAfter->setSuffix(tr(" min"));
    m_stuckAfter->setToolTip(tr("A submitted job whose provider status and request counts stay the same this long "
                                "is announced as stuck"));
    form->addRow(tr("Warn when a job has not moved for:"), m_stuckAfter);

    m_language = new QComboBox(page);
    m_language->addItem(tr("System language"), QString());
    // Each language in its own words, so anyone can find theirs.
    m_language->addItem(u"English"_s, u"en"_s);
    m_language->addItem(u"Português (Brasil)"_s, u"pt_BR"_s);
    form->addRow(tr("Language:"), m_language);
    auto* note = noteLabel(page);
    note->setText(tr("The language changes the next time the console starts."));
    form->addRow(note);
    return page;
}

void SettingsDialog::load(const ConsoleSettings& values)
{
    m_provider->setCurrentIndex(m_provider->findData(int(values.providerKind)));
    m_baseUrl->setText(values.providerBaseUrl);
    m_azureEndpoint->setText(values.azureEndpoint);
    m_azureVersion->setText(values.azureApiVersion);
    (values.keySource == ConsoleSettings::KeySource::Keychain ? m_keyInKeychain : m_keyFromEnvironment)
        ->setChecked(true);
    m_database->setUrl(values.databaseUrl);
    m_serverEnabled->setChecked(values.serverEnabled);
    m_serverAddress->setText(values.serverAddress);
    m_serverPort->setValue(values.serverPort);
    m_serverToken->setPlaceholderText(values.serverTokenInKeychain ? tr("Stored in the keychain; type to replace it")
                                                                   : tr("No token"));
    const int interval = m_interval->findData(values.pollIntervalSeconds);
    m_interval->setCurrentIndex(interval >= 0 ? interval : m_interval->findData(5));
    m_stuckAfter->setValue(values.stuckAfterMinutes);
    const int language = m_language->findData(values.language);
    m_language->setCurrentIndex(language >= 0 ? language : 0);
    updateProviderFields();
}

ConsoleSettings SettingsDialog::values() const
{
    ConsoleSettings values;
    values.providerKind = ConsoleSettings::ProviderKind(m_provider->currentData().toInt());
    values.providerBaseUrl = m_baseUrl->text().trimmed();
    values.azureEndpoint = m_azureEndpoint->text().trimmed();
    values.azureApiVersion = m_azureVersion->text().trimmed();
    values.keySource =
        m_keyInKeychain->isChecked() ? ConsoleSettings::KeySource::Keychain : ConsoleSettings::KeySource::Environment;
    values.databaseUrl = m_database->url();
    values.pollIntervalSeconds = m_interval->currentData().toInt();
    values.stuckAfterMinutes = m_stuckAfter->value();
    values.serverEnabled = m_serverEnabled->isChecked();
    values.serverAddress = m_serverAddress->text().trimmed();
    values.serverPort = m_serverPort->value();
    values.serverTokenInKeychain = m_initial.serverTokenInKeychain || !m_serverToken->text().isEmpty();
    values.language = m_language->currentData().toString();
    return values;
}

void SettingsDialog::setServerNote(const QString& note)
{
    m_serverNote->setText(note);
    m_serverNote->setVisible(!note.isEmpty());
}

void SettingsDialog::updateProviderFields()
{
    const auto kind = ConsoleSettings::ProviderKind(m_provider->currentData().toInt());
    const bool azure = kind == ConsoleSettings::ProviderKind::Azure;
    const bool compatible = kind == ConsoleSettings::ProviderKind::Compatible;
    for (QWidget* widget : {static_cast<QWidget*>(m_baseUrlLabel), static_cast<QWidget*>(m_baseUrl)})
        widget->setVisible(compatible);
    for (QWidget* widget : {static_cast<QWidget*>(m_azureEndpointLabel),
                            static_cast<QWidget*>(m_azureEndpoint),
                            static_cast<QWidget*>(m_azureVersionLabel),
                            static_cast<QWidget*>(m_azureVersion)})
        widget->setVisible(azure);

    const QString variable = keyVariable(kind);
    m_keyFromEnvironment->setText(tr("From the environment (%1)").arg(variable));
    const bool keychain = m_keyInKeychain->isChecked();
    m_key->setEnabled(keychain);
    const bool stored = m_initial.keySource == ConsoleSettings::KeySource::Keychain;
    m_key->setPlaceholderText(keychain && stored ? tr("Stored in the keychain; type to replace it")
                              : keychain         ? tr("Type the key to store it in the keychain")
                                                 : QString());

    // The order the console applies: the environment wins over these settings, as for batchdeck-cli.
    QStringList notes;
    for (const QString& name : {u"OPENAI_BASE_URL"_s, u"AZURE_OPENAI_ENDPOINT"_s}) {
        if (!m_environment.value(name).isEmpty())
            notes << tr("%1 is set in the environment: it chooses the provider, not these settings.").arg(name);
    }
    if (!m_environment.value(variable).isEmpty())
        notes << tr("%1 is set in the environment: the console uses that key.").arg(variable);
    else if (!keychain)
        notes << tr("%1 is not set: the console can show jobs but not submit them.").arg(variable);
    m_providerNote->setText(notes.join(u'\n'));
    m_providerNote->setVisible(!notes.isEmpty());
}

QString SettingsDialog::validate(Page* page) const
{
    const ConsoleSettings wanted = values();
    *page = ProviderPage;
    if (wanted.providerKind == ConsoleSettings::ProviderKind::Compatible && !isHttpUrl(wanted.providerBaseUrl))
        return tr("The base URL needs http:// or https:// and a host, like http://localhost:8000/v1.");
    if (wanted.providerKind == ConsoleSettings::ProviderKind::Azure && !isHttpUrl(wanted.azureEndpoint))
        return tr("The Azure endpoint needs https:// and a host, like https://my-resource.openai.azure.com.");
    if (wanted.keySource == ConsoleSettings::KeySource::Keychain &&
        m_initial.keySource != ConsoleSettings::KeySource::Keychain && m_key->text().isEmpty())
        return tr("Type the API key to store it in the system keychain.");

    *page = DatabasePage;
    if (const QString problem = m_database->problem(); !problem.isEmpty())
        return problem;

    *page = ServerPage;
    if (wanted.serverEnabled) {
        QHostAddress address;
        const QString host = wanted.serverAddress == u"localhost"_s ? u"127.0.0.1"_s : wanted.serverAddress;
        if (!address.setAddress(host))
            return tr("The server address must be an IP address, like 127.0.0.1 or 0.0.0.0.");
        const bool token = wanted.serverTokenInKeychain || !m_environment.value(u"BATCHDECK_API_TOKEN"_s).isEmpty();
        if (!address.isLoopback() && !token)
            return tr("Without a token the server only listens on a loopback address: set a token or use 127.0.0.1.");
    }
    return {};
}

void SettingsDialog::accept()
{
    if (m_storing)
        return;
    Page page = ProviderPage;
    if (const QString problem = validate(&page); !problem.isEmpty()) {
        m_tabs->setCurrentIndex(page);
        showMessage(problem, true);
        return;
    }
    m_saving = values();
    m_pendingSecrets.clear();
    if (m_saving.keySource == ConsoleSettings::KeySource::Keychain && !m_key->text().isEmpty())
        m_pendingSecrets.append({ConsoleSettings::kProviderKeyName, m_key->text()});
    else if (m_saving.keySource == ConsoleSettings::KeySource::Environment &&
             m_initial.keySource == ConsoleSettings::KeySource::Keychain)
        m_pendingSecrets.append({ConsoleSettings::kProviderKeyName, QString()}); // forget the stored key
    if (!m_serverToken->text().isEmpty())
        m_pendingSecrets.append({ConsoleSettings::kServerTokenName, m_serverToken->text()});
    if (m_pendingSecrets.isEmpty()) {
        finishSaving();
        return;
    }
    setBusy(true);
    showMessage(tr("Storing in the system keychain…"), false);
    storeNextSecret();
}

void SettingsDialog::storeNextSecret()
{
    if (m_pendingSecrets.isEmpty()) {
        finishSaving();
        return;
    }
    const auto [name, secret] = m_pendingSecrets.takeFirst();
    if (secret.isEmpty()) {
        // Forgetting a key that could never be stored (no keychain) must not block the switch.
        m_secrets.remove(name, this, [this, name](Status removed) {
            if (!removed)
                qCWarning(lcUi).noquote() << "cannot remove" << name << "from the keychain:" << removed.error().message;
            storeNextSecret();
        });
        return;
    }
    m_secrets.write(name, secret, this, [this, name](Status written) {
        if (written) {
            storeNextSecret();
            return;
        }
        m_pendingSecrets.clear();
        setBusy(false);
        const QString variable =
            name == ConsoleSettings::kServerTokenName ? u"BATCHDECK_API_TOKEN"_s : keyVariable(m_saving.providerKind);
        showMessage(tr("%1\nNothing was saved. Set %2 in the environment before starting the console instead, or "
                       "start a keychain (GNOME Keyring, KWallet) and try again.")
                        .arg(written.error().message, variable),
                    true);
        Q_EMIT secretsFailed(written.error().message);
    });
}

void SettingsDialog::finishSaving()
{
    m_saving.save(m_settings);
    setBusy(false);
    m_key->clear();
    m_serverToken->clear();
    m_initial = m_saving;
    Q_EMIT settingsSaved(m_saving);
    QDialog::accept();
}

void SettingsDialog::showMessage(const QString& text, bool error)
{
    m_message->setStyleSheet(error ? u"color: %1;"_s.arg(StatusStyle::color(JobStatus::SubmissionFailed).name())
                                   : QString());
    m_message->setText(text);
    m_message->show();
}

void SettingsDialog::setBusy(bool busy)
{
    m_storing = busy;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy);
    m_tabs->setEnabled(!busy);
}

} // namespace batchdeck
