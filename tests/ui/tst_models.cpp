// Every UI model under QAbstractItemModelTester.
#include "variantmodel.h"

#include <QAbstractItemModelTester>
#include <QtTest>

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
        QCOMPARE(model.columnCount(), int(srmui::VariantTableModel::ColumnCount));
        QCOMPARE(model.index(0, srmui::VariantTableModel::Observed).data(srmui::VariantTableModel::RawRole).toDouble(), 600.0);
        QVERIFY(model.index(2, srmui::VariantTableModel::Name).data().toString().contains("planned at 0 %"));
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QString("Observed units"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestModels)
#include "tst_models.moc"
