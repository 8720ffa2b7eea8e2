#include "databasedialog.h"

#include "dialogservice.h"

#include "srm/analysis.hpp"
#include "srm/ingest.hpp"
#include "srm/text.hpp"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace srmui {

namespace {

const QString kNone = QStringLiteral("(none)");

// The preview as CSV, for the reader's own detection of the columns' roles.
std::string previewCsv(const TablePreview& p)
{
    auto cell = [](const QString& v) { return srm::csv_quote(v.toStdString()); };
    std::string out;
    for (int i = 0; i < p.columns.size(); ++i) out += (i ? "," : "") + cell(p.columns[i]);
    out += "\n";
    for (const auto& row : p.rows) {
        for (int i = 0; i < row.size(); ++i) out += (i ? "," : "") + cell(row[i]);
        out += "\n";
    }
    return out;
}

QComboBox* roleCombo(const QString& name, QWidget* parent)
{
    auto* c = new QComboBox(parent);
    c->setObjectName(name);
    c->setMinimumContentsLength(14);
    return c;
}

}  // namespace

DatabaseDialog::DatabaseDialog(QWidget* parent, DialogService* dialogs)
    : QDialog(parent), m_dialogs(dialogs), m_tablesJob(new QFutureWatcher<DatabaseListing>(this)), m_previewJob(new QFutureWatcher<DatabaseListing>(this))
{
    setObjectName(QStringLiteral("databaseDialog"));
    setWindowTitle(tr("Open from Database"));
    auto* layout = new QVBoxLayout(this);

    layout->addWidget(buildConnection());
    m_status = new QLabel(tr("Connect to list the tables."), this);
    m_status->setObjectName(QStringLiteral("dbStatusLabel"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    m_preview = new QTableWidget(this);
    m_preview->setObjectName(QStringLiteral("dbPreviewTable"));
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->verticalHeader()->setDefaultSectionSize(22);
    layout->addWidget(m_preview, 2);

    layout->addWidget(buildColumns());
    m_problems = new QLabel(this);
    m_problems->setObjectName(QStringLiteral("dbProblems"));
    m_problems->setWordWrap(true);
    m_problems->setStyleSheet(QStringLiteral("QLabel { color: #b71c1c; }"));
    layout->addWidget(m_problems);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Analyse"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("dbAnalyseButton"));
    layout->addWidget(m_buttons);

    wire();
    engineChanged();
    resize(900, 820);
}

// Where the table is: engine, host and port, database, user, password, table.
QWidget* DatabaseDialog::buildConnection()
{
    auto* where = new QGroupBox(tr("Connection"), this);
    auto* form = new QFormLayout(where);
    m_engine = new QComboBox(where);
    m_engine->setObjectName(QStringLiteral("dbEngineCombo"));
    m_engine->addItem(QStringLiteral("PostgreSQL"), QStringLiteral("postgresql"));
    m_engine->addItem(QStringLiteral("SQLite"), QStringLiteral("sqlite"));
    form->addRow(tr("Engine:"), m_engine);
    // Host, port and database start from libpq's own variables, as psql's do.
    const QString pgHost = qEnvironmentVariable("PGHOST").trimmed();
    m_host = new QLineEdit(pgHost.isEmpty() ? QStringLiteral("localhost") : pgHost, where);
    m_host->setObjectName(QStringLiteral("dbHostEdit"));
    m_port = new QSpinBox(where);
    m_port->setObjectName(QStringLiteral("dbPortSpin"));
    m_port->setRange(1, 65535);
    bool portOk = false;
    const int pgPort = qEnvironmentVariable("PGPORT").trimmed().toInt(&portOk);
    m_port->setValue(portOk && pgPort >= 1 && pgPort <= 65535 ? pgPort : 5432);
    auto* hostRow = new QHBoxLayout;
    hostRow->addWidget(m_host, 1);
    hostRow->addWidget(new QLabel(tr("Port:"), where));
    hostRow->addWidget(m_port);
    form->addRow(tr("Host:"), hostRow);
    m_database = new QLineEdit(qEnvironmentVariable("PGDATABASE").trimmed(), where);
    m_database->setObjectName(QStringLiteral("dbNameEdit"));
    m_browse = new QPushButton(tr("Browse…"), where);
    m_browse->setObjectName(QStringLiteral("dbBrowseButton"));
    auto* dbRow = new QHBoxLayout;
    dbRow->addWidget(m_database, 1);
    dbRow->addWidget(m_browse);
    form->addRow(tr("Database:"), dbRow);
    m_user = new QLineEdit(qEnvironmentVariable("PGUSER", qEnvironmentVariable("USER")), where);
    m_user->setObjectName(QStringLiteral("dbUserEdit"));
    form->addRow(tr("User:"), m_user);
    m_password = new QLineEdit(where);
    m_password->setObjectName(QStringLiteral("dbPasswordEdit"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("empty: PGPASSWORD or ~/.pgpass; never saved"));
    form->addRow(tr("Password:"), m_password);
    m_connect = new QPushButton(tr("Connect"), where);
    m_connect->setObjectName(QStringLiteral("dbConnectButton"));
    m_table = new QComboBox(where);
    m_table->setObjectName(QStringLiteral("dbTableCombo"));
    m_table->setEditable(true);  // a table the listing leaves out (another schema) can be typed
    auto* tableRow = new QHBoxLayout;
    tableRow->addWidget(m_connect);
    tableRow->addWidget(m_table, 1);
    form->addRow(tr("Table:"), tableRow);
    return where;

}

// The columns' roles, the buckets and the plan.
QWidget* DatabaseDialog::buildColumns()
{
    auto* roles = new QGroupBox(tr("Columns (the aggregation runs on the server: units by first exposure)"), this);
    auto* grid = new QFormLayout(roles);
    m_unit = roleCombo(QStringLiteral("dbUnitCombo"), roles);
    m_variant = roleCombo(QStringLiteral("dbVariantCombo"), roles);
    m_time = roleCombo(QStringLiteral("dbTimeCombo"), roles);
    m_event = roleCombo(QStringLiteral("dbEventCombo"), roles);
    grid->addRow(tr("Unit:"), m_unit);
    grid->addRow(tr("Variant:"), m_variant);
    grid->addRow(tr("Time:"), m_time);
    grid->addRow(tr("Event type:"), m_event);
    m_dimensions = new QListWidget(roles);
    m_dimensions->setObjectName(QStringLiteral("dbDimensionsList"));
    m_dimensions->setMaximumHeight(110);
    grid->addRow(tr("Dimensions:"), m_dimensions);
    m_bucket = roleCombo(QStringLiteral("dbBucketCombo"), roles);
    m_bucket->addItem(tr("hour"), false);
    m_bucket->addItem(tr("day"), true);
    grid->addRow(tr("Buckets:"), m_bucket);
    m_expected = new QLineEdit(roles);
    m_expected->setObjectName(QStringLiteral("dbExpectedEdit"));
    m_expected->setPlaceholderText(tr("control=50,treatment=50 (empty: an equal split)"));
    grid->addRow(tr("Expected allocation:"), m_expected);
    return roles;

}

void DatabaseDialog::wire()
{
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_engine, &QComboBox::currentIndexChanged, this, &DatabaseDialog::engineChanged);
    connect(m_connect, &QPushButton::clicked, this, &DatabaseDialog::connectToDatabase);
    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString title = tr("SQLite Database"), filter = tr("SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)");
        const QString f = m_dialogs ? m_dialogs->openFile(this, title, filter) : QtDialogService().openFile(this, title, filter);
        if (!f.isEmpty()) m_database->setText(f);
    });
    connect(m_table, &QComboBox::currentTextChanged, this, &DatabaseDialog::tableChanged);
    for (QComboBox* c : {m_unit, m_variant, m_time, m_event}) connect(c, &QComboBox::currentIndexChanged, this, &DatabaseDialog::validate);
    connect(m_expected, &QLineEdit::textChanged, this, &DatabaseDialog::validate);
    connect(m_tablesJob, &QFutureWatcher<DatabaseListing>::finished, this, [this] {
        const DatabaseListing r = m_tablesJob->result();
        m_connect->setEnabled(true);
        if (!r.error.isEmpty()) {
            setStatus(r.error, true);
        } else {
            const QString keep = m_table->currentText();
            m_table->clear();
            m_table->addItems(r.tables);
            if (r.tables.contains(keep)) m_table->setCurrentText(keep);
            setStatus(tr("Connected: %n table(s). Choose the exposure table.", nullptr, static_cast<int>(r.tables.size())), false);
            tableChanged();
        }
        emit tablesListed();
    });
    connect(m_previewJob, &QFutureWatcher<DatabaseListing>::finished, this, [this] {
        const DatabaseListing r = m_previewJob->result();
        if (!r.error.isEmpty()) setStatus(r.error, true);
        else showPreview(r.preview);
        emit previewShown();
    });
}

