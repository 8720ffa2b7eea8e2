// The real main window under the offscreen platform, driven as a user would:
// open the bundled sample through the same path as File > Open, wait for the
// analysis, then assert what each page shows; choose a segment and a window;
// save and reopen a session; the unsaved-changes prompt. Dialogs go through
// a scripted DialogService and settings live in a temporary file.
#include "analysisengine.h"
#include "dialogservice.h"
#include "healthbadge.h"
#include "mainwindow.h"
#include "pages.h"
#include "reportmodels.h"
#include "timechart.h"
#include "uitestutil.hpp"
#include "variantmodel.h"

#include <QBarSeries>
#include <QBarSet>
#include <QChartView>
#include <QLabel>
#include <cmath>
#include <QLineEdit>
#include <QPushButton>
#include <QLineSeries>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolButton>
#include <QTemporaryDir>
#include <QMimeData>
#include <QtTest>
#include <fstream>
#include "srm/simulate.hpp"


namespace {


QList<QLineSeries*> lineSeries(srmui::TimeChartView* view, bool markers)
{
    view->ensureDrawn();  // what the event loop's next turn does
    QList<QLineSeries*> out;
    for (auto* s : view->chart()->series())
        if (auto* l = qobject_cast<QLineSeries*>(s); l && l->property("marker").toBool() == markers) out << l;
    return out;
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void opens_the_sample_and_shows_the_srm()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        auto& w = f.window;
        auto* badge = w.findChild<srmui::HealthBadge*>(QStringLiteral("healthBadge"));
        QCOMPARE(badge->state(), QString("severe"));
        QVERIFY(badge->findChild<QLabel*>(QStringLiteral("healthAnswer"))->text().contains("Severe SRM"));
        QVERIFY(badge->toolTip().contains("7,554") && badge->toolTip().contains("p = 3.4e-11"));
        auto* banner = w.findChild<QLabel*>(QStringLiteral("srmAlertBanner"));
        QVERIFY(banner->isVisible() && banner->text().contains("p = 3.4e-11"));
        auto* variants = w.findChild<QTableView*>(QStringLiteral("variantTable"))->model();
        QCOMPARE(variants->rowCount(), 2);
        QCOMPARE(variants->index(0, srmui::VariantTableModel::Observed).data().toString(), QString("7,554"));
        QCOMPARE(variants->index(1, srmui::VariantTableModel::Deviation).data().toString(), QString("-2.770 pp"));
        const QString stats = w.findChild<QLabel*>(QStringLiteral("testStatistics"))->text();
        QVERIFY2(stats.contains("df = 1") && stats.contains("p = 3.4e-11"), qPrintable(stats));
        QVERIFY(w.findChild<QLabel*>(QStringLiteral("verdictType"))->text().contains("tracking"));
        QVERIFY(w.findChild<QLabel*>(QStringLiteral("nextSteps"))->text().contains("randomization seed"));
        QVERIFY(!w.findChild<QProgressBar*>(QStringLiteral("loadProgress"))->isVisible());
        QVERIFY(w.windowTitle().contains("exposures.csv"));
        // Navigator statuses, by text as well as colour.
        auto* nav = w.findChild<QListWidget*>(QStringLiteral("navigator"));
        QCOMPARE(nav->count(), 6);
        QCOMPARE(nav->item(0)->data(Qt::UserRole + 1).toString(), QString("severe"));
        QCOMPARE(nav->item(1)->data(Qt::UserRole + 1).toString(), QString("ok"));
        QCOMPARE(nav->item(3)->data(Qt::UserRole + 1).toString(), QString("severe"));
        QCOMPARE(nav->item(2)->data(Qt::UserRole + 1).toString(), QString("none"));  // no change log yet
    }

