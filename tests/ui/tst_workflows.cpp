// Workflows that can fail: each drives the real window (or the real
// binary) and asserts a value the test computes itself from the fixture's
// rows. Cancel clicked while the file is being read; dropping a different
// CSV and a session file; a window dragged on the chart whose start
// excludes units; a session that restores its window and segment; the
// no-display fallback; --screenshot.
#include "analysisengine.h"
#include "commandline.h"
#include "pages.h"
#include "sessioncontroller.h"
#include "timechart.h"
#include "uitestutil.hpp"

#include "srm/simulate.hpp"

#include <QAction>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QToolButton>
#include <fstream>
#include <set>
#include <sstream>

namespace {

constexpr std::int64_t kT0 = 1772323200;  // 2026-03-01T00:00:00Z

// 2000 units, unit i first exposed at kT0 + i * 432 s (ten days), control
// for even i; every 3rd unit of Safari is moved to control. One row per unit.
QString writeTenDays(const QString& path)
{
    std::ofstream out(path.toStdString());
    out << "timestamp,user_id,variant,browser\n";
    for (int i = 0; i < 2000; ++i) {
        const qint64 t = kT0 + qint64(i) * 432;
        const bool safari = i % 4 == 1;
        const bool control = i % 2 == 0 || (safari && i % 3 == 0);
        out << QDateTime::fromSecsSinceEpoch(t, Qt::UTC).toString(Qt::ISODate).toStdString() << ",u" << i << "," << (control ? "control" : "treatment")
            << "," << (safari ? "Safari" : "Chrome") << "\n";
    }
    return path;
}

// The units of writeTenDays whose first exposure lies in [start, end].
int unitsIn(qint64 start, qint64 end)
{
    int n = 0;
    for (int i = 0; i < 2000; ++i) n += kT0 + qint64(i) * 432 >= start && kT0 + qint64(i) * 432 <= end;
    return n;
}

QString bigFile(const QString& path)
{
    srm::SimulationSpec spec;
    spec.users = 300000;
    std::ofstream out(path.toStdString());
    srm::simulate(spec, out);
    return path;
}

void drop(QWidget* target, const QString& path)
{
    QMimeData data;
    data.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QDropEvent event(QPointF(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &event);
}

// Starts the workbench as on a machine without a display.
void startWithoutDisplay(QProcess& p, const QStringList& args)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) env.remove(QString::fromLatin1(v));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SRM_WORKBENCH_BIN), args);
}

}  // namespace