srm::DatabaseUrl DatabaseDialog::url() const
{
    srm::DatabaseUrl u;
    u.engine = m_engine->currentData().toString() == QLatin1String("sqlite") ? srm::SqlEngine::SQLite : srm::SqlEngine::PostgreSQL;
    u.database = m_database->text().trimmed().toStdString();
    if (u.engine == srm::SqlEngine::PostgreSQL) {
        u.host = m_host->text().trimmed().toStdString();
        u.port = m_port->value();
        u.user = m_user->text().trimmed().toStdString();
        u.password = m_password->text().toStdString();
    }
    return u;
}

void DatabaseDialog::engineChanged()
{
    const bool pg = url().engine == srm::SqlEngine::PostgreSQL;
    for (QWidget* w : {static_cast<QWidget*>(m_host), static_cast<QWidget*>(m_port), static_cast<QWidget*>(m_user),
                       static_cast<QWidget*>(m_password)})
        w->setEnabled(pg);
    m_browse->setVisible(!pg);
    m_database->setPlaceholderText(pg ? tr("database name") : tr("path to the .db file"));
    validate();
}

void DatabaseDialog::setStatus(const QString& text, bool error)
{
    m_error = error ? text : QString();
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("QLabel { color: #b71c1c; }") : QString());
    validate();
}

