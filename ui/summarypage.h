// The SRM result page: alert banner, health badge, observed vs expected
// table and chart, the test's statistics and the verdict with next steps.
#pragma once

#include "srm/report.hpp"

#include <QWidget>

class QLabel;
class QTableView;
class QChartView;
class QChart;

namespace srmui {

class HealthBadge;
class VariantTableModel;

class SummaryPage : public QWidget {
    Q_OBJECT

public:
    explicit SummaryPage(QWidget* parent = nullptr);

    void showReport(const srm::Report& report);
    void showRunning();
    void showError(const QString& message);

    HealthBadge* badge() const { return m_badge; }
    VariantTableModel* variantModel() const { return m_model; }

private:
    void updateChart(const srm::SrmResult& result);

    QLabel* m_banner;
    QLabel* m_error;
    HealthBadge* m_badge;
    VariantTableModel* m_model;
    QTableView* m_table;
    QChartView* m_chartView;
    QLabel* m_statistics;
    QLabel* m_findings;
    QLabel* m_verdict;
    QLabel* m_nextSteps;
};

}  // namespace srmui
