// The real main window under the offscreen platform: open the bundled sample
// through the same path as File > Open, wait for the analysis, assert what
// the user sees.
#include "analysisengine.h"
#include "healthbadge.h"
#include "mainwindow.h"
#include "summarypage.h"
#include "variantmodel.h"

#include <QLabel>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using srmui::MainWindow;

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void opens_the_sample_and_shows_the_srm()
    {
        MainWindow w;
        w.show();
        QSignalSpy shown(&w, &MainWindow::reportShown);
        w.openFile(QStringLiteral(SRM_SAMPLE_DIR "/exposures.csv"));
        QVERIFY(shown.wait(20000));

        auto* badge = w.findChild<srmui::HealthBadge*>(QStringLiteral("healthBadge"));
        QVERIFY(badge);
        QCOMPARE(badge->state(), QString("severe"));
        QVERIFY(badge->findChild<QLabel*>(QStringLiteral("healthAnswer"))->text().contains("Severe SRM"));
        QVERIFY(badge->toolTip().contains("7,554"));
        QVERIFY(badge->toolTip().contains("p = 3.4e-11"));

        auto* banner = w.findChild<QLabel*>(QStringLiteral("srmAlertBanner"));
        QVERIFY(banner && banner->isVisible());
        QVERIFY(banner->text().contains("p = 3.4e-11"));

        auto* table = w.findChild<QTableView*>(QStringLiteral("variantTable"));
        QVERIFY(table);
        auto* model = table->model();
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->index(0, srmui::VariantTableModel::Name).data().toString(), QString("control"));
        QCOMPARE(model->index(0, srmui::VariantTableModel::Observed).data().toString(), QString("7,554"));
        QCOMPARE(model->index(1, srmui::VariantTableModel::Observed).data().toString(), QString("6,761"));
        QCOMPARE(model->index(0, srmui::VariantTableModel::ExpectedShare).data().toString(), QString("50.000 %"));
        QCOMPARE(model->index(1, srmui::VariantTableModel::Deviation).data().toString(), QString("-2.770 pp"));

        const QString stats = w.findChild<QLabel*>(QStringLiteral("testStatistics"))->text();
        QVERIFY2(stats.contains("df = 1") && stats.contains("p = 3.4e-11") && stats.contains("Severe SRM"), qPrintable(stats));
        QVERIFY(w.findChild<QLabel*>(QStringLiteral("verdictText"))->text().startsWith("Sample ratio mismatch"));
        QVERIFY(w.findChild<QLabel*>(QStringLiteral("nextSteps"))->text().contains("randomization seed"));
        QVERIFY(!w.findChild<QProgressBar*>(QStringLiteral("loadProgress"))->isVisible());
        QVERIFY(w.windowTitle().contains("exposures.csv"));
    }

    void healthy_counts_are_green_without_banner()
    {
        MainWindow w;
        w.show();
        QSignalSpy shown(&w, &MainWindow::reportShown);
        srm::AnalysisRequest r;
        r.counts = {{"a", 5030}, {"b", 4970}};
        w.analyse(r, "counts");
        QVERIFY(shown.wait(20000));
        QCOMPARE(w.findChild<srmui::HealthBadge*>()->state(), QString("ok"));
        QVERIFY(!w.findChild<QLabel*>(QStringLiteral("srmAlertBanner"))->isVisible());
    }

    void unusable_file_shows_why()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath("bad.csv"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("timestamp,user_id,page\n2026-03-01,u1,home\n");
        f.close();
        MainWindow w;
        w.show();
        QSignalSpy failed(&w, &MainWindow::analysisFailed);
        w.openFile(f.fileName());
        QVERIFY(failed.wait(20000));
        auto* error = w.findChild<QLabel*>(QStringLiteral("errorMessage"));
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains("no usable variant column") && error->text().contains("--variant-col"),
                 qPrintable(error->text()));
        QCOMPARE(w.findChild<srmui::HealthBadge*>()->state(), QString("none"));
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
