// The import dialog: detected dialect and roles, editable role combos,
// problems shown before loading, allocation presets; and File > Open
// through it into the window.
#include "dialogservice.h"
#include "healthbadge.h"
#include "importdialog.h"
#include "mainwindow.h"
#include "preferencesdialog.h"
#include "srm/analysis.hpp"

#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QMenu>
#include <QtTest>

using srmui::ImportDialog;

namespace {
const QString kSample = QStringLiteral(SRM_SAMPLE_DIR "/exposures.csv");

// A file of the given bytes in dir; its path.
QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size()) qFatal("cannot write %s", qPrintable(f.fileName()));
    return f.fileName();
}

QComboBox* combo(ImportDialog& d, const QString& column) { return d.findChild<QComboBox*>("roleCombo_" + column); }

class ScriptedDialogs : public srmui::DialogService {
public:
    QString file;
    std::optional<srmui::Session> imported;
    QString openFile(QWidget*, const QString&, const QString&) override { return file; }
    QString saveFile(QWidget*, const QString&, const QString&, const QString&) override { return {}; }
    Choice unsavedChanges(QWidget*) override { return Choice::Discard; }
    void error(QWidget*, const QString&, const QString&) override {}
    QString locateFile(QWidget*, const QString&) override { return {}; }
    void printPreview(QWidget*, const std::function<void(QPrinter*)>&) override {}
    void popupMenu(QMenu* menu, const QPoint&) override { menu->deleteLater(); }
    std::optional<srmui::Session> importFile(QWidget*, const QString& path) override
    {
        ImportDialog dialog(path);
        // The user picks 90/10 and leaves the rest as detected.
        QTest::mouseClick(dialog.findChild<QPushButton*>("preset9010"), Qt::LeftButton);
        imported = dialog.session();
        return imported;
    }
    std::optional<srmui::AnalysisPreferences> preferences(QWidget*, const srmui::AnalysisPreferences&) override { return std::nullopt; }
    std::optional<srmui::Session> openDatabase(QWidget*) override { return std::nullopt; }
};
}  // namespace

class TestImportDialog : public QObject {
    Q_OBJECT

private slots:
    void detects_the_sample()
    {
        ImportDialog d(kSample);
        QVERIFY(d.findChild<QLabel*>("dialectLabel")->text().contains("delimiter ','"));
        QCOMPARE(d.findChild<QTableWidget*>("previewTable")->rowCount(), 50);
        QCOMPARE(d.findChild<QTableWidget*>("previewTable")->columnCount(), 8);
        QCOMPARE(combo(d, "timestamp")->currentText(), QString("time"));
        QCOMPARE(combo(d, "user_id")->currentText(), QString("unit"));
        QCOMPARE(combo(d, "variant")->currentText(), QString("variant"));
        QCOMPARE(combo(d, "browser")->currentText(), QString("dimension"));
        QCOMPARE(combo(d, "crashed")->currentText(), QString("metric"));
        QVERIFY(d.findChild<QDoubleSpinBox*>("weight_control"));
        QVERIFY(d.findChild<QDoubleSpinBox*>("weight_treatment"));
        QVERIFY(d.problems().isEmpty());
        QVERIFY(d.findChild<QPushButton*>("analyseButton")->isEnabled());
    }

    void problems_show_before_loading()
    {
        ImportDialog d(kSample);
        combo(d, "browser")->setCurrentText("variant");
        QVERIFY(d.problems().join(' ').contains("2 columns have the role 'variant'"));
        QVERIFY(!d.findChild<QPushButton*>("analyseButton")->isEnabled());
        QVERIFY(d.findChild<QLabel*>("importProblems")->text().contains("variant"));
        combo(d, "browser")->setCurrentText("dimension");
        combo(d, "variant")->setCurrentText("ignore");
        QVERIFY(d.problems().join(' ').contains("No column has the role 'variant'"));
        combo(d, "variant")->setCurrentText("variant");
        d.findChild<QComboBox*>("shapeCombo")->setCurrentIndex(2);  // aggregated
        QVERIFY(d.problems().join(' ').contains("needs a 'count' column"));
        d.findChild<QComboBox*>("shapeCombo")->setCurrentIndex(0);
        QVERIFY(d.problems().isEmpty());
        // Weights: one arm at 0 is a plan (a holdout of nothing); all at 0 is not.
        d.findChild<QDoubleSpinBox*>("weight_control")->setValue(0.0);
        QVERIFY(d.problems().isEmpty());
        QVERIFY(d.findChild<QPushButton*>("analyseButton")->isEnabled());
        d.findChild<QDoubleSpinBox*>("weight_treatment")->setValue(0.0);
        QCOMPARE(d.problems(), QStringList{"Every variant has weight 0."});
        QVERIFY(!d.findChild<QPushButton*>("analyseButton")->isEnabled());
        QCOMPARE(d.findChild<QLabel*>("importProblems")->text(), QString::fromUtf8("\u26A0 Every variant has weight 0."));
        d.findChild<QDoubleSpinBox*>("weight_treatment")->setValue(0.5);
        QVERIFY(d.problems().isEmpty());
    }

    void roles_and_presets_make_the_session()
    {
        ImportDialog d(kSample);
        QTest::mouseClick(d.findChild<QPushButton*>("preset9010"), Qt::LeftButton);
        QCOMPARE(d.findChild<QDoubleSpinBox*>("weight_control")->value(), 90.0);
        QCOMPARE(d.findChild<QDoubleSpinBox*>("weight_treatment")->value(), 10.0);
        combo(d, "crashed")->setCurrentText("ignore");
        combo(d, "country")->setCurrentText("ignore");
        const auto s = d.session();
        QCOMPARE(s.columns.value("variant"), QString("variant"));
        QCOMPARE(s.columns.value("time"), QString("timestamp"));
        QVERIFY(s.metrics && s.metrics->isEmpty());
        QCOMPARE(*s.dimensions, (QStringList{"browser", "os", "sdk_version"}));
        QCOMPARE(s.expected.size(), 2);
        QCOMPARE(s.expected[0].second, 90.0);
        QTest::mouseClick(d.findChild<QPushButton*>("presetEqual"), Qt::LeftButton);
        QCOMPARE(d.session().expected[1].second, 1.0);
    }