void DatabaseDialog::connectToDatabase()
{
    if (m_tablesJob->isRunning()) return;
    m_connect->setEnabled(false);
    setStatus(tr("Connecting to %1…").arg(QString::fromStdString(url().display())), false);
    m_tablesJob->setFuture(QtConcurrent::run([u = url()] {
        DatabaseListing r;
        try {
            r.tables = listTables(u);
        } catch (const std::exception& e) {
            r.error = QString::fromStdString(e.what());
        }
        return r;
    }));
}

void DatabaseDialog::tableChanged()
{
    const QString table = m_table->currentText().trimmed();
    if (table.isEmpty() || m_previewJob->isRunning()) return;
    setStatus(tr("Reading the first rows of %1…").arg(table), false);
    m_previewJob->setFuture(QtConcurrent::run([u = url(), table] {
        DatabaseListing r;
        try {
            r.preview = previewTable(u, table, 20);
        } catch (const std::exception& e) {
            r.error = QString::fromStdString(e.what());
        }
        return r;
    }));
}

// The first rows, and each column's role as the reader would detect it in
// a CSV of them (a guess the user corrects in the combos).
void DatabaseDialog::showPreview(const TablePreview& p)
{
    m_preview->clear();
    m_preview->setColumnCount(static_cast<int>(p.columns.size()));
    m_preview->setRowCount(static_cast<int>(p.rows.size()));
    m_preview->setHorizontalHeaderLabels(p.columns);
    for (int r = 0; r < p.rows.size(); ++r)
        for (int c = 0; c < p.rows[r].size(); ++c) m_preview->setItem(r, c, new QTableWidgetItem(p.rows[r][c]));
    m_preview->resizeColumnsToContents();
    QMap<QString, srm::Role> guessed;
    try {
        srm::LoadOptions o;
        o.shape = srm::Shape::Events;
        for (const auto& col : srm::load_csv_memory(previewCsv(p), "preview", o).columns)
            guessed[QString::fromStdString(col.name)] = col.role;
    } catch (const std::exception&) {
        // no guess: every role is the user's to choose
    }
    auto fill = [&](QComboBox* c, srm::Role role, bool optional) {
        c->clear();
        if (optional) c->addItem(kNone);
        c->addItems(p.columns);
        for (auto it = guessed.begin(); it != guessed.end(); ++it)
            if (it.value() == role) c->setCurrentText(it.key());
    };
    fill(m_unit, srm::Role::Unit, false);
    fill(m_variant, srm::Role::Variant, false);
    fill(m_time, srm::Role::Time, false);
    fill(m_event, srm::Role::Event, true);
    m_dimensions->clear();
    for (const QString& col : p.columns) {
        auto* item = new QListWidgetItem(col, m_dimensions);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(guessed.value(col) == srm::Role::Dimension ? Qt::Checked : Qt::Unchecked);
    }
    setStatus(tr("%1: %n row(s) shown. Check the roles; the query counts every row on the server.", nullptr,
                 static_cast<int>(p.rows.size()))
                  .arg(m_table->currentText()),
              false);
}

