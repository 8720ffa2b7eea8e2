// File > Open from Database, through the real dialog and window: a SQLite
// database made from the bundled sample (PostgreSQL's logins and failures
// are tested on a real server by tests/core/warehouse/check_database.py).
// The dialog lists the tables and guesses the roles from a preview; the
// window's diagnosis of the table equals srm-check's of the CSV; a saved
// session keeps the table and its columns but never the password.
#include "databasedialog.h"
#include "uitestutil.hpp"

#include "srm/analysis.hpp"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTableWidget>
#include <QTextStream>

using srmui::DatabaseDialog;

namespace {

// The sample's rows into table `events` of a new SQLite file.
bool makeDatabase(const QString& path)
{
    QFile csv(kSample);
    if (!csv.open(QIODevice::ReadOnly)) return false;
    QTextStream in(&csv);
    const QStringList header = in.readLine().split(',');
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("make"));
        db.setDatabaseName(path);
        ok = db.open();
        QSqlQuery q(db);
        QStringList cols;
        for (const auto& h : header) cols << QLatin1Char('"') + h + QStringLiteral("\" TEXT");
        ok = ok && q.exec(QStringLiteral("CREATE TABLE events (%1)").arg(cols.join(QStringLiteral(", "))));
        ok = ok && db.transaction();
        q.prepare(QStringLiteral("INSERT INTO events VALUES (%1)").arg(QStringList(header.size(), QStringLiteral("?")).join(',')));
        while (ok && !in.atEnd()) {
            const QStringList row = in.readLine().split(',');
            for (const auto& v : row) q.addBindValue(v);
            ok = q.exec();
        }
        ok = ok && db.commit();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("make"));
    return ok;
}

}  // namespace

class TestDatabase : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_db;

    // The dialog connected to the sample's database, its preview shown.
    bool connectDialog(DatabaseDialog& d)
    {
        d.findChild<QComboBox*>("dbEngineCombo")->setCurrentIndex(1);  // SQLite
        d.findChild<QLineEdit*>("dbNameEdit")->clear();  // PGDATABASE may have filled it
        QTest::keyClicks(d.findChild<QLineEdit*>("dbNameEdit"), m_db);
        QSignalSpy listed(&d, &DatabaseDialog::tablesListed);
        QSignalSpy previewed(&d, &DatabaseDialog::previewShown);
        QTest::mouseClick(d.findChild<QPushButton*>("dbConnectButton"), Qt::LeftButton);
        return listed.wait(20000) && (previewed.count() > 0 || previewed.wait(20000));
    }