    // The two-arm presets fit two variants only: with three they are off
    // (and say why), a click leaves the weights alone; "equal" fits any number.
    void two_arm_presets_only_for_two_variants()
    {
        ImportDialog two(kSample);
        for (const char* name : {"preset5050", "preset9010", "presetEqual"}) {
            QVERIFY2(two.findChild<QPushButton*>(name)->isEnabled(), name);
            QVERIFY(two.findChild<QPushButton*>(name)->toolTip().isEmpty() || QByteArray(name) == "presetEqual");
        }
        QTemporaryDir dir;
        ImportDialog three(writeFile(dir, "three.csv", "timestamp,user_id,variant\n2026-03-01T00:00:00Z,u1,a\n2026-03-01T00:00:01Z,u2,b\n2026-03-01T00:00:02Z,u3,c\n"));
        for (const char* name : {"preset5050", "preset9010"}) {
            auto* b = three.findChild<QPushButton*>(name);
            QVERIFY2(!b->isEnabled(), name);
            QCOMPARE(b->toolTip(), QString("For two variants; the file has 3."));
            QTest::mouseClick(b, Qt::LeftButton);
        }
        QStringList weights;
        for (const auto& [name, w] : three.session().expected) weights << name + "=" + QString::number(w);
        QCOMPARE(weights.join(","), QString("a=1,b=1,c=1"));
        QVERIFY(three.findChild<QPushButton*>("presetEqual")->isEnabled());
    }

    // Every role the reader detects is one the dialog offers, so a file's
    // detected roles can be analysed as shown: a daily export with an hour
    // column, and the warehouse query's result with its variant-jumping and
    // assignment columns (each used to show as a second 'time' column and
    // block Analyse). The session carries them to the analysis.
    void detected_roles_are_offered()
    {
        QTemporaryDir dir;
        ImportDialog h(writeFile(dir, "hourly.csv", "date,hour,variant,users\n2026-03-01,0,control,100\n2026-03-01,0,treatment,90\n2026-03-01,13,control,50\n2026-03-01,13,treatment,60\n"));
        QCOMPARE(combo(h, "hour")->currentText(), QString("hour"));
        QCOMPARE(combo(h, "date")->currentText(), QString("time"));
        QCOMPARE(h.problems(), QStringList{});
        QVERIFY(h.findChild<QPushButton*>("analyseButton")->isEnabled());
        const srm::Report hr = srm::analyse(h.session().request());
        QCOMPARE(hr.srm.units, std::uint64_t(300));
        QCOMPARE(hr.window.traffic_end, std::optional<std::int64_t>(1772323200 + 13 * 3600));

        ImportDialog w(writeFile(dir, "result.csv",
                                 "first_exposure_time,variant,srm_multi_variant,srm_assigned_variant,units\n"
                                 "1772323200,control,0,control,380\n1772323200,control,1,control,20\n1772323200,treatment,0,treatment,400\n"));
        QCOMPARE(combo(w, "srm_multi_variant")->currentText(), QString("multi_variant"));
        QCOMPARE(combo(w, "srm_assigned_variant")->currentText(), QString("assigned_variant"));
        QCOMPARE(w.problems(), QStringList{});
        const srmui::Session ws = w.session();
        QCOMPARE(ws.columns.value("multi_variant"), QString("srm_multi_variant"));
        const srm::AnalysisRequest req = ws.request();
        QCOMPARE(req.load.multi_variant_col, std::optional<std::string>("srm_multi_variant"));
        QCOMPARE(req.load.assigned_variant_col, std::optional<std::string>("srm_assigned_variant"));
        QCOMPARE(srmui::Session::fromRequest(req).columns, ws.columns);
        const srm::Report wr = srm::analyse(req);
        QCOMPARE(wr.srm.units, std::uint64_t(800));
        QCOMPARE(wr.checks.front().id, std::string("variant_jumping"));
        QCOMPARE(*wr.checks.front().value, 20.0 / 800.0);
    }

    void unreadable_file()
    {
        QTemporaryDir dir;
        ImportDialog d(writeFile(dir, "utf16.csv", QByteArray("\xFF\xFEv\0a\0r\0", 8)));
        QVERIFY(d.problems().join(' ').contains("UTF-16"));
        QVERIFY(!d.findChild<QPushButton*>("analyseButton")->isEnabled());
    }

    void file_open_goes_through_the_dialog()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        ScriptedDialogs dialogs;
        dialogs.file = kSample;
        srmui::MainWindow w(&settings, &dialogs);
        w.show();
        QSignalSpy shown(&w, &srmui::MainWindow::reportShown);
        w.findChild<QAction*>("actionOpen")->trigger();
        QVERIFY(shown.wait(30000));
        QVERIFY(dialogs.imported.has_value());
        const auto& report = *w.report();
        QCOMPARE(report.srm.variants[0].expected_share, 0.9);
        QCOMPARE(w.findChild<srmui::HealthBadge*>()->state(), QString("severe"));
        QVERIFY(!w.isModified());  // opening a file is not unsaved work
    }
};

QTEST_MAIN(TestImportDialog)
#include "tst_importdialog.moc"