    void step1_charts_and_change_markers()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        f.window.setChangeLog(kChanges);
        QVERIFY(f.waitReport());
        f.window.showPage("step1");  // charts are drawn when shown
        auto* page = f.window.findChild<srmui::Step1Page*>();
        auto* cumulative = page->cumulativeChart();
        const auto curves = lineSeries(cumulative, false);
        QCOMPARE(curves.size(), 4);  // observed and expected per variant
        QCOMPARE(curves[0]->name(), QString("control"));
        QCOMPARE(curves[0]->count(), 15);  // the start and 14 days
        QCOMPARE(static_cast<int>(curves[0]->at(14).y()), 7554);
        const auto markers = lineSeries(cumulative, true);
        QCOMPARE(markers.size(), 4);  // three change-log entries in range and the change point
        int near = 0;
        for (auto* m : markers) near += m->property("tip").toString().contains("Release 4.2.0") ? 1 : 0;
        QCOMPARE(near, 1);
        QVERIFY(f.window.findChild<QLabel*>(QStringLiteral("timePattern"))->text().contains("at point"));
        auto* changes = f.window.findChild<QTableView*>(QStringLiteral("changesTable"))->model();
        QCOMPARE(changes->rowCount(), 4);
        QCOMPARE(changes->index(2, srmui::ChangesModel::Near).data(srmui::kStatusRole).toString(), QString("near"));
        QCOMPARE(changes->index(1, srmui::ChangesModel::Near).data(srmui::kStatusRole).toString(), QString("far"));
        QCOMPARE(f.window.findChild<QListWidget*>(QStringLiteral("navigator"))->item(2)->data(Qt::UserRole + 1).toString(), QString("warn"));
    }

    void step4_highlights_the_top_segment_and_filters_step1()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        auto* page = f.window.findChild<srmui::Step4Page*>();
        auto* proxy = page->proxy();
        const QModelIndex top = proxy->index(0, srmui::SegmentsModel::Value);
        QCOMPARE(top.data().toString(), QString("Safari"));
        QCOMPARE(proxy->index(0, srmui::SegmentsModel::Severity).data(srmui::kStatusRole).toString(), QString("severe"));
        QVERIFY(proxy->index(0, srmui::SegmentsModel::Rank).data().toString().contains("most implicated"));
        // The explanation: in words above the table, marked in it, charted beside it.
        f.window.showPage("step4");
        const QString words = f.window.findChild<QLabel*>(QStringLiteral("explanationText"))->text();
        QVERIFY2(words.contains("Removing browser = Safari (2,521 units) leaves 11,794 units consistent with the plan, p = 0.4840."), qPrintable(words));
        QVERIFY2(words.contains("Not os = iOS: os = iOS lies wholly inside browser = Safari"), qPrintable(words));
        QCOMPARE(proxy->index(0, srmui::SegmentsModel::Explanation).data().toString(), QString("\u25C6 explains"));
        QCOMPARE(page->model()->partAt(page->model()->topRow()), srmui::SegmentsModel::Part::Explains);
        int explained = 0;
        for (int row = 0; row < page->model()->rowCount(); ++row) explained += page->model()->partAt(row) == srmui::SegmentsModel::Part::ExplainedBy;
        QCOMPARE(explained, 4);  // os = iOS, os = macOS, country = US, sdk_version = 3.2.0 (srm-check --json: explained_segments)
        auto* chart = page->explanationChart();
        QVERIFY(chart->isVisible());
        const auto bars = chart->chart()->series();
        QCOMPARE(bars.size(), 1);
        const auto sets = static_cast<QBarSeries*>(bars.front())->barSets();
        QCOMPARE(sets.size(), 2);
        // control in Safari: 1,619 of 2,521 against 50 % (+14.22 pp); in the rest 5,935 of 11,794
        QVERIFY(std::fabs(sets[0]->at(0) - (1619.0 / 2521 - 0.5) * 100) < 1e-9);
        QVERIFY(std::fabs(sets[0]->at(1) - (5935.0 / 11794 - 0.5) * 100) < 1e-9);
        // Filter by text.
        QTest::keyClicks(f.window.findChild<QLineEdit*>(QStringLiteral("segmentFilter")), "firefox");
        QCOMPARE(proxy->rowCount(), 1);
        f.window.findChild<QLineEdit*>(QStringLiteral("segmentFilter"))->clear();
        // Choosing the segment re-runs the diagnosis for it and shows Step 1.
        auto* table = f.window.findChild<QTableView*>(QStringLiteral("segmentsTable"));
        f.window.showPage("step4");
        QSignalSpy shown(&f.window, &MainWindow::reportShown);
        emit table->activated(proxy->index(0, 0));
        QVERIFY(shown.wait(20000));
        QCOMPARE(f.window.currentPage(), QString("step1"));
        QVERIFY(f.window.findChild<QLabel*>(QStringLiteral("scopeLabel"))->text().contains("browser = Safari"));
        const auto curves = lineSeries(f.window.findChild<srmui::Step1Page*>()->cumulativeChart(), false);
        QCOMPARE(static_cast<int>(curves[0]->at(curves[0]->count() - 1).y()), 1619);  // Safari's control units (srm-check --json)
        QVERIFY(!f.window.isModified());  // looking at a segment is not unsaved work
        // And back to all units.
        QTest::mouseClick(f.window.findChild<QToolButton*>(QStringLiteral("clearScopeButton")), Qt::LeftButton);
        QVERIFY(f.waitReport());
        QCOMPARE(static_cast<int>(lineSeries(f.window.findChild<srmui::Step1Page*>()->cumulativeChart(), false)[0]->at(14).y()), 7554);
    }

    void dragging_across_the_chart_chooses_a_window()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        f.window.showPage("step1");
        f.window.resize(1200, 900);
        QTest::qWait(50);
        auto* view = f.window.findChild<srmui::Step1Page*>()->cumulativeChart();
        const QRectF plot = view->chart()->plotArea();
        const QPoint from = view->mapFromScene(QPointF(plot.left() + plot.width() * 0.25, plot.center().y()));
        const QPoint to = view->mapFromScene(QPointF(plot.left() + plot.width() * 0.75, plot.center().y()));
        QSignalSpy dragged(view, &srmui::TimeChartView::windowDragged);
        QTest::mousePress(view->viewport(), Qt::LeftButton, {}, from);
        QTest::mouseMove(view->viewport(), to);
        QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, to);
        QCOMPARE(dragged.count(), 1);
        const qint64 start = dragged.at(0).at(0).toLongLong(), end = dragged.at(0).at(1).toLongLong();
        // A quarter and three quarters into Mar 1 - Mar 15 (14 days), within an hour.
        QVERIFY2(std::llabs(start - (1772323200 + 14 * 86400 / 4)) < 3600, qPrintable(QString::number(start)));
        QVERIFY2(std::llabs(end - (1772323200 + 3 * 14 * 86400 / 4)) < 3600, qPrintable(QString::number(end)));
        QVERIFY(f.waitReport());
        // The preview or, when it came in the same turn, already the exact window.
        const QString label = f.window.findChild<QLabel*>(QStringLiteral("scopeLabel"))->text();
        QVERIFY2(label.contains(QRegularExpression(QStringLiteral("Window (\\(preview, by first exposure\\) )?2026-03-04"))), qPrintable(label));
    }

    void window_dragged_on_the_chart_reruns_the_diagnosis()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        f.window.showPage("step1");
        auto* page = f.window.findChild<srmui::Step1Page*>();
        QSignalSpy shown(&f.window, &MainWindow::reportShown);
        emit page->cumulativeChart()->windowDragged(1772323200, 1772928000 - 1);  // Mar 1 to the deployment
        QVERIFY(shown.wait(20000));
        QCOMPARE(f.window.findChild<srmui::HealthBadge*>()->state(), QString("healthy"));
        QVERIFY(f.window.findChild<QLabel*>(QStringLiteral("scopeLabel"))->text().contains("2026-03-01 00:00"));
    }

    void checklist_answers_and_session_round_trip()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        f.window.setChangeLog(kChanges);
        QVERIFY(f.waitReport());
        auto* checklist = f.window.findChild<srmui::ChecklistPage*>()->model();
        int manualRow = -1;
        for (int r = 0; r < checklist->rowCount(); ++r)
            if (checklist->index(r, 0).data(srmui::kStatusRole).toString() == "manual") {
                manualRow = r;
                break;
            }
        QVERIFY(manualRow >= 0);
        QVERIFY(checklist->setData(checklist->index(manualRow, srmui::ChecklistModel::Done), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(checklist->setData(checklist->index(manualRow, srmui::ChecklistModel::Notes), "SDK exposure event", Qt::EditRole));
        QVERIFY(!checklist->setData(checklist->index(0, srmui::ChecklistModel::Notes), "not editable", Qt::EditRole));
        f.window.findChild<QPlainTextEdit*>(QStringLiteral("reviewerNotes"))->setPlainText("Safari only; ask the web team.");
        QVERIFY(f.window.isModified());
        const QString path = f.dir.filePath("review.srm.json");
        f.dialogs.files << path;
        QVERIFY(f.window.saveSessionTo(path));
        QVERIFY(!f.window.isModified());

        Fixture g;
        g.window.show();
        QSignalSpy shown(&g.window, &MainWindow::reportShown);
        QVERIFY(g.window.openSession(path));
        QVERIFY(shown.wait(30000));
        QCOMPARE(g.window.session().changesFile, QFileInfo(kChanges).absoluteFilePath());
        QCOMPARE(g.window.findChild<QPlainTextEdit*>(QStringLiteral("reviewerNotes"))->toPlainText(), QString("Safari only; ask the web team."));
        auto* model = g.window.findChild<srmui::ChecklistPage*>()->model();
        QCOMPARE(model->index(manualRow, srmui::ChecklistModel::Done).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QCOMPARE(model->index(manualRow, srmui::ChecklistModel::Notes).data().toString(), QString("SDK exposure event"));
        QCOMPARE(g.window.findChild<QTableView*>(QStringLiteral("changesTable"))->model()->rowCount(), 4);
        // A broken session file: a clear message, nothing else changes.
        QFile bad(f.dir.filePath("bad.srm.json"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"format\": \"something else\"}");
        bad.close();
        QVERIFY(!g.window.openSession(bad.fileName()));
        QVERIFY(g.dialogs.errors.last().contains("not an SRM Workbench session"));
    }

    void unsaved_changes_prompt_on_close()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        f.window.findChild<QPlainTextEdit*>(QStringLiteral("reviewerNotes"))->setPlainText("note");
        f.dialogs.choice = srmui::DialogService::Choice::Cancel;
        QVERIFY(!f.window.close());
        QCOMPARE(f.dialogs.unsavedAsked, 1);
        QVERIFY(f.window.isVisible());
        f.dialogs.choice = srmui::DialogService::Choice::Discard;
        QVERIFY(f.window.close());
        QCOMPARE(f.dialogs.unsavedAsked, 2);
    }

    void change_log_needs_data_first()
    {
        Fixture f;
        f.window.show();
        f.window.setChangeLog(kChanges);
        QCOMPARE(f.dialogs.errors.size(), 1);
        QVERIFY(f.dialogs.errors.front().contains("exposure CSV first"));
        QVERIFY(!f.window.engine()->isRunning());
    }

    void recent_files_are_remembered()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        QCOMPARE(f.settings.value("recentFiles").toStringList().value(0), QFileInfo(kSample).absoluteFilePath());
        // A file opened again moves to the top, once; the list keeps the eight newest.
        const QString sample = QFileInfo(kSample).absoluteFilePath();
        QStringList seeded;
        for (int i = 0; i < 8; ++i) seeded << (i == 3 ? sample : QStringLiteral("/data/old%1.csv").arg(i));
        f.settings.setValue("recentFiles", seeded);
        QVERIFY(f.open(kSample));
        const QStringList expected = {sample, "/data/old0.csv", "/data/old1.csv", "/data/old2.csv", "/data/old4.csv",
                                      "/data/old5.csv", "/data/old6.csv", "/data/old7.csv"};
        QCOMPARE(f.settings.value("recentFiles").toStringList(), expected);
        seeded[3] = "/data/old3.csv";
        f.settings.setValue("recentFiles", seeded);
        QVERIFY(f.open(kSample));
        QCOMPARE(f.settings.value("recentFiles").toStringList(), QStringList({sample}) + seeded.mid(0, 7));
        auto* menu = f.window.findChild<QMenu*>("recentMenu");
        QVERIFY(menu);
        QStringList shown;
        for (auto* a : menu->actions()) shown << a->text() + " " + a->toolTip();
        QCOMPARE(shown.size(), 8);
        QCOMPARE(shown.front(), "exposures.csv " + sample);
        QCOMPARE(shown.back(), QString("old6.csv /data/old6.csv"));
    }

    void unusable_file_shows_why()
    {
        Fixture f;
        QFile file(f.dir.filePath("bad.csv"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("timestamp,user_id,page\n2026-03-01,u1,home\n");
        file.close();
        f.window.show();
        QSignalSpy failed(&f.window, &MainWindow::analysisFailed);
        f.window.openFile(file.fileName());
        QVERIFY(failed.wait(20000));
        auto* error = f.window.findChild<QLabel*>(QStringLiteral("errorMessage"));
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains("no usable variant column") && error->text().contains("--variant-col"), qPrintable(error->text()));
        QCOMPARE(f.window.findChild<srmui::HealthBadge*>()->state(), QString("none"));
    }

    void rejected_rows_are_listed_with_their_lines()
    {
        Fixture f;
        QFile file(f.dir.filePath("rows.csv"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("timestamp,user_id,variant\n2026-03-01T00:00:00Z,u1,control\nnot-a-time,u2,treatment\n"
                   "2026-03-01T00:00:02Z,u3,treatment\n2026-03-01T00:00:03Z,u4\n");
        file.close();
        QVERIFY(f.open(file.fileName()));
        const QString text = f.window.findChild<QLabel*>(QStringLiteral("inputSummary"))->text();
        QVERIFY2(text.contains("2 rejected") && text.contains("line 3: unparsable time") && text.contains("line 5: expected 3 fields"),
                 qPrintable(text));
        QVERIFY(text.contains("user_id = <i>unit</i>"));
    }

    void dropped_files_open_through_the_import_dialog()
    {
        Fixture f;
        f.window.show();
        srmui::Session chosen;
        chosen.dataFile = kSample;
        f.dialogs.imported = chosen;
        QMimeData data;
        data.setUrls({QUrl::fromLocalFile(kSample)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&f.window, &enter);
        QVERIFY(enter.isAccepted());
        QSignalSpy shown(&f.window, &MainWindow::reportShown);
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&f.window, &drop);
        QVERIFY(shown.wait(30000));
        QCOMPARE(f.window.session().dataFile, kSample);
    }

    void cancel_stops_a_long_load()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("big.csv");
        {
            srm::SimulationSpec spec;
            spec.users = 400000;
            std::ofstream out(path.toStdString());
            srm::simulate(spec, out);
        }
        srmui::AnalysisEngine engine;
        QSignalSpy cancelled(&engine, &srmui::AnalysisEngine::cancelled);
        QSignalSpy finished(&engine, &srmui::AnalysisEngine::finished);
        srm::AnalysisRequest r;
        r.file = path.toStdString();
        r.load.chunk_bytes = 1 << 16;
        QSignalSpy progress(&engine, &srmui::AnalysisEngine::progressChanged);
        engine.start(r);
        // Cancel once the reading is under way, not before it starts.
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().at(0).toDouble() > 0.02, 30000);
        QVERIFY(engine.isRunning());
        engine.cancel();
        QVERIFY(cancelled.wait(30000));
        QCOMPARE(finished.count(), 0);
        QVERIFY(!engine.isRunning());
    }

    void healthy_counts_are_green_without_banner()
    {
        Fixture f;
        f.window.show();
        QSignalSpy shown(&f.window, &MainWindow::reportShown);
        srm::AnalysisRequest r;
        r.counts = {{"a", 5030}, {"b", 4970}};
        f.window.analyse(r, "counts");
        QVERIFY(shown.wait(20000));
        QCOMPARE(f.window.findChild<srmui::HealthBadge*>()->state(), QString("healthy"));
        QVERIFY(!f.window.findChild<QLabel*>(QStringLiteral("srmAlertBanner"))->isVisible());
    }

    void a_newer_request_supersedes_the_running_one()
    {
        srmui::AnalysisEngine engine;
        QSignalSpy finished(&engine, &srmui::AnalysisEngine::finished);
        srm::AnalysisRequest first, second;
        first.counts = {{"a", 100}, {"b", 100}};
        second.counts = {{"a", 700}, {"b", 300}};
        engine.start(first);
        engine.start(second);
        QVERIFY(finished.wait(20000));
        QTest::qWait(100);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(0).value<srm::Report>().srm.units, 1000u);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
