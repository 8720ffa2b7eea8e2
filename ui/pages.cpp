#include "pages.h"

#include "pageparts.h"

#include "reportformat.h"
#include "reportmodels.h"
#include "tablecopy.h"
#include "chartmodel.h"
#include "timechart.h"
#include "srm/text.hpp"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTimer>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>

namespace srmui {

Step1Page::Step1Page(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("step1Page"));
    auto* layout = new QVBoxLayout(this);
    m_pattern = makeTextLabel(QStringLiteral("timePattern"), this);
    layout->addWidget(m_pattern);
    auto* row = new QHBoxLayout;
    m_scope = makeTextLabel(QStringLiteral("scopeLabel"), this);
    row->addWidget(m_scope, 1);
    m_resetZoom = new QPushButton(tr("Reset zoom"), this);
    m_resetZoom->setObjectName(QStringLiteral("resetZoomButton"));
    m_resetZoom->setToolTip(tr("Show the whole span again (wheel or Shift+drag on a chart zooms; double-click resets)"));
    m_resetZoom->setEnabled(false);
    row->addWidget(m_resetZoom);
    layout->addLayout(row);
    // The cumulative units (the mission's chart) beside the drift from the
    // plan, the p-value path below; all three on one time axis.
    m_cumulative = new TimeChartView(this);
    m_cumulative->setObjectName(QStringLiteral("cumulativeChart"));
    m_deviation = new TimeChartView(this);
    m_deviation->setObjectName(QStringLiteral("deviationChart"));
    m_path = new TimeChartView(this);
    m_path->setObjectName(QStringLiteral("pValueChart"));
    auto* top = new QSplitter(Qt::Horizontal, this);
    top->setObjectName(QStringLiteral("step1Splitter"));
    top->addWidget(m_cumulative);
    top->addWidget(m_deviation);
    top->setChildrenCollapsible(false);
    layout->addWidget(top, 3);
    layout->addWidget(m_path, 2);
    const QList<TimeChartView*> charts{m_cumulative, m_deviation, m_path};
    for (auto* chart : charts) {
        connect(chart, &TimeChartView::windowDragged, this, &Step1Page::windowChosen);
        connect(chart, &TimeChartView::xRangeChanged, this, [this, chart, charts](double low, double high) {
            m_resetZoom->setEnabled(chart->isZoomed());
            if (m_syncing) return;  // the others follow the chart zoomed, not each other
            // On the event loop's next turn (each chart's layout is its own
            // piece of work), the latest range once when zooms come fast.
            const bool queued = m_syncTo.has_value();
            m_syncTo = std::make_tuple(chart, low, high);
            if (queued) return;
            QTimer::singleShot(1, this, [this, charts] {
                if (!m_syncTo) return;
                const auto [from, a, b] = *m_syncTo;
                m_syncTo.reset();
                m_syncing = true;
                for (auto* other : charts)
                    if (other != from) other->zoomTo(a, b);
                m_syncing = false;
            });
        });
    }
    connect(m_resetZoom, &QPushButton::clicked, m_cumulative, &TimeChartView::resetZoom);
}

void Step1Page::showReport(const srm::Report& report)
{
    const auto& tp = report.time_pattern;
    QString text = heading(tr("Step 1 — When did it start?"));
    text += tr("<b>Time pattern: %1</b>").arg(QString::fromLatin1(srm::to_string(tp.kind)).replace('_', ' '));
    if (tp.change_point && tp.kind == srm::PatternKind::AtPoint) text += tr(" at %1 UTC").arg(formatTime(*tp.change_point));
    text += QStringLiteral("<br>") + QString::fromStdString(tp.evidence).toHtmlEscaped();
    if (report.sequential.applicable)
        text += tr("<br>Anytime-valid sequential test: p = %1, %2.")
                    .arg(formatP(report.sequential.p_value, report.sequential.log10_p_value),
                         report.sequential.first_alert ? tr("first alert at %1 UTC").arg(formatTime(*report.sequential.first_alert))
                                                       : tr("no alert"));
    m_pattern->setText(text);
    const bool all = report.scope.all();
    // The header names a window or segment with its clear button; the page says how to choose one.
    m_scope->setText((all ? tr("Showing all %1 units. Drag across a chart to analyse a window; choose a segment in Step 4.").arg(formatCount(report.srm.units))
                         : tr("Showing %1. Drag again for another window; Esc shows all units.")
                               .arg(QString::fromStdString(srm::describe_scope(report.scope, report.srm.units)).toHtmlEscaped()))
                     + (report.timeline.points.empty() ? QString() : tr("<br>Drift: each line is a variant's cumulative share minus the plan's, in the shaded band the plan allows (%1 %); "
                         "dots are single %2s, squares the ones outside their own band. Hover for counts and p; the wheel or Shift+drag zooms.")
                          .arg(static_cast<int>(std::lround(report.timeline.band_level * 100)))
                          .arg(report.timeline.resolution == srm::TimeResolution::Day ? tr("day") : tr("hour"))));
    m_cumulative->setModel(srmui::cumulativeChart(report.timeline, report, palette()));
    m_deviation->setModel(srmui::deviationChart(report.timeline, report, palette()));
    m_path->setModel(srmui::pValueChart(report, palette()));
}

void Step1Page::clear()
{
    m_pattern->setText(heading(tr("Step 1 — When did it start?")));
    m_scope->clear();
    m_cumulative->clear();
    m_deviation->clear();
    m_path->clear();
}

