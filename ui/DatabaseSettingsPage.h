#pragma once

#include <QFutureWatcher>
#include <QWidget>

#include "core/Result.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace batchdeck {

// The settings dialog's Database page: a SQLite file or a PostgreSQL URL, and a "Test connection"
// button that connects on a worker thread (a PostgreSQL server that does not answer takes its
// connect timeout) and says what it found, without creating or migrating anything.
class DatabaseSettingsPage : public QWidget
{
    Q_OBJECT

public:
    explicit DatabaseSettingsPage(QWidget* parent = nullptr);

    // "" (the default file), "sqlite:///abs/path.db" or "postgresql://...".
    void setUrl(const QString& url);
    QString url() const;
    // Empty when the URL can be used, else why not.
    QString problem() const;

    // The parts tests drive.
    QRadioButton* sqliteButton() const { return m_sqlite; }
    QRadioButton* postgresButton() const { return m_postgres; }
    QLineEdit* fileEdit() const { return m_file; }
    QLineEdit* postgresEdit() const { return m_postgresUrl; }
    QPushButton* testButton() const { return m_test; }
    QLabel* resultLabel() const { return m_result; }

Q_SIGNALS:
    void connectionTested(bool ok);

private:
    void onTestClicked();
    void onProbed();
    void onBrowse();
    void updateEnabled();
    void showResult(bool ok, const QString& text);

    QRadioButton* m_sqlite = nullptr;
    QRadioButton* m_postgres = nullptr;
    QLineEdit* m_file = nullptr;
    QPushButton* m_browse = nullptr;
    QLineEdit* m_postgresUrl = nullptr;
    QPushButton* m_test = nullptr;
    QLabel* m_result = nullptr;
    QFutureWatcher<Result<int>> m_probe;
};

} // namespace batchdeck
