// Every UI model under QAbstractItemModelTester, filled from a real report.
#include "reportmodels.h"
#include "srm/diagnosis.hpp"
#include "srm/ingest.hpp"
#include "srm/simulate.hpp"
#include "variantmodel.h"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QtTest>
#include <sstream>

namespace {
srm::Report simulatedReport()
{
    srm::SimulationSpec spec;
    spec.users = 20000;
    spec.scenario = srm::Scenario::DeploymentDrop;
    std::ostringstream csv;
    srm::simulate(spec, csv);
    const auto ds = srm::load_csv_memory(csv.str(), "m.csv");
    srm::DiagnosisOptions o;
    o.changes = {{1772928000, "deployment", "Release 4.2.0", 2}};
    return srm::diagnose_dataset(ds, o);
}
}  // namespace

class TestModels : public QObject {
    Q_OBJECT

private slots:
    void variant_model()
    {
        srmui::VariantTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        const auto r = srm::test_srm({{"a", 600, 1}, {"b", 400, 1}, {"c", 12, 0}});
        model.setResult(r);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, srmui::VariantTableModel::Observed).data(srmui::VariantTableModel::RawRole).toDouble(), 600.0);
        QVERIFY(model.index(2, srmui::VariantTableModel::Name).data().toString().contains("planned at 0 %"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void step_models()
    {
        const auto report = simulatedReport();
        srmui::MetricsModel metrics;
        srmui::ChangesModel changes;
        srmui::SegmentsModel segments;
        srmui::ChecklistModel checklist;
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&segments);
        QAbstractItemModelTester t1(&metrics, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&changes, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t3(&segments, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t4(&checklist, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t5(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        metrics.setReport(report);
        changes.setReport(report);
        segments.setReport(report);
        checklist.setReport(report);
        QCOMPARE(metrics.rowCount(), 1);
        QCOMPARE(metrics.columnCount(), 2 + 4);
        QCOMPARE(changes.rowCount(), 1);
        int segmentRows = 0;  // one row per segment of every dimension
        for (const auto& d : report.dimensions) segmentRows += static_cast<int>(d.segments.size());
        QVERIFY(segmentRows > 10);
        QCOMPARE(segments.rowCount(), segmentRows);
        QCOMPARE(segments.segmentAt(segments.topRow()).second, std::string("Safari"));
        QCOMPARE(checklist.rowCount(), static_cast<int>(report.checks.size()));
        proxy.sort(srmui::SegmentsModel::Units);
        proxy.setFilterKeyColumn(-1);
        proxy.setFilterFixedString("Safari");
        // Every column: Safari's row and the three segments the explanation
        // says Safari explains (os = iOS, os = macOS, sdk_version = 3.3.0).
        QCOMPARE(proxy.rowCount(), 4);
        for (int r = 0; r < proxy.rowCount(); ++r) {
            QStringList cells;
            for (int k = 0; k < proxy.columnCount(); ++k) cells << proxy.index(r, k).data().toString();
            QVERIFY2(cells[1] == "Safari" || cells.contains("explained by browser = Safari"), qPrintable(cells.join('|')));
        }
        proxy.setFilterKeyColumn(1);  // the value column alone
        QCOMPARE(proxy.rowCount(), 1);
        metrics.setReport(srm::Report{});
        QCOMPARE(metrics.rowCount(), 0);
    }
};

QTEST_MAIN(TestModels)
#include "tst_models.moc"