Step2Page::Step2Page(QWidget* parent) : QWidget(parent), m_model(new MetricsModel(this))
{
    setObjectName(QStringLiteral("step2Page"));
    auto* layout = new QVBoxLayout(this);
    m_summary = makeTextLabel(QStringLiteral("metricsSummary"), this);
    layout->addWidget(m_summary);
    layout->addWidget(makeTable(QStringLiteral("metricsTable"), m_model, this), 1);
}

void Step2Page::showReport(const srm::Report& report)
{
    m_model->setReport(report);
    fitColumns(findChild<QTableView*>(QStringLiteral("metricsTable")));
    QString text = heading(tr("Step 2 — Is it a symptom?"));
    if (report.group_metrics.empty()) {
        text += tr("The data has no metric columns (crash, error, retention, …): choose them in the import dialog (File ▸ Open Exposure CSV…).");
    } else {
        QStringList flagged;
        for (const auto& m : report.group_metrics)
            if (m.flag) flagged << QString::fromStdString(m.metric);
        text += flagged.isEmpty() ? tr("No metric differs between variants (Holm-adjusted p ≥ 0.05): nothing suggests users drop out of one variant.")
                                  : tr("<b>%1 differs between variants</b>: users may drop out of one variant before they are "
                                       "counted, so the SRM would be a symptom rather than the cause.")
                                        .arg(flagged.join(tr(", ")));
    }
    m_summary->setText(text);
}

Step3Page::Step3Page(QWidget* parent) : QWidget(parent), m_model(new ChangesModel(this))
{
    setObjectName(QStringLiteral("step3Page"));
    auto* layout = new QVBoxLayout(this);
    m_summary = makeTextLabel(QStringLiteral("changesSummary"), this);
    layout->addWidget(m_summary);
    layout->addWidget(makeTable(QStringLiteral("changesTable"), m_model, this), 1);
}

void Step3Page::showReport(const srm::Report& report)
{
    m_model->setReport(report);
    fitColumns(findChild<QTableView*>(QStringLiteral("changesTable")));
    QString text = heading(tr("Step 3 — What changed then?"));
    if (report.changes.empty()) text += tr("No change log loaded (File ▸ Open Change Log…).");
    else if (!report.time_pattern.change_point || report.time_pattern.kind != srm::PatternKind::AtPoint)
        text += tr("No change point was found, so no change is near one.");
    else {
        int near = 0;
        for (const auto& c : report.changes) near += c.near_change_point ? 1 : 0;
        // Without a translation, %n's plural form is not chosen: each count its sentence.
        const QString when = formatTime(*report.time_pattern.change_point);
        text += near == 0   ? tr("No change within %1 h of the change point at %2 UTC.").arg(report.near_change_hours).arg(when)
                : near == 1 ? tr("1 change within %1 h of the change point at %2 UTC (highlighted).").arg(report.near_change_hours).arg(when)
                            : tr("%1 changes within %2 h of the change point at %3 UTC (highlighted).")
                                  .arg(formatCount(static_cast<quint64>(near)))
                                  .arg(report.near_change_hours)
                                  .arg(when);
    }
    m_summary->setText(text);
}

ChecklistPage::ChecklistPage(QWidget* parent) : QWidget(parent), m_model(new ChecklistModel(this))
{
    setObjectName(QStringLiteral("checklistPage"));
    auto* layout = new QVBoxLayout(this);
    m_summary = makeTextLabel(QStringLiteral("checklistSummary"), this);
    layout->addWidget(m_summary);
    auto* view = makeTable(QStringLiteral("checklistTable"), m_model, this);
    view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    view->setColumnWidth(ChecklistModel::Status, 90);
    view->setColumnWidth(ChecklistModel::Title, 260);
    view->setColumnWidth(ChecklistModel::Detail, 380);
    view->setColumnWidth(ChecklistModel::Done, 90);
    layout->addWidget(view, 1);
    layout->addWidget(new QLabel(tr("Reviewer's notes (saved with the session):"), this));
    m_notes = new QPlainTextEdit(this);
    m_notes->setObjectName(QStringLiteral("reviewerNotes"));
    m_notes->setTabChangesFocus(true);
    connect(m_model, &ChecklistModel::answersChanged, this, &ChecklistPage::updateSummary);
    m_notes->setMaximumHeight(110);
    layout->addWidget(m_notes);
}

void ChecklistPage::showReport(const srm::Report& report)
{
    m_model->setReport(report);
    m_checks = report.checks;
    updateSummary();
}

void ChecklistPage::updateSummary()
{
    int fail = 0, warn = 0, manual = 0, answered = 0;
    const auto answers = m_model->answers();
    for (const auto& c : m_checks) {
        fail += c.status == srm::CheckStatus::Fail;
        warn += c.status == srm::CheckStatus::Warn;
        if (c.status != srm::CheckStatus::Manual) continue;
        ++manual;
        const auto it = answers.find(QString::fromStdString(c.id));
        answered += it != answers.end() && it->done ? 1 : 0;
    }
    m_summary->setText(heading(tr("Support checklist")) +
                       tr("%1 failed, %2 to look at; %3 of %4 questions for the reviewer answered (tick them and note what you found).")
                           .arg(fail)
                           .arg(warn)
                           .arg(answered)
                           .arg(manual));
}

}  // namespace srmui
