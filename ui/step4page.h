// Step 4: where the imbalance concentrates. The localization's answer in a
// sentence (the segments whose removal leaves the rest consistent with the
// plan, why correlated values were not chosen), the segments of every
// dimension with the explaining ones marked, and a chart of the explaining
// segments beside the rest. Beside the table (a splitter), the selected
// segment over time: its cumulative units against the plan and its drift
// against the rest's. It shows the report; it computes nothing.
#pragma once

#include "srm/report.hpp"

#include <QWidget>

class QChartView;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace srmui {

class SegmentsModel;
class TimeChartView;

class Step4Page : public QWidget {
    Q_OBJECT
public:
    explicit Step4Page(QWidget* parent = nullptr);
    void showReport(const srm::Report& report);
    SegmentsModel* model() const { return m_model; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QChartView* explanationChart() const { return m_chart; }
    TimeChartView* segmentCumulativeChart() const { return m_segmentCumulative; }
    TimeChartView* segmentDeviationChart() const { return m_segmentDeviation; }
    /// The segment the charts beside the table show, ("", "") if none.
    std::pair<QString, QString> shownSegment() const { return m_shown; }
signals:
    /// The user chose a segment to look at over time.
    void segmentChosen(const QString& dimension, const QString& value);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void updateChart(const srm::Report& report);
    void showSegment(int sourceRow);
    QWidget* makeSegmentPanel();
    QLabel* m_summary;
    QLabel* m_explanation;
    QLineEdit* m_filter;
    QTableView* m_table;
    QChartView* m_chart;
    SegmentsModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLabel* m_segmentTitle = nullptr;
    TimeChartView* m_segmentCumulative = nullptr;
    TimeChartView* m_segmentDeviation = nullptr;
    srm::Report m_report;
    std::pair<QString, QString> m_shown;
    bool m_syncing = false;
    bool m_chartStale = false;
};

/// The explanation as Step 4 words it (rich text): the sentence, then per
/// segment why its correlated values were not chosen.
QString explanationHtml(const srm::Report& report);

}  // namespace srmui
