// The Summary page: the verdict, its type and evidence, the next steps, and
// the observed-vs-expected table with a chart of each variant's deviation.
#pragma once

#include "srm/report.hpp"

#include <QWidget>
#include <optional>

class QLabel;
class QTableView;
class QChartView;
class QChart;

namespace srmui {

class VariantTableModel;

class SummaryPage : public QWidget {
    Q_OBJECT

public:
    explicit SummaryPage(QWidget* parent = nullptr);

    void showReport(const srm::Report& report);
    void clear();

    VariantTableModel* variantModel() const { return m_model; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    void updateChart(const srm::SrmResult& result);
    std::optional<srm::SrmResult> m_pendingChart;  // laid out when shown

    QLabel* m_health;
    QLabel* m_type;
    QLabel* m_input;
    VariantTableModel* m_model;
    QTableView* m_table;
    QChartView* m_chartView;
    QLabel* m_findings;
    QLabel* m_verdict;
    QLabel* m_nextSteps;
};

}  // namespace srmui
