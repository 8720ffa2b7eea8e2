// File > Open from Database: where the exposure table is (PostgreSQL: host,
// port, database, user, password; SQLite: a file), which table, and its
// columns' roles (guessed from a preview of its first rows, as the import
// dialog guesses a CSV's). Connecting and the preview run in the background;
// the aggregation itself runs later, on the server, as the analysis's load.
#pragma once

#include "databaseclient.h"
#include "session.h"

#include <QDialog>
#include <QFutureWatcher>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace srmui {

class DialogService;

/// A background step's outcome: the tables or the preview, or what failed.
struct DatabaseListing {
    QStringList tables;
    TablePreview preview;
    QString error;
};

class DatabaseDialog : public QDialog {
    Q_OBJECT

public:
    /// `dialogs` answers Browse… (the SQLite file); without one, a file dialog.
    explicit DatabaseDialog(QWidget* parent = nullptr, DialogService* dialogs = nullptr);

    /// The session the choices describe (its password in memory only).
    Session session() const;
    /// What stops the table from being analysed as chosen (empty when it can be).
    QStringList problems() const;
    /// The connection the fields describe.
    srm::DatabaseUrl url() const;

    /// Connects and lists the tables (in the background; the dialog's
    /// status line says when it is done or what failed).
    void connectToDatabase();

signals:
    /// The tables are listed, or a preview is shown (tests wait for these).
    void tablesListed();
    void previewShown();

private:
    QWidget* buildConnection();
    QWidget* buildColumns();
    void wire();
    void engineChanged();
    void tableChanged();
    void showPreview(const TablePreview& preview);
    void validate();
    void setStatus(const QString& text, bool error);

    QComboBox* m_engine;
    QLineEdit* m_host;
    QSpinBox* m_port;
    QLineEdit* m_database;
    QPushButton* m_browse;
    QLineEdit* m_user;
    QLineEdit* m_password;
    QPushButton* m_connect;
    QComboBox* m_table;
    QTableWidget* m_preview;
    QComboBox *m_unit, *m_variant, *m_time, *m_event, *m_bucket;
    QListWidget* m_dimensions;
    QLineEdit* m_expected;
    QLabel* m_status;
    QLabel* m_problems;
    QDialogButtonBox* m_buttons;
    DialogService* m_dialogs;
    QFutureWatcher<DatabaseListing>* m_tablesJob;
    QFutureWatcher<DatabaseListing>* m_previewJob;
    QString m_error;
};

}  // namespace srmui
