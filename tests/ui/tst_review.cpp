// The reviewer's view of the real window (offscreen): every health state is
// shown alike by the badge, the banner, the navigator, the Summary and Copy
// Report; the window's exact window equals srm-check --window; a filter is
// always labelled; the reviewer's work is never lost (prompts before it
// would be, cancel keeps the last result, a moved session finds its files).
#include "analysisengine.h"
#include "commandline.h"
#include "healthbadge.h"
#include "pages.h"
#include "reportmodels.h"
#include "sessioncontroller.h"
#include "timechart.h"
#include "uitestutil.hpp"

#include "srm/analysis.hpp"
#include "srm/simulate.hpp"

#include <QFileInfo>

#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QTableView>
#include <fstream>

namespace {

// What each view says of the health state.
struct Shown {
    QString badge, summary, copy;
    bool banner = false;
    QString navigatorSummary;
};

Shown shown(MainWindow& w)
{
    Shown s;
    s.badge = w.findChild<srmui::HealthBadge*>()->state();
    s.banner = w.findChild<QLabel*>(QStringLiteral("srmAlertBanner"))->isVisible();
    s.summary = w.findChild<QLabel*>(QStringLiteral("healthHeadline"))->text();
    s.copy = w.reportText();
    s.navigatorSummary = w.findChild<QListWidget*>(QStringLiteral("navigator"))->item(5)->data(Qt::UserRole + 1).toString();
    return s;
}

QString writeSimulated(const QTemporaryDir& dir, const char* name, srm::Scenario scenario, std::uint64_t users, std::uint64_t seed)
{
    srm::SimulationSpec spec;
    spec.scenario = scenario;
    spec.users = users;
    spec.seed = seed;
    const QString path = dir.filePath(name);
    std::ofstream out(path.toStdString());
    srm::simulate(spec, out);
    return path;
}

QString writeText(const QTemporaryDir& dir, const char* name, const QByteArray& text)
{
    QFile f(dir.filePath(name));
    f.open(QIODevice::WriteOnly);
    f.write(text);
    return f.fileName();
}

}  // namespace