Session DatabaseDialog::session() const
{
    Session s;
    DatabaseSource d;
    d.url = url();
    d.table = m_table->currentText().trimmed();
    d.unit = m_unit->currentText();
    d.variant = m_variant->currentText();
    d.time = m_time->currentText();
    d.event = m_event->currentText() == kNone ? QString() : m_event->currentText();
    for (int i = 0; i < m_dimensions->count(); ++i)
        if (m_dimensions->item(i)->checkState() == Qt::Checked) {
            const QString dim = m_dimensions->item(i)->text();
            if (dim != d.unit && dim != d.variant && dim != d.time && dim != d.event) d.dimensions << dim;
        }
    d.daily = m_bucket->currentData().toBool();
    s.database = d;
    s.dimensions = d.dimensions;
    if (!m_expected->text().trimmed().isEmpty()) {
        try {
            for (const auto& [name, w] : srm::parse_name_values(m_expected->text().trimmed().toStdString(), "expected allocation"))
                s.expected.append({QString::fromStdString(name), w});
        } catch (const std::exception&) {
            // problems() says why; the dialog cannot be accepted
        }
    }
    return s;
}

QStringList DatabaseDialog::problems() const
{
    QStringList out;
    if (m_database->text().trimmed().isEmpty()) out << tr("Name the database (or the SQLite file).");
    if (m_table->currentText().trimmed().isEmpty()) out << tr("Connect and choose the exposure table.");
    if (m_unit->currentText().isEmpty() || m_variant->currentText().isEmpty() || m_time->currentText().isEmpty())
        out << tr("Choose the unit, variant and time columns.");
    else if (m_unit->currentText() == m_variant->currentText() || m_unit->currentText() == m_time->currentText() ||
             m_variant->currentText() == m_time->currentText())
        out << tr("The unit, variant and time columns must be three different columns.");
    if (!m_expected->text().trimmed().isEmpty()) {
        try {
            srm::parse_name_values(m_expected->text().trimmed().toStdString(), "expected allocation");
        } catch (const std::exception& e) {
            out << QString::fromStdString(e.what());
        }
    }
    if (out.isEmpty()) {
        try {
            srm::aggregation_sql(session().database->query());
        } catch (const std::invalid_argument& e) {
            out << QString::fromStdString(e.what());
        }
    }
    return out;
}

void DatabaseDialog::validate()
{
    const QStringList p = problems();
    m_problems->setText(p.join(QLatin1Char(' ')));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(p.isEmpty());
}

}  // namespace srmui
