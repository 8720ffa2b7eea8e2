// The diagnosis pages: Step 1 (time pattern), Step 2 (group metrics),
// Step 3 (changes), Step 4 (dimensions) and the checklist. Each shows a
// report and forwards the user's choices as signals; none computes.
#pragma once

#include "analysisengine.h"
#include "step4page.h"
#include "srm/report.hpp"

#include <QWidget>
#include <optional>
#include <tuple>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace srmui {

class ChangesModel;
class ChecklistModel;
class MetricsModel;
class TimeChartView;

class Step1Page : public QWidget {
    Q_OBJECT
public:
    explicit Step1Page(QWidget* parent = nullptr);
    void showReport(const srm::Report& report);
    void clear();
    TimeChartView* cumulativeChart() const { return m_cumulative; }
    TimeChartView* deviationChart() const { return m_deviation; }
    TimeChartView* pathChart() const { return m_path; }
signals:
    void windowChosen(qint64 start, qint64 end);

private:
    QLabel* m_pattern;
    QLabel* m_scope;
    TimeChartView* m_cumulative;
    TimeChartView* m_deviation;
    TimeChartView* m_path;
    QPushButton* m_resetZoom;
    bool m_syncing = false;
    std::optional<std::tuple<TimeChartView*, double, double>> m_syncTo;  // a zoom the other charts follow next
};

class Step2Page : public QWidget {
    Q_OBJECT
public:
    explicit Step2Page(QWidget* parent = nullptr);
    void showReport(const srm::Report& report);
    MetricsModel* model() const { return m_model; }

private:
    QLabel* m_summary;
    MetricsModel* m_model;
};

class Step3Page : public QWidget {
    Q_OBJECT
public:
    explicit Step3Page(QWidget* parent = nullptr);
    void showReport(const srm::Report& report);
    ChangesModel* model() const { return m_model; }

private:
    QLabel* m_summary;
    ChangesModel* m_model;
};

class ChecklistPage : public QWidget {
    Q_OBJECT
public:
    explicit ChecklistPage(QWidget* parent = nullptr);
    void showReport(const srm::Report& report);
    ChecklistModel* model() const { return m_model; }
    QPlainTextEdit* notes() const { return m_notes; }

private:
    void updateSummary();
    QLabel* m_summary;
    ChecklistModel* m_model;
    QPlainTextEdit* m_notes;
    std::vector<srm::Check> m_checks;
};

}  // namespace srmui