class TestWorkflows : public QObject {
    Q_OBJECT

private slots:
    // Cancel clicked while the file is being read: the load stops, the last
    // result stays on screen.
    void cancel_clicked_mid_load()
    {
        Fixture f;
        const QString small = writeTenDays(f.dir.filePath("ten.csv"));
        QVERIFY(f.open(small));
        QCOMPARE(f.window.report()->srm.units, 2000u);
        srm::AnalysisRequest r;
        r.file = bigFile(f.dir.filePath("big.csv")).toStdString();
        r.load.chunk_bytes = 1 << 14;  // many small chunks: the load takes a while
        QSignalSpy progress(f.window.engine(), &srmui::AnalysisEngine::progressChanged);
        QSignalSpy cancelled(f.window.engine(), &srmui::AnalysisEngine::cancelled);
        QSignalSpy shown(&f.window, &MainWindow::reportShown);
        f.window.analyse(r, "big");
        auto* cancel = f.window.findChild<QPushButton*>(QStringLiteral("cancelButton"));
        QVERIFY(cancel);
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().at(0).toDouble() > 0.05, 30000);
        // Still loading when Cancel is clicked (the queued progress can be far
        // along on a slow machine; that the load stops is what is asserted below:
        // cancelled, and no report shown).
        QVERIFY(progress.last().at(0).toDouble() < 1.0);
        QVERIFY(cancel->isVisible() && cancel->isEnabled());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(cancelled.wait(30000));
        QTest::qWait(200);
        QCOMPARE(shown.count(), 0);
        QCOMPARE(f.window.report()->srm.units, 2000u);  // the last result is kept
        QVERIFY(!f.window.findChild<QProgressBar*>(QStringLiteral("loadProgress"))->isVisible());
    }

    // Dropping a CSV opens it through the import dialog (the path the dialog
    // was shown for is recorded); dropping a session opens the session.
    void dropping_a_different_csv_and_a_session()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        const QString other = writeTenDays(f.dir.filePath("other.csv"));
        f.dialogs.imported = srmui::Session{};
        QSignalSpy shown(&f.window, &MainWindow::reportShown);
        drop(&f.window, other);
        QVERIFY(shown.wait(30000));
        QCOMPARE(f.dialogs.importedPaths, QStringList{other});
        QCOMPARE(f.window.session().dataFile, other);
        QCOMPARE(f.window.report()->srm.units, 2000u);
        const QString session = f.dir.filePath("ten.srm.json");
        QVERIFY(f.window.saveSessionTo(session));
        QVERIFY(f.open(kSample));
        QVERIFY(f.window.report()->srm.units != 2000u);
        drop(&f.window, session);
        QVERIFY(shown.wait(30000));
        QCOMPARE(f.dialogs.importedPaths, QStringList{other});  // a session skips the import dialog
        QCOMPARE(f.window.session().dataFile, other);
        QCOMPARE(f.window.report()->srm.units, 2000u);
    }

    // A window dragged across the cumulative chart: the exact report counts
    // the units first exposed inside it, none before its start.
    void dragged_window_excludes_units_before_its_start()
    {
        Fixture f;
        f.window.resize(1200, 900);
        QVERIFY(f.open(writeTenDays(f.dir.filePath("ten.csv"))));
        f.window.showPage("step1");
        QTest::qWait(50);
        auto* view = f.window.findChild<srmui::Step1Page*>()->cumulativeChart();
        view->ensureDrawn();
        const QRectF plot = view->chart()->plotArea();
        const QPoint from = view->mapFromScene(QPointF(plot.left() + plot.width() * 0.4, plot.center().y()));
        const QPoint to = view->mapFromScene(QPointF(plot.left() + plot.width() * 0.9, plot.center().y()));
        QSignalSpy dragged(view, &srmui::TimeChartView::windowDragged);
        QSignalSpy shown(&f.window, &MainWindow::reportShown);
        QTest::mousePress(view->viewport(), Qt::LeftButton, {}, from);
        QTest::mouseMove(view->viewport(), to);
        QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, to);
        QCOMPARE(dragged.count(), 1);
        const qint64 start = dragged.at(0).at(0).toLongLong(), end = dragged.at(0).at(1).toLongLong();
        QVERIFY(start > kT0 + 86400);
        QTRY_VERIFY_WITH_TIMEOUT(f.window.report() && f.window.report()->scope.exact_window && f.window.report()->scope.window, 30000);
        const auto& rep = *f.window.report();
        QCOMPARE(rep.scope.window->first, start);
        QCOMPARE(rep.scope.window->second, end);
        QCOMPARE(int(rep.srm.units), unitsIn(start, end));
        QVERIFY(unitsIn(start, end) < unitsIn(kT0, end));
    }

    // A session saved with a window and a segment restores both.
    // Every field of a request a session keeps comes back from its JSON.
    void every_field_of_a_session_survives_save_and_open()
    {
        srm::AnalysisRequest r;
        r.file = "/data/e.csv";
        r.changes_file = "/data/c.csv";
        r.allocation_file = "/data/a.csv";
        r.load.time_col = "t";
        r.load.unit_col = "u";
        r.load.variant_col = "v";
        r.load.count_col = "n";
        r.load.event_col = "k";
        r.load.inclusion_col = "inc";
        r.load.hour_col = "h";
        r.load.time_format = "%d.%m.%Y %H:%M";
        r.load.time_year = 2025;
        r.control = "treatment";
        r.load.dimensions = std::vector<std::string>{"browser", "os"};
        r.load.metrics = std::vector<std::string>{"crashed"};
        r.load.shape = srm::Shape::Aggregated;
        r.expected = srm::Weights{{"control", 60}, {"treatment", 40}};
        r.prior_concentration = 10000;
        r.options.thresholds = {0.05, 0.005};
        r.options.min_practical_pp = 1.5;
        r.near_change_hours = 6;
        r.min_segment_units = 250;
        r.localize = false;
        r.load.delimiter = ';';
        r.load.header = false;
        r.load.strict = true;
        r.load.max_dimension_values = 12;
        r.load.memory_check = false;
        const srm::AnalysisRequest back = srmui::Session::fromJson(srmui::Session::fromRequest(r).toJson()).request();
        QCOMPARE(back.options.thresholds.warn, 0.05);
        QCOMPARE(back.options.thresholds.severe, 0.005);
        QCOMPARE(back.options.min_practical_pp, 1.5);
        QCOMPARE(back.near_change_hours, 6.0);
        QCOMPARE(back.min_segment_units, std::uint64_t(250));
        QVERIFY(!back.localize);
        QCOMPARE(back.load.delimiter, std::make_optional(';'));
        QCOMPARE(back.load.header, std::make_optional(false));
        QVERIFY(back.load.strict);
        QCOMPARE(back.load.max_dimension_values, std::size_t(12));
        QVERIFY(!back.load.memory_check);
        QCOMPARE(back.file, r.file);
        QCOMPARE(back.changes_file, r.changes_file);
        QCOMPARE(back.allocation_file, r.allocation_file);
        for (auto col : {&srm::LoadOptions::time_col, &srm::LoadOptions::unit_col, &srm::LoadOptions::variant_col, &srm::LoadOptions::count_col,
                         &srm::LoadOptions::event_col, &srm::LoadOptions::inclusion_col, &srm::LoadOptions::hour_col})
            QCOMPARE(back.load.*col, r.load.*col);
        QCOMPARE(back.load.time_format, r.load.time_format);
        QCOMPARE(back.load.time_year, r.load.time_year);
        QCOMPARE(back.control, r.control);
        QCOMPARE(back.load.dimensions, r.load.dimensions);
        QCOMPARE(back.load.metrics, r.load.metrics);
        QCOMPARE(back.load.shape, r.load.shape);
        QCOMPARE(back.expected, r.expected);
        QCOMPARE(back.prior_concentration, 10000.0);
        // And what is not given stays unset.
        srm::AnalysisRequest plain;
        plain.file = "/data/e.csv";
        const srm::AnalysisRequest bare = srmui::Session::fromJson(srmui::Session::fromRequest(plain).toJson()).request();
        QVERIFY(!bare.control && !bare.load.dimensions && !bare.load.shape && !bare.expected && !bare.load.time_col && !bare.changes_file);
        QCOMPARE(bare.prior_concentration, 100.0);
        const srm::AnalysisRequest defaults;
        QCOMPARE(bare.options.thresholds.warn, defaults.options.thresholds.warn);
        QCOMPARE(bare.options.thresholds.severe, defaults.options.thresholds.severe);
        QCOMPARE(bare.near_change_hours, defaults.near_change_hours);
        QCOMPARE(bare.min_segment_units, defaults.min_segment_units);
        QVERIFY(bare.localize && !bare.load.delimiter && !bare.load.header && !bare.load.strict && bare.load.memory_check);
        QCOMPARE(bare.load.max_dimension_values, defaults.load.max_dimension_values);
        // A malformed setting is refused with its name.
        QJsonObject j = srmui::Session::fromRequest(plain).toJson();
        const std::vector<std::pair<const char*, QJsonValue>> bad = {
            {"warn_alpha", 0.0},          {"warn_alpha", 1.5},         {"severe_alpha", 0.5},  {"min_practical_pp", -1.0},
            {"near_hours", 0.0},          {"min_segment_units", 2.5},  {"min_segment_units", 0.0}, {"max_dimension_values", 70000.0},
            {"localize", "yes"},          {"delimiter", ":"},          {"header", 1.0}};
        for (const auto& [key, value] : bad) {
            QJsonObject set = j["settings"].toObject();
            set[key] = value;
            j["settings"] = set;
            try {
                srmui::Session::fromJson(j);
                QFAIL(key);
            } catch (const std::runtime_error& e) {
                QVERIFY2(QString(e.what()).contains(QString("'%1'").arg(key)), e.what());
            }
            j = srmui::Session::fromRequest(plain).toJson();
        }
        // A severe level equal to the warn level is kept, as srm-check keeps it (one level, no warnings).
        {
            QJsonObject set = j["settings"].toObject();
            set["warn_alpha"] = 0.01;
            set["severe_alpha"] = 0.01;
            j["settings"] = set;
            const srm::AnalysisRequest equal = srmui::Session::fromJson(j).request();
            QCOMPARE(equal.options.thresholds.warn, 0.01);
            QCOMPARE(equal.options.thresholds.severe, 0.01);
            j = srmui::Session::fromRequest(plain).toJson();
        }
        // A window of one second (start == end) is kept; an end before its
        // start, a fraction of a second or beyond 2^53 is refused.
        auto withWindow = [&](double start, double end) {
            QJsonObject s = srmui::Session::fromRequest(plain).toJson();
            s["window"] = QJsonObject{{"start", start}, {"end", end}};
            return s;
        };
        QCOMPARE(srmui::Session::fromJson(withWindow(1772755200, 1772755200)).refinement.window,
                 std::make_optional(std::make_pair(std::int64_t(1772755200), std::int64_t(1772755200))));
        QCOMPARE(srmui::Session::fromJson(withWindow(-86400, 0)).refinement.window,
                 std::make_optional(std::make_pair(std::int64_t(-86400), std::int64_t(0))));
        for (const auto& [start, end] : std::vector<std::pair<double, double>>{
                 {1772755201, 1772755200}, {1772755200.5, 1772755300}, {0, 9007199254740994.0}, {-9007199254740994.0, 0}}) {
            try {
                srmui::Session::fromJson(withWindow(start, end));
                QFAIL(qPrintable(QString("window %1..%2 accepted").arg(start, 0, 'f', 1).arg(end, 0, 'f', 1)));
            } catch (const std::runtime_error& e) {
                QCOMPARE(QString(e.what()), QString("the session's window is malformed (its start and end are whole seconds since 1970, start first)"));
            }
        }
    }

    // The workbench started with srm-check's options keeps them when the
    // analysis re-runs for a new prior (Edit > Preferences).
    void command_line_settings_survive_a_rerun()
    {
        QTemporaryDir dir;
        ScriptedDialogs dialogs;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        srmui::SessionController c(nullptr, &settings, &dialogs);
        srm::AnalysisRequest r;
        r.file = "/data/e.csv";
        r.options.thresholds = {0.05, 0.02};
        r.near_change_hours = 3;
        r.load.delimiter = '|';
        c.startRequest(r);
        QSignalSpy requested(&c, &srmui::SessionController::analysisRequested);
        c.setPriorConcentration(5000);
        QCOMPARE(requested.size(), 1);
        const auto again = requested.front().front().value<srm::AnalysisRequest>();
        QCOMPARE(again.prior_concentration, 5000.0);
        QCOMPARE(again.options.thresholds.warn, 0.05);
        QCOMPARE(again.options.thresholds.severe, 0.02);
        QCOMPARE(again.near_change_hours, 3.0);
        QCOMPARE(again.load.delimiter, std::make_optional('|'));
    }

    void session_restores_window_and_segment()
    {
        const qint64 start = kT0 + 2 * 86400, end = kT0 + 6 * 86400 - 1;
        QString path;
        QTemporaryDir keep;
        {
            Fixture f;
            QVERIFY(f.open(writeTenDays(keep.filePath("ten.csv"))));
            emit f.window.findChild<srmui::Step1Page*>()->cumulativeChart()->windowDragged(start, end);
            QTRY_VERIFY_WITH_TIMEOUT(f.window.report()->scope.exact_window && f.window.report()->scope.window, 30000);
            f.window.lookAtSegment({"browser", "Safari"});
            QTRY_VERIFY_WITH_TIMEOUT(f.window.report()->scope.segment.has_value(), 30000);
            QVERIFY(f.window.session().refinement.window == std::make_optional(std::make_pair(std::int64_t(start), std::int64_t(end))));
            path = keep.filePath("scoped.srm.json");
            QVERIFY(f.window.saveSessionTo(path));
        }
        Fixture g;
        g.window.show();
        QVERIFY(g.window.openSession(path));
        QTRY_VERIFY_WITH_TIMEOUT(g.window.report() && g.window.report()->scope.segment && g.window.report()->scope.window, 30000);
        const auto& rep = *g.window.report();
        QCOMPARE(rep.scope.window->first, start);
        QCOMPARE(rep.scope.window->second, end);
        // Safari units (i % 4 == 1) first exposed in the window.
        int safari = 0;
        for (int i = 0; i < 2000; ++i) safari += i % 4 == 1 && kT0 + i * 432 >= start && kT0 + i * 432 <= end;
        QCOMPARE(int(rep.srm.units), safari);
    }

    // Edit > Preferences: the prior concentration re-runs the open analysis,
    // is kept in the settings for new files and saved with the session.
    void prior_concentration_preference_and_session()
    {
        Fixture f;
        QVERIFY(f.open(writeTenDays(f.dir.filePath("ten.csv"))));
        QCOMPARE(f.window.report()->sequential.concentration, 100.0);
        const double p100 = f.window.report()->sequential.log10_p_value;
        auto* action = f.window.findChild<QAction*>(QStringLiteral("actionPreferences"));
        QVERIFY(action);
        f.dialogs.preferencesAnswer.reset();  // Cancel: nothing changes
        action->trigger();
        QCOMPARE(f.dialogs.preferencesShown, QList<double>{100.0});
        QVERIFY(!f.window.isModified());
        f.dialogs.preferencesAnswer = srmui::AnalysisPreferences{10000.0};
        QSignalSpy shown(&f.window, &MainWindow::reportShown);
        action->trigger();
        QVERIFY(shown.wait(30000));
        QCOMPARE(f.window.report()->sequential.concentration, 10000.0);
        QVERIFY(f.window.report()->sequential.log10_p_value != p100);
        QCOMPARE(f.settings.value("analysis/prior_concentration").toDouble(), 10000.0);
        QVERIFY(f.window.isModified());
        const QString path = f.dir.filePath("c.srm.json");
        QVERIFY(f.window.saveSessionTo(path));
        QFile saved(path);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(saved.readAll()).object()["prior_concentration"].toDouble(), 10000.0);
        // A new file takes the preference.
        QVERIFY(f.open(writeTenDays(f.dir.filePath("again.csv"))));
        QCOMPARE(f.window.report()->sequential.concentration, 10000.0);
        // Another workbench (default settings) opens the session with its own value.
        Fixture g;
        g.window.show();
        QSignalSpy gshown(&g.window, &MainWindow::reportShown);
        QVERIFY(g.window.openSession(path));
        QVERIFY(gshown.wait(30000));
        QCOMPARE(g.window.report()->sequential.concentration, 10000.0);
        QCOMPARE(g.window.report()->sequential.log10_p_value, f.window.report()->sequential.log10_p_value);
    }

    // The dialog itself: shows the current value, Restore Defaults, the range.
    void preferences_dialog()
    {
        srmui::PreferencesDialog d(srmui::AnalysisPreferences{2500.0});
        auto* spin = d.findChild<QDoubleSpinBox*>(QStringLiteral("priorConcentration"));
        QVERIFY(spin);
        QCOMPARE(spin->value(), 2500.0);
        spin->setValue(-5);
        QCOMPARE(d.preferences().priorConcentration, 0.01);
        auto* box = d.findChild<QDialogButtonBox*>();
        QTest::mouseClick(box->button(QDialogButtonBox::RestoreDefaults), Qt::LeftButton);
        QCOMPARE(d.preferences().priorConcentration, 100.0);
        QTemporaryDir dir;
        QSettings s(dir.filePath("s.ini"), QSettings::IniFormat);
        s.setValue("analysis/prior_concentration", "not a number");
        QCOMPARE(srmui::AnalysisPreferences::load(s).priorConcentration, 100.0);
        srmui::AnalysisPreferences{42.0}.save(s);
        QCOMPARE(srmui::AnalysisPreferences::load(s).priorConcentration, 42.0);
    }

    // A window from the command line with only an end (--window ,END): the
    // exact report counts the units first exposed up to its end.
    void command_line_window_with_only_an_end()
    {
        Fixture f;
        f.window.show();
        srm::AnalysisRequest r;
        r.file = writeTenDays(f.dir.filePath("ten.csv")).toStdString();
        r.window_end = kT0 + 3 * 86400 - 1;
        QSignalSpy shown(&f.window, &MainWindow::reportShown);
        f.window.analyse(r, "ten");
        QTRY_VERIFY_WITH_TIMEOUT(f.window.report() && f.window.report()->scope.window, 30000);
        QCOMPARE(int(f.window.report()->srm.units), unitsIn(kT0, kT0 + 3 * 86400 - 1));
        QCOMPARE(f.window.report()->scope.window->second, kT0 + 3 * 86400 - 1);
    }

    // Without a display the workbench prints srm-check's report, and exits 0
    // once it is printed, whatever the report found: an SRM (srm-check's 1)
    // or a failed check (srm-check's 2).
    void no_display_prints_the_report_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("srm") << "ten.csv" << QByteArray("2000");
        QTest::newRow("check failed") << "jump.csv" << QByteArray("20 of 200 units (10.00 %) were exposed to more than one variant");
    }
    void no_display_prints_the_report()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, expected);
        QTemporaryDir dir;
        QString file = dir.filePath(name);
        if (name == "ten.csv") {
            writeTenDays(file);
        } else {
            // 200 units alternating between the variants; the first 20 are
            // also exposed to the other one an hour later (10 % > 5 %).
            std::ofstream out(file.toStdString());
            out << "timestamp,user_id,variant\n";
            auto row = [&](qint64 t, int unit, bool control) {
                out << QDateTime::fromSecsSinceEpoch(t, Qt::UTC).toString(Qt::ISODate).toStdString() << ",u" << unit << "," << (control ? "control" : "treatment")
                    << "\n";
            };
            for (int i = 0; i < 200; ++i) row(kT0 + i * 60, i, i % 2 == 0);
            for (int i = 0; i < 20; ++i) row(kT0 + 3600 + i * 60, i, i % 2 != 0);
        }
        QProcess p;
        startWithoutDisplay(p, {file});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY(p.readAllStandardError().contains("no display found"));
        const QByteArray out = p.readAllStandardOutput();
        QVERIFY2(out.contains(expected) && out.contains("control"), out.constData());
        QCOMPARE(p.exitCode(), 0);
    }

    // --version prints the name and the project's version, one line; --help
    // the usage; neither needs a display, and both exit 0 with nothing on stderr.
    void version_and_help_without_display()
    {
        QProcess v;
        startWithoutDisplay(v, {QStringLiteral("--version")});
        QVERIFY(v.waitForFinished(60000));
        QCOMPARE(v.exitCode(), 0);
        QCOMPARE(v.readAllStandardOutput(), QByteArray("srm-workbench " SRM_PROJECT_VERSION "\n"));
        QCOMPARE(v.readAllStandardError(), QByteArray());
        QProcess h;
        startWithoutDisplay(h, {QStringLiteral("--help")});
        QVERIFY(h.waitForFinished(60000));
        QCOMPARE(h.exitCode(), 0);
        const QByteArray help = h.readAllStandardOutput();
        QVERIFY2(help.startsWith("Usage: srm-workbench [FILE | SESSION.srm.json | --counts NAME=N,...] [options]\n"), help.constData());
        QCOMPARE(QString::fromStdString(srmui::workbenchUsage()), QString::fromUtf8(help));
        QCOMPARE(h.readAllStandardError(), QByteArray());
        // A wrong command line is a usage error: 64, the reason and the hint on stderr.
        QProcess bad;
        startWithoutDisplay(bad, {QStringLiteral("--palette"), QStringLiteral("blue")});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitStatus(), QProcess::NormalExit);
        QCOMPARE(bad.exitCode(), 64);
        QCOMPARE(bad.readAllStandardError(),
                 QByteArray("srm-workbench: --palette takes dark or light, not 'blue'\nTry 'srm-workbench --help'.\n"));
        QCOMPARE(bad.readAllStandardOutput(), QByteArray());
    }

    // QT_QPA_PLATFORM (here offscreen) is a display though DISPLAY is
    // unset: the window opens (and runs until closed) instead of the
    // report being printed.
    void offscreen_without_display_opens_the_window()
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* v : {"DISPLAY", "WAYLAND_DISPLAY"}) env.remove(QString::fromLatin1(v));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(SRM_WORKBENCH_BIN), {kSample});
        QVERIFY(p.waitForStarted(30000));
        QVERIFY2(!p.waitForFinished(5000), p.readAllStandardOutput().left(200).constData());
        QCOMPARE(p.readAllStandardOutput(), QByteArray());
        QVERIFY(!p.readAllStandardError().contains("no display found"));
        p.kill();
        p.waitForFinished(30000);
    }

    // A session cannot be printed: without a display, opening one is a usage
    // error (64, srm-check's code for a command that cannot run as given),
    // with the reason, and nothing on stdout.
    void no_display_refuses_a_session()
    {
        QTemporaryDir dir;
        const QString session = dir.filePath("review.srm.json");
        std::ofstream(session.toStdString()) << "{}\n";
        QProcess p;
        startWithoutDisplay(p, {session});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 64);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("srm-workbench: a session needs the window; open it where there is a display"), err.constData());
        QCOMPARE(p.readAllStandardOutput(), QByteArray());
    }

    // A session file that cannot be opened is bad input (65, srm-check's
    // code), with the reason on stderr and no screenshot written.
    void a_broken_session_exits_65()
    {
        QTemporaryDir dir;
        const QString session = dir.filePath("broken.srm.json"), png = dir.filePath("never.png");
        std::ofstream(session.toStdString()) << "{ not json\n";
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(SRM_WORKBENCH_BIN), {session, "--screenshot", png});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 65);
        QVERIFY(!p.readAllStandardError().isEmpty());
        QVERIFY(!QFile::exists(png));
    }

    // srm-workbench FILE --segment DIM=VALUE opens on the segment: its
    // screenshot differs from the whole experiment's, which is the same
    // from one run to the next (the capture is deterministic offscreen).
    void segment_from_the_command_line_changes_the_view()
    {
        QTemporaryDir dir;
        auto shot = [&](const QString& name, const QStringList& extra) {
            const QString png = dir.filePath(name);
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("QT_QPA_PLATFORM", "offscreen");
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(SRM_WORKBENCH_BIN), QStringList{QStringLiteral(SRM_SAMPLE_DIR "/exposures.csv"), "--screenshot", png} + extra);
            if (!p.waitForFinished(60000) || p.exitCode() != 0) return QImage();
            return QImage(png);
        };
        const QImage whole = shot("whole.png", {}), again = shot("again.png", {}), safari = shot("safari.png", {"--segment", "browser=Safari"});
        QVERIFY(!whole.isNull() && !again.isNull() && !safari.isNull());
        QVERIFY(whole == again);
        QVERIFY(safari != whole);
    }

    // --screenshot renders the page to a PNG once the analysis is shown.
    void screenshot_writes_the_page()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath("step4.png");
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(SRM_WORKBENCH_BIN), {writeTenDays(dir.filePath("ten.csv")), "--screenshot", png, "--page", "step4"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QImage img(png);
        QVERIFY(!img.isNull());
        QVERIFY(img.width() >= 800 && img.height() >= 500);
        std::set<QRgb> colours;
        for (int y = 0; y < img.height(); y += 7)
            for (int x = 0; x < img.width(); x += 7) colours.insert(img.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));  // drawn, not a blank window
    }
};

QTEST_MAIN(TestWorkflows)
#include "tst_workflows.moc"