private slots:
    void initTestCase()
    {
        m_db = m_dir.filePath("exp.db");
        QVERIFY(makeDatabase(m_db));
    }

    void the_dialog_lists_tables_and_guesses_roles()
    {
        DatabaseDialog d;
        QCOMPARE(d.findChild<QLineEdit*>("dbPasswordEdit")->echoMode(), QLineEdit::Password);
        QVERIFY(!d.problems().isEmpty());  // nothing chosen yet
        QVERIFY(connectDialog(d));
        QCOMPARE(d.findChild<QComboBox*>("dbTableCombo")->currentText(), QString("events"));
        QCOMPARE(d.findChild<QTableWidget*>("dbPreviewTable")->rowCount(), 20);
        QCOMPARE(d.findChild<QComboBox*>("dbUnitCombo")->currentText(), QString("user_id"));
        QCOMPARE(d.findChild<QComboBox*>("dbVariantCombo")->currentText(), QString("variant"));
        QCOMPARE(d.findChild<QComboBox*>("dbTimeCombo")->currentText(), QString("timestamp"));
        QCOMPARE(d.findChild<QComboBox*>("dbEventCombo")->currentText(), QString("(none)"));
        QStringList checked;
        auto* dims = d.findChild<QListWidget*>("dbDimensionsList");
        for (int i = 0; i < dims->count(); ++i)
            if (dims->item(i)->checkState() == Qt::Checked) checked << dims->item(i)->text();
        QCOMPARE(checked, (QStringList{"browser", "os", "country", "sdk_version"}));
        QVERIFY2(d.problems().isEmpty(), qPrintable(d.problems().join(' ')));
        if (qEnvironmentVariableIsSet("SRM_SCREENSHOT_DIR"))  // for the README's picture of the dialog
            d.grab().save(qEnvironmentVariable("SRM_SCREENSHOT_DIR") + "/open-from-database.png");
        // The same column twice is refused; a bad allocation is named.
        d.findChild<QComboBox*>("dbTimeCombo")->setCurrentText("user_id");
        QCOMPARE(d.problems(), QStringList{"The unit, variant and time columns must be three different columns."});
        d.findChild<QComboBox*>("dbTimeCombo")->setCurrentText("timestamp");
        QTest::keyClicks(d.findChild<QLineEdit*>("dbExpectedEdit"), "control=abc");
        QCOMPARE(d.problems().size(), 1);
        QVERIFY(!d.findChild<QPushButton*>("dbAnalyseButton")->isEnabled());
    }

    // Browse… (SQLite only) asks the dialog service for the file: its answer
    // names the database, a cancelled choice (no answer) keeps the name.
    void browse_names_the_sqlite_file()
    {
        ScriptedDialogs dialogs;
        dialogs.files = {m_db};
        DatabaseDialog d(nullptr, &dialogs);
        auto* browse = d.findChild<QPushButton*>("dbBrowseButton");
        auto* name = d.findChild<QLineEdit*>("dbNameEdit");
        d.show();
        QVERIFY(!browse->isVisible());  // PostgreSQL: a database name, not a file
        d.findChild<QComboBox*>("dbEngineCombo")->setCurrentIndex(1);
        QVERIFY(browse->isVisible());
        name->setText(QStringLiteral("before.db"));
        QTest::mouseClick(browse, Qt::LeftButton);
        QCOMPARE(name->text(), m_db);
        QTest::mouseClick(browse, Qt::LeftButton);  // no answer left: cancelled
        QCOMPARE(name->text(), m_db);
        QVERIFY(dialogs.files.isEmpty());
    }

    void a_missing_file_says_so()
    {
        DatabaseDialog d;
        d.findChild<QComboBox*>("dbEngineCombo")->setCurrentIndex(1);
        d.findChild<QLineEdit*>("dbNameEdit")->clear();
        QTest::keyClicks(d.findChild<QLineEdit*>("dbNameEdit"), m_dir.filePath("none.db"));
        QSignalSpy listed(&d, &DatabaseDialog::tablesListed);
        QTest::mouseClick(d.findChild<QPushButton*>("dbConnectButton"), Qt::LeftButton);
        QVERIFY(listed.wait(20000));
        QCOMPARE(d.findChild<QLabel*>("dbStatusLabel")->text(), QString("no SQLite database at " + m_dir.filePath("none.db")));
        QVERIFY(!QFile::exists(m_dir.filePath("none.db")));
    }

    // The window diagnoses the table as srm-check diagnoses the CSV, count
    // for count; the session saved keeps the source, never the password.
    void the_window_diagnoses_the_table()
    {
        DatabaseDialog d;
        QVERIFY(connectDialog(d));
        Fixture f;
        f.dialogs.database = d.session();
        f.dialogs.database->database->url.password = "hunter2-never-saved";  // as typed for a server
        f.window.show();
        QSignalSpy shown(&f.window, &MainWindow::reportShown);
        f.window.findChild<QAction*>("openDatabaseAction")->trigger();
        QVERIFY(shown.wait(30000));
        QCOMPARE(f.dialogs.databaseAsked, 1);
        const auto report = qvariant_cast<srm::Report>(shown.takeFirst().at(0));
        srm::AnalysisRequest csv;
        csv.file = kSample.toStdString();
        const srm::Report expected = srm::analyse(csv);
        QCOMPARE(report.input.shape, srm::InputShape::Aggregated);
        QCOMPARE(report.input.file, "events on sqlite:" + m_db.toStdString());
        QCOMPARE(report.srm.variants.size(), expected.srm.variants.size());
        for (std::size_t i = 0; i < expected.srm.variants.size(); ++i) {
            QCOMPARE(report.srm.variants[i].name, expected.srm.variants[i].name);
            QCOMPARE(report.srm.variants[i].observed, expected.srm.variants[i].observed);
        }
        QCOMPARE(report.srm.log10_p_value, expected.srm.log10_p_value);
        QCOMPARE(report.health.state, expected.health.state);
        QCOMPARE(report.dimensions.size(), expected.dimensions.size());
        QVERIFY(f.window.windowTitle().contains("events on sqlite:"));

        const QString saved = f.dir.filePath("db.srm.json");
        f.dialogs.files = QStringList{saved};  // File > Save Session As: the window's own session, password in memory
        QAction* saveAs = nullptr;
        for (QAction* a : f.window.findChildren<QAction*>())
            if (a->text() == "Save Session &As…") saveAs = a;
        QVERIFY(saveAs);
        saveAs->trigger();
        QFile file(saved);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray json = file.readAll();
        QVERIFY(!json.contains("hunter2"));
        QVERIFY(json.contains("\"table\": \"events\""));
        // Reopened, it reads the table again (SQLite needs no password).
        const srmui::Session back = srmui::loadSession(saved);
        QVERIFY(back.database.has_value());
        QVERIFY(back.database->url.password.empty());
        QCOMPARE(back.database->dimensions, (QStringList{"browser", "os", "country", "sdk_version"}));
        const srm::Report again = srm::analyse(back.request());
        QCOMPARE(again.srm.units, expected.srm.units);
    }

    // A PostgreSQL source saved in a session comes back whole: the server,
    // its port, the user, the database, the table and every column choice;
    // the password never.
    void a_server_session_keeps_its_source()
    {
        QTemporaryDir dir;
        srmui::Session s;
        srmui::DatabaseSource src;
        src.url = srm::parse_database_url("postgresql://analyst:secret@db.example:6543/experiments");
        src.table = "exposures";
        src.unit = "user_id";
        src.variant = "arm";
        src.time = "seen_at";
        src.event = "event_type";
        src.dimensions = {"browser", "country"};
        src.daily = true;
        s.database = src;
        const QString path = dir.filePath("server.srm.json");
        QVERIFY(srmui::saveSession(s, path).isEmpty());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("secret"));
        const srmui::Session back = srmui::loadSession(path);
        QVERIFY(back.database.has_value());
        const auto& b = *back.database;
        QCOMPARE(QString::fromStdString(b.url.display()), QString("postgresql://analyst@db.example:6543/experiments"));
        QCOMPARE(b.url.port, 6543);
        QCOMPARE(QString::fromStdString(b.url.host), QString("db.example"));
        QCOMPARE(QString::fromStdString(b.url.user), QString("analyst"));
        QCOMPARE(QString::fromStdString(b.url.database), QString("experiments"));
        QVERIFY(b.url.password.empty());
        QCOMPARE(QStringList({b.table, b.unit, b.variant, b.time, b.event}), QStringList({"exposures", "user_id", "arm", "seen_at", "event_type"}));
        QCOMPARE(b.dimensions, (QStringList{"browser", "country"}));
        QVERIFY(b.daily);
        QCOMPARE(b.title(), src.title());
        // The query it runs asks for what was chosen: the table, the columns and day buckets.
        const srm::AggregationQuery q = b.query();
        QCOMPARE(q.table, std::string("exposures"));
        QCOMPARE(q.unit, std::string("user_id"));
        QCOMPARE(q.variant, std::string("arm"));
        QCOMPARE(q.time, std::string("seen_at"));
        QCOMPARE(q.event, std::make_optional(std::string("event_type")));
        QCOMPARE(q.dimensions, (std::vector<std::string>{"browser", "country"}));
        QVERIFY(q.daily);
        srmui::DatabaseSource hourly = b;
        hourly.daily = false;
        QVERIFY(!hourly.query().daily);
    }
};

QTEST_MAIN(TestDatabase)
#include "tst_database.moc"