class TestReview : public QObject {
    Q_OBJECT

private slots:
    // The workbench's own options, each read or refused with its message.
    void workbench_options_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("parsed");  // screenshot|page|palette|segment|session, or "error: message"
        QTest::newRow("none") << QStringList{} << "||||";
        QTest::newRow("screenshot and page") << QStringList{"--screenshot", "/tmp/a.png", "--page=step4"} << "/tmp/a.png|step4|||";
        QTest::newRow("palette dark") << QStringList{"--palette", "dark"} << "||dark||";
        QTest::newRow("palette light") << QStringList{"--palette=light"} << "||light||";
        QTest::newRow("palette blue") << QStringList{"--palette", "blue"} << "error: --palette takes dark or light, not 'blue'";
        QTest::newRow("segment") << QStringList{"--segment", "browser=Safari"} << "|||browser = Safari|";
        QTest::newRow("segment, = in the value") << QStringList{"--segment=sdk=3.2=beta"} << "|||sdk = 3.2=beta|";
        QTest::newRow("segment without =") << QStringList{"--segment", "browser"} << "error: --segment takes DIMENSION=VALUE, not 'browser'";
        QTest::newRow("segment without dimension") << QStringList{"--segment", "=Safari"} << "error: --segment takes DIMENSION=VALUE, not '=Safari'";
        QTest::newRow("page unknown") << QStringList{"--page", "step5"}
                                      << "error: --page takes one of step1, step2, step3, step4, checklist, summary";
        QTest::newRow("screenshot without value") << QStringList{"--screenshot"} << "error: --screenshot needs a value";
        QTest::newRow("session") << QStringList{"/tmp/review.json"} << "||||/tmp/review.json";
        // Any .json, as the window's Open and a drop take it: short, upper-case.
        QTest::newRow("session, short name") << QStringList{"r.json"} << "||||r.json";
        QTest::newRow("session, upper case") << QStringList{"/tmp/REVIEW.SRM.JSON", "--page", "summary"} << "|summary|||/tmp/REVIEW.SRM.JSON";
    }
    void workbench_options()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, parsed);
        std::vector<std::string> v;
        for (const auto& a : args) v.push_back(a.toStdString());
        QString got;
        try {
            const auto c = srmui::parseWorkbenchCommandLine(v, SRM_SAMPLE_DIR);
            got = QStringList{c.screenshot.value_or(QString()), c.page.value_or(QString()), c.palette.value_or(QString()),
                              c.segment ? QString::fromStdString(c.segment->first + " = " + c.segment->second) : QString(),
                              c.session.value_or(QString())}
                      .join('|');
        } catch (const srm::UsageError& e) {
            got = QStringLiteral("error: ") + e.what();
        }
        QCOMPARE(got, parsed);
    }

    void every_view_shows_the_same_health_state_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("state");
        QTest::addColumn<bool>("banner");
        QTest::newRow("healthy") << "counts:a=5030,b=4970" << "healthy" << false;
        QTest::newRow("warn") << "counts:a=5150,b=4850" << "warn" << false;
        QTest::newRow("severe") << "sample" << "severe" << true;
        QTest::newRow("segment_limited") << "sim:segment_skew" << "segment_limited" << true;
        QTest::newRow("input_problem") << "rejected" << "input_problem" << true;
        QTest::newRow("check_failed") << "sim:variant_jumping" << "check_failed" << true;
    }
    void every_view_shows_the_same_health_state()
    {
        QFETCH(QString, input);
        QFETCH(QString, state);
        QFETCH(bool, banner);
        Fixture f;
        f.window.show();
        if (input.startsWith("counts:")) {
            srm::AnalysisRequest r;
            for (const auto& pair : input.mid(7).split(',')) r.counts.emplace_back(pair.section('=', 0, 0).toStdString(), pair.section('=', 1).toDouble());
            QSignalSpy done(&f.window, &MainWindow::reportShown);
            f.window.analyse(r, "counts");
            QVERIFY(done.wait(20000));
        } else if (input == "sample") {
            QVERIFY(f.open(kSample));
        } else if (input == "rejected") {
            QByteArray text = "user_id,variant\n";
            for (int i = 0; i < 200; ++i) text += "u" + QByteArray::number(i) + (i % 2 ? ",a\n" : ",b\n");
            text += "u900\nu901\nu902\n";  // 3 of 203 rows rejected: more than 1 %
            QVERIFY(f.open(writeText(f.dir, "rejected.csv", text)));
        } else {
            const auto scenario = srm::scenario_from_string(input.mid(4).toStdString());
            QVERIFY(f.open(writeSimulated(f.dir, "sim.csv", scenario, 20000, 7)));
        }
        const Shown s = shown(f.window);
        QCOMPARE(s.badge, state);
        QCOMPARE(s.banner, banner);
        QVERIFY(s.copy.startsWith("SRM check"));
        QVERIFY2(s.copy.contains("HEALTH: " + state + " - "), qPrintable(s.copy.left(300)));
        const QString headline = QString::fromStdString(f.window.report()->health.headline);
        QVERIFY2(s.summary.contains(headline.toHtmlEscaped()), qPrintable(s.summary));
        QVERIFY(s.copy.contains(headline));
        if (banner) QVERIFY(f.window.findChild<QLabel*>(QStringLiteral("srmAlertBanner"))->text().contains(headline.toHtmlEscaped()));
        // The navigator's Summary item: ok only when healthy, warn for a warn-level SRM, severe otherwise.
        QCOMPARE(s.navigatorSummary, state == "healthy" ? QString("ok") : state == "warn" ? QString("warn") : QString("severe"));
        // The verdict never says there is no reason to distrust while a check fails or the input is damaged.
        if (state == "check_failed" || state == "input_problem") QVERIFY(!s.copy.contains("no reason to distrust"));
    }

    // The header's scope line is rich text: a segment value with markup
    // characters is shown as written, escaped, never as markup.
    void the_scope_line_escapes_the_segment()
    {
        Fixture f;
        std::ostringstream csv;
        csv << "user_id,variant,browser\n";
        for (int u = 0; u < 400; ++u) csv << "u" << u << "," << (u % 2 ? "b" : "a") << "," << (u % 4 < 2 ? "Fire<b>fox & Co" : "Chrome") << "\n";
        const QString path = f.dir.filePath("markup.csv");
        std::ofstream(path.toStdString()) << csv.str();
        QVERIFY(f.open(path));
        QSignalSpy shown(&f.window, &MainWindow::reportShown);
        f.window.lookAtSegment({"browser", "Fire<b>fox & Co"});
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, 20000);
        const QString label = f.window.findChild<QLabel*>(QStringLiteral("viewScope"))->text();
        QVERIFY2(label.contains("browser = Fire&lt;b&gt;fox &amp; Co"), qPrintable(label));
        QVERIFY2(!label.contains("Fire<b>"), qPrintable(label));
    }

    // The exact window equals srm-check --window: the same units and p.
    void the_window_means_what_srm_check_window_means()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        const qint64 start = 1772755200, end = 1773100800;  // 2026-03-06 00:00 to 2026-03-10 00:00 UTC
        // What each shown report was, as it was shown: the exact count may
        // arrive in the same turn of the event loop as the preview.
        QList<bool> exact;
        QStringList labels;
        connect(&f.window, &MainWindow::reportShown, this, [&](const srm::Report& r) {
            exact << r.scope.exact_window;
            labels << f.window.findChild<QLabel*>(QStringLiteral("viewScope"))->text();
        });
        emit f.window.findChild<srmui::Step1Page*>()->cumulativeChart()->windowDragged(start, end);
        QTRY_VERIFY_WITH_TIMEOUT(exact.size() >= 2, 20000);
        QCOMPARE(exact, (QList<bool>{false, true}));  // the preview, then the exact count
        QVERIFY2(labels.front().contains("preview"), qPrintable(labels.front()));
        const srm::Report& shownReport = *f.window.report();
        QVERIFY(shownReport.scope.exact_window);
        srm::AnalysisRequest cli;
        cli.file = kSample.toStdString();
        cli.window_start = start;
        cli.window_end = end;
        const srm::Report expected = srm::analyse(cli);
        QCOMPARE(shownReport.srm.units, expected.srm.units);
        QCOMPARE(shownReport.srm.p_value, expected.srm.p_value);
        QCOMPARE(shownReport.time_pattern.kind, expected.time_pattern.kind);
        const QString label = f.window.findChild<QLabel*>(QStringLiteral("viewScope"))->text();
        QVERIFY2(label.contains("Window 2026-03-06 00:00 – 2026-03-10 00:00 UTC") &&
                     label.contains(QString("%1 of 14,315 units").arg(QLocale(QLocale::English).toString(qulonglong(expected.srm.units)))),
                 qPrintable(label));
        QVERIFY(f.window.reportText().contains("SHOWING: Window 2026-03-06 00:00 – 2026-03-10 00:00 UTC"));
        // Escape (View > Show All Units) clears it.
        QTest::keyClick(&f.window, Qt::Key_Escape);
        QVERIFY(f.waitReport());
        QVERIFY(f.window.report()->scope.all());
        QVERIFY(!f.window.findChild<QLabel*>(QStringLiteral("viewScope"))->isVisible());
    }

    // srm-workbench --window ... --segment DIM=VALUE opens on exactly that
    // view: the window as srm-check --window counts it, within the segment.
    void a_window_and_segment_from_the_command_line_are_shown_exactly()
    {
        const auto cl = srmui::parseWorkbenchCommandLine(
            {kSample.toStdString(), "--window", "2026-03-06T00:00:00Z,2026-03-10T00:00:00Z", "--segment", "browser=Safari"}, SRM_SAMPLE_DIR);
        QVERIFY(cl.segment);
        Fixture f;
        f.window.show();
        QSignalSpy reports(&f.window, &MainWindow::reportShown);
        f.window.analyse(cl.request, "sample");
        f.window.lookAtSegment(*cl.segment);
        QTRY_VERIFY_WITH_TIMEOUT(f.window.report() && f.window.report()->scope.segment && f.window.report()->scope.exact_window &&
                                     !f.window.findChild<srmui::AnalysisEngine*>()->isRunning(),
                                 30000);
        const srm::Report& r = *f.window.report();
        QCOMPARE(r.scope.window, std::make_optional(std::make_pair<std::int64_t, std::int64_t>(1772755200, 1773100800)));
        const srm::LoadedAnalysis whole = srm::load_analysis([] {
            srm::AnalysisRequest q;
            q.file = kSample.toStdString();
            return q;
        }());
        const srm::Report expected = srm::diagnose_window(whole, 1772755200, 1773100800, std::make_pair(std::string("browser"), std::string("Safari")));
        QCOMPARE(r.srm.units, expected.srm.units);
        QCOMPARE(r.srm.p_value, expected.srm.p_value);
        const QString label = f.window.findChild<QLabel*>(QStringLiteral("viewScope"))->text();
        QVERIFY2(label.contains("Window 2026-03-06 00:00 – 2026-03-10 00:00 UTC") && label.contains("browser = Safari"), qPrintable(label));
        // --segment without DIM=VALUE is a usage error.
        QVERIFY_THROWS_EXCEPTION(srm::UsageError, srmui::parseWorkbenchCommandLine({"--segment", "browser"}, SRM_SAMPLE_DIR));
        // Without a file, the window's value is not taken for one: the sample opens on the window.
        const auto sample = srmui::parseWorkbenchCommandLine({"--window", "2026-03-06T00:00:00Z,2026-03-10T00:00:00Z", "--palette", "dark"}, SRM_SAMPLE_DIR);
        QCOMPARE(sample.request.file, std::make_optional(std::string(SRM_SAMPLE_DIR "/exposures.csv")));
        QCOMPARE(sample.request.window_start, std::make_optional(std::int64_t{1772755200}));
        QCOMPARE(sample.palette, std::make_optional(QString("dark")));
        QCOMPARE(sample.title, QString("sample experiment"));
    }

    // The workbench reads srm-check's options with srm-check's own table: a
    // flag is never followed by its value, an option's value is never the
    // input, and "--name=VALUE" counts as given.
    void the_command_line_reads_options_as_srm_check_does()
    {
        const std::string sample = SRM_SAMPLE_DIR "/exposures.csv";
        auto cl = srmui::parseWorkbenchCommandLine({"--no-memory-check", sample}, SRM_SAMPLE_DIR);
        QCOMPARE(cl.request.file, std::make_optional(QFileInfo(QString::fromStdString(sample)).absoluteFilePath().toStdString()));
        QVERIFY(!cl.request.load.memory_check);
        QCOMPARE(cl.title, QString("exposures.csv"));
        QVERIFY(!cl.request.expected);  // a file of one's own gets no sample plan
        cl = srmui::parseWorkbenchCommandLine({"--strict", "--no-localization", sample, "--threads", "2"}, SRM_SAMPLE_DIR);
        QVERIFY(cl.request.load.strict);
        QVERIFY(!cl.request.localize);
        QCOMPARE(cl.title, QString("exposures.csv"));
        // No input: the sample, with the plan given inline kept as given.
        cl = srmui::parseWorkbenchCommandLine({"--expected=control=60,treatment=40", "--prior-concentration=500"}, SRM_SAMPLE_DIR);
        QCOMPARE(cl.title, QString("sample experiment"));
        const std::vector<std::pair<std::string, double>> plan = {{"control", 60}, {"treatment", 40}};
        QCOMPARE(cl.request.expected, std::make_optional(plan));
        QVERIFY(cl.prior_concentration_given);
        QCOMPARE(cl.request.prior_concentration, 500.0);
        // The prior given on the command line wins over the Preferences' one;
        // without one, the preference is used.
        QCOMPARE(cl.analysisRequest(2500.0).prior_concentration, 500.0);
        QCOMPARE(cl.analysisRequest(2500.0).expected, std::make_optional(plan));
        cl = srmui::parseWorkbenchCommandLine({"--no-memory-check"}, SRM_SAMPLE_DIR);
        QCOMPARE(cl.title, QString("sample experiment"));
        QVERIFY(!cl.prior_concentration_given);
        QCOMPARE(cl.analysisRequest(2500.0).prior_concentration, 2500.0);
        QVERIFY(!cl.analysisRequest(2500.0).load.memory_check);
        cl = srmui::parseWorkbenchCommandLine({"--counts", "a=10,b=12"}, SRM_SAMPLE_DIR);
        QCOMPARE(cl.title, QString("counts"));
        QVERIFY(!cl.request.file);
        QVERIFY_THROWS_EXCEPTION(srm::UsageError, srmui::parseWorkbenchCommandLine({sample, sample}, SRM_SAMPLE_DIR));
        QVERIFY_THROWS_EXCEPTION(srm::UsageError, srmui::parseWorkbenchCommandLine({"--frobnicate"}, SRM_SAMPLE_DIR));
        QVERIFY_THROWS_EXCEPTION(srm::UsageError, srmui::parseWorkbenchCommandLine({"--db", "sqlite:///x.db"}, SRM_SAMPLE_DIR));
    }

    void copy_report_carries_the_reviewers_work()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        auto* checklist = f.window.findChild<srmui::ChecklistPage*>()->model();
        int row = -1;
        for (int r = 0; r < checklist->rowCount() && row < 0; ++r)
            if (checklist->index(r, 0).data(srmui::kStatusRole).toString() == "manual") row = r;
        QVERIFY(checklist->setData(checklist->index(row, srmui::ChecklistModel::Done), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(checklist->setData(checklist->index(row, srmui::ChecklistModel::Notes), "SDK event, not custom", Qt::EditRole));
        f.window.findChild<QPlainTextEdit*>(QStringLiteral("reviewerNotes"))->setPlainText("Safari only; ask the web team.");
        QVERIFY(f.window.findChild<QLabel*>(QStringLiteral("checklistSummary"))->text().contains("1 of 7 questions"));
        emit f.window.findChild<srmui::Step4Page*>()->segmentChosen("browser", "Safari");
        QVERIFY(f.waitReport());
        const QString text = f.window.reportText();
        QVERIFY(text.contains("Reviewer: checked - SDK event, not custom"));
        QVERIFY(text.contains("Reviewer's notes:\nSafari only; ask the web team."));
        QVERIFY2(text.contains("SHOWING: Segment browser = Safari · 2,521 of 14,315 units"), qPrintable(text.left(400)));
    }

    // A note alone on a question is unsaved work but does not answer it; the
    // tick does. Each is asked about before the session is closed.
    void checklist_answers_are_unsaved_work_and_only_ticks_count()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        auto* checklist = f.window.findChild<srmui::ChecklistPage*>()->model();
        auto* summary = f.window.findChild<QLabel*>(QStringLiteral("checklistSummary"));
        int row = -1;
        for (int r = 0; r < checklist->rowCount() && row < 0; ++r)
            if (checklist->index(r, 0).data(srmui::kStatusRole).toString() == "manual") row = r;
        QVERIFY(row >= 0);
        QVERIFY(!f.window.isModified());
        QVERIFY(summary->text().contains("; 0 of 7 questions for the reviewer answered"));
        QVERIFY(checklist->setData(checklist->index(row, srmui::ChecklistModel::Notes), "asked the SDK team", Qt::EditRole));
        QVERIFY(f.window.isModified());
        QVERIFY2(summary->text().contains("; 0 of 7 questions for the reviewer answered"), qPrintable(summary->text()));
        QVERIFY(checklist->setData(checklist->index(row, srmui::ChecklistModel::Done), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(summary->text().contains("; 1 of 7 questions for the reviewer answered"));
        // A tick alone, in a fresh window, is unsaved work as well.
        Fixture g;
        QVERIFY(g.open(kSample));
        auto* other = g.window.findChild<srmui::ChecklistPage*>()->model();
        QVERIFY(!g.window.isModified());
        QVERIFY(other->setData(other->index(row, srmui::ChecklistModel::Done), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(g.window.isModified());
        g.dialogs.choice = srmui::DialogService::Choice::Cancel;
        QVERIFY(!g.window.openFile(kSample));
        QCOMPARE(g.dialogs.unsavedAsked, 1);
    }

    void opening_another_file_asks_before_unsaved_notes_are_lost()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        QVERIFY(!f.window.isModified());  // opening a file alone is not unsaved work
        f.window.findChild<QPlainTextEdit*>(QStringLiteral("reviewerNotes"))->setPlainText("my notes");
        QVERIFY(f.window.isModified());
        f.dialogs.choice = srmui::DialogService::Choice::Cancel;
        QVERIFY(!f.window.openFile(kSample));
        QVERIFY(!f.window.openSession(f.dir.filePath("x.srm.json")));
        QCOMPARE(f.dialogs.unsavedAsked, 2);
        QCOMPARE(f.window.findChild<QPlainTextEdit*>(QStringLiteral("reviewerNotes"))->toPlainText(), QString("my notes"));
        // File > Open (Ctrl+O) asks too, before the file dialog.
        f.dialogs.files << kSample;
        QTest::keyClick(&f.window, Qt::Key_O, Qt::ControlModifier);
        QCOMPARE(f.dialogs.unsavedAsked, 3);
        QCOMPARE(f.dialogs.files.size(), 1);  // the file dialog was not shown
        // Save: the notes are kept in the session, then the file opens.
        f.dialogs.choice = srmui::DialogService::Choice::Save;
        f.dialogs.files = QStringList{f.dir.filePath("kept.srm.json")};
        QVERIFY(f.window.openFile(kSample));
        QVERIFY(QFile::exists(f.dir.filePath("kept.srm.json")));
        QVERIFY(f.waitReport());
        QVERIFY(f.window.findChild<QPlainTextEdit*>(QStringLiteral("reviewerNotes"))->toPlainText().isEmpty());
        // Saved sessions appear in Open Recent.
        QVERIFY(f.settings.value("recentFiles").toStringList().contains(QFileInfo(f.dir.filePath("kept.srm.json")).absoluteFilePath()));
    }

    void cancel_leaves_the_previous_result_whole()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        const QString big = writeSimulated(f.dir, "big.csv", srm::Scenario::Healthy, 400000, 3);
        QSignalSpy failed(&f.window, &MainWindow::analysisFailed);
        QVERIFY(f.window.openFile(big));
        f.window.engine()->cancel();
        QVERIFY(failed.wait(30000));
        QCOMPARE(f.window.findChild<srmui::HealthBadge*>()->state(), QString("severe"));  // the sample's, not "No data"
        QCOMPARE(f.window.report()->srm.units, std::uint64_t(14315));
        QCOMPARE(f.window.findChild<QTableView*>(QStringLiteral("variantTable"))->model()->index(0, 1).data().toString(), QString("7,554"));
        // A failed load leaves nothing stale.
        QVERIFY(f.window.openFile(writeText(f.dir, "bad.csv", "foo,bar\n1,2\n")));
        QVERIFY(failed.wait(20000));
        QVERIFY(f.window.report() == nullptr);
        QCOMPARE(f.window.findChild<QTableView*>(QStringLiteral("variantTable"))->model()->rowCount(), 0);
        QCOMPARE(f.window.findChild<srmui::HealthBadge*>()->state(), QString("none"));
    }

    void a_moved_session_finds_or_asks_for_its_files()
    {
        QTemporaryDir root;
        QDir(root.path()).mkpath("review");
        const QString data = root.filePath("review/exposures.csv"), changes = root.filePath("review/changes.csv");
        QFile::copy(kSample, data);
        QFile::copy(kChanges, changes);
        const QString sessionPath = root.filePath("review/review.srm.json");
        {
            Fixture f;
            QVERIFY(f.open(data));
            f.window.setChangeLog(changes);
            QVERIFY(f.waitReport());
            f.window.findChild<QPlainTextEdit*>(QStringLiteral("reviewerNotes"))->setPlainText("moved later");
            QVERIFY(f.window.saveSessionTo(sessionPath));
        }
        // The folder moves: the relative paths find the files, nothing asked.
        QVERIFY(QDir(root.path()).rename("review", "moved"));
        {
            Fixture f;
            f.window.show();
            QVERIFY(f.window.openSession(root.filePath("moved/review.srm.json")));
            QVERIFY(f.waitReport());
            QVERIFY(f.dialogs.asked.isEmpty());
            QCOMPARE(f.window.session().dataFile, QDir::cleanPath(root.filePath("moved/exposures.csv")));
            QCOMPARE(f.window.session().notes, QString("moved later"));
        }
        // Only the data moves elsewhere: the user is asked where it is.
        QDir(root.path()).mkpath("elsewhere");
        QVERIFY(QFile::rename(root.filePath("moved/exposures.csv"), root.filePath("elsewhere/exposures.csv")));
        {
            Fixture f;
            f.window.show();
            f.dialogs.located << root.filePath("elsewhere/exposures.csv");
            QVERIFY(f.window.openSession(root.filePath("moved/review.srm.json")));
            QVERIFY(f.waitReport());
            QCOMPARE(f.dialogs.asked.size(), 1);
            QVERIFY(f.dialogs.asked.front().endsWith("exposures.csv"));
            QCOMPARE(f.window.report()->srm.units, std::uint64_t(14315));
            QVERIFY(f.window.isModified());  // the relocation is worth saving
        }
        // And giving up leaves the window as it was, with a message.
        {
            Fixture f;
            f.window.show();
            QVERIFY(!f.window.openSession(root.filePath("moved/review.srm.json")));
            QVERIFY(f.dialogs.errors.last().contains("missing"));
            QVERIFY(f.window.report() == nullptr);
        }
    }

    // A change-log marker answers within a few pixels of its line.
    void marker_tooltips_are_easy_to_hit()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        f.window.setChangeLog(kChanges);
        QVERIFY(f.waitReport());
        f.window.showPage("step1");
        f.window.resize(1200, 900);
        QTest::qWait(50);
        auto* view = f.window.findChild<srmui::Step1Page*>()->cumulativeChart();
        QLineSeries* marker = nullptr;
        for (auto* s : view->chart()->series())
            if (auto* l = qobject_cast<QLineSeries*>(s); l && l->property("tip").toString().contains("Raised image cache TTL")) marker = l;
        QVERIFY(marker);
        const QPoint at = view->mapFromScene(view->chart()->mapToPosition(marker->at(0), marker));
        QVERIFY(view->markerTipAt(at + QPoint(4, -40), 6).contains("Raised image cache TTL"));
        QVERIFY(view->markerTipAt(at + QPoint(-5, -40), 6).contains("Raised image cache TTL"));
        QVERIFY(view->markerTipAt(at + QPoint(40, -40), 6).isEmpty());
    }

    void tables_copy_their_cells_and_let_tab_move_on()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        f.window.showPage("step4");
        auto* table = f.window.findChild<QTableView*>(QStringLiteral("segmentsTable"));
        QVERIFY(!table->tabKeyNavigation());
        table->setFocus();
        table->selectRow(0);
        QTest::keyClick(table, Qt::Key_C, Qt::ControlModifier);
        const QString copied = QGuiApplication::clipboard()->text();
        QVERIFY2(copied.startsWith("browser\tSafari\t2,521"), qPrintable(copied));
        QVERIFY(!copied.contains("HEALTH"));  // not the whole report
        // The filter matches dimension and value, not the rank's words.
        auto* filter = f.window.findChild<QLineEdit*>(QStringLiteral("segmentFilter"));
        QTest::keyClicks(filter, "implicated");
        QCOMPARE(f.window.findChild<srmui::Step4Page*>()->proxy()->rowCount(), 0);
        filter->clear();
        QTest::keyClicks(filter, "os = iOS");
        QCOMPARE(f.window.findChild<srmui::Step4Page*>()->proxy()->rowCount(), 1);
        // Spaces around the text, as a paste brings them, are not part of it.
        filter->clear();
        QTest::keyClicks(filter, "  os = iOS ");
        QCOMPARE(f.window.findChild<srmui::Step4Page*>()->proxy()->rowCount(), 1);
        filter->clear();
        QTest::keyClicks(filter, "   ");
        QCOMPARE(f.window.findChild<srmui::Step4Page*>()->proxy()->rowCount(), f.window.findChild<srmui::Step4Page*>()->proxy()->sourceModel()->rowCount());
    }
};

QTEST_MAIN(TestReview)
#include "tst_review.moc"
