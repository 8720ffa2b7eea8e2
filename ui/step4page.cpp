#include "step4page.h"

#include "chartmodel.h"
#include "pageparts.h"
#include "palette.h"
#include "timechart.h"
#include "reportformat.h"
#include "uiqueue.h"
#include "reportmodels.h"
#include "srm/text.hpp"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QBarSeries>
#include <QLabel>
#include <QLineEdit>
#include <QItemSelectionModel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QHBoxLayout>
#include <QTableView>
#include <QTimer>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace srmui {

namespace {

// The segment filter matches a segment's dimension and value, not the
// other columns' text ("os" must not find Safari by "most implicated").
class SegmentFilter : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setNeedle(const QString& needle)
    {
        m_needle = needle.trimmed();
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override
    {
        if (m_needle.isEmpty()) return true;
        const QString dimension = sourceModel()->index(row, SegmentsModel::Dimension, parent).data().toString();
        const QString value = sourceModel()->index(row, SegmentsModel::Value, parent).data().toString();
        return dimension.contains(m_needle, Qt::CaseInsensitive) || value.contains(m_needle, Qt::CaseInsensitive) ||
               (dimension + QStringLiteral(" = ") + value).contains(m_needle, Qt::CaseInsensitive);
    }

private:
    QString m_needle;
};

QString qs(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

QString explanationHtml(const srm::Report& report)
{
    const auto& ex = report.explanation;
    QString text = QStringLiteral("<b>%1</b>").arg(qs(ex.summary).toHtmlEscaped());
    QStringList items;
    for (const auto& sg : ex.segments) {
        const QString name = qs(srm::describe_conditions(sg.conditions)).toHtmlEscaped();
        QString item = Step4Page::tr("<b>%1</b>: %2 units, %3 % of the imbalance, p = %4")
                           .arg(name, formatCount(sg.units))
                           .arg(formatNumber(sg.share_of_imbalance * 100.0, 1))
                           .arg(formatP(sg.p_value, sg.log10_p_value));
        if (sg.change_point) item += Step4Page::tr("; broke at %1 UTC").arg(formatTime(*sg.change_point));
        if (sg.marginal) item += Step4Page::tr(" — marginal: taken only because the rest was still off the plan without it");
        for (const auto& alt : sg.alternatives)
            item += Step4Page::tr("<br>&nbsp;&nbsp;Not %1: %2").arg(qs(srm::describe_conditions(alt.conditions)).toHtmlEscaped(), qs(alt.reason).toHtmlEscaped());
        items << item;
    }
    if (!items.isEmpty()) text += QStringLiteral("<ul style=\"margin-top:2px\"><li>%1</li></ul>").arg(items.join(QStringLiteral("</li><li>")));
    if (!ex.dimensions_left_out.empty()) {
        QStringList names;
        for (const auto& d : ex.dimensions_left_out) names << qs(d).toHtmlEscaped();
        text += Step4Page::tr("<br>Not searched (too many combinations with the others): %1.").arg(names.join(QStringLiteral(", ")));
    }
    return text;
}

Step4Page::Step4Page(QWidget* parent)
    : QWidget(parent), m_chart(new QChartView(this)), m_model(new SegmentsModel(this)), m_proxy(new SegmentFilter(this))
{
    setObjectName(QStringLiteral("step4Page"));
    auto* layout = new QVBoxLayout(this);
    m_summary = makeTextLabel(QStringLiteral("segmentsSummary"), this);
    layout->addWidget(m_summary);
    // The explanation in words, and beside it the chart of its segments and the rest.
    auto* answer = new QHBoxLayout;
    m_explanation = makeTextLabel(QStringLiteral("explanationText"), this);
    m_explanation->setStyleSheet(QStringLiteral("QLabel { background: palette(alternate-base); border: 1px solid palette(mid); padding: 6px; }"));
    m_explanation->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    answer->addWidget(m_explanation, 1);
    m_chart->setObjectName(QStringLiteral("explanationChart"));
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumSize(360, 200);
    m_chart->chart()->legend()->setAlignment(Qt::AlignBottom);
    m_chart->chart()->setMargins(QMargins(4, 4, 4, 4));
    answer->addWidget(m_chart, 1);
    layout->addLayout(answer);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("segmentFilter"));
    m_filter->setPlaceholderText(tr("Filter segments (dimension or value)…"));
    m_filter->setClearButtonEnabled(true);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(kRawRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    // The breakdown beside the selected segment over time.
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(QStringLiteral("step4Splitter"));
    auto* left = new QWidget(split);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_filter);
    m_table = makeTable(QStringLiteral("segmentsTable"), m_proxy, left);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(SegmentsModel::Rank, Qt::AscendingOrder);
    leftLayout->addWidget(m_table, 1);
    leftLayout->addWidget(new QLabel(tr("Select a segment to see it over time beside the table; double-click (or Enter) to filter every step to it."), left));
    split->addWidget(left);
    split->addWidget(makeSegmentPanel());
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({560, 480});
    split->setChildrenCollapsible(false);
    layout->addWidget(split, 1);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, [this](const QString& text) { static_cast<SegmentFilter*>(m_proxy)->setNeedle(text); });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex& index) {
        const auto [dimension, value] = m_model->segmentAt(m_proxy->mapToSource(index).row());
        emit segmentChosen(QString::fromStdString(dimension), QString::fromStdString(value));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        showSegment(current.isValid() ? m_proxy->mapToSource(current).row() : -1);
    });
}

QWidget* Step4Page::makeSegmentPanel()
{
    auto* panel = new QWidget(this);
    panel->setObjectName(QStringLiteral("segmentPanel"));
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    m_segmentTitle = makeTextLabel(QStringLiteral("segmentChartTitle"), panel);
    layout->addWidget(m_segmentTitle);
    m_segmentCumulative = new TimeChartView(panel);
    m_segmentCumulative->setObjectName(QStringLiteral("segmentCumulativeChart"));
    m_segmentDeviation = new TimeChartView(panel);
    m_segmentDeviation->setObjectName(QStringLiteral("segmentDeviationChart"));
    for (auto* chart : {m_segmentCumulative, m_segmentDeviation}) {
        chart->setMinimumSize(380, 200);
        chart->setWindowDragEnabled(false);  // a drag zooms here; windows are chosen in Step 1
        layout->addWidget(chart, 1);
    }
    // One time axis: the other chart follows the one zoomed (and not back).
    for (auto* chart : {m_segmentCumulative, m_segmentDeviation})
        connect(chart, &TimeChartView::xRangeChanged, this, [this, chart](double low, double high) {
            if (m_syncing) return;
            m_syncing = true;
            (chart == m_segmentCumulative ? m_segmentDeviation : m_segmentCumulative)->zoomTo(low, high);
            m_syncing = false;
        });
    return panel;
}

// The row's segment over time, from the timelines the report carries.
void Step4Page::showSegment(int row)
{
    m_segmentCumulative->clear();
    m_segmentDeviation->clear();
    if (row < 0 || row >= m_model->rowCount()) {
        m_shown = {};
        m_segmentTitle->setText(m_model->rowCount() > 0 ? tr("Select a segment to see it over time.") : QString());
        return;
    }
    const auto [dimension, value] = m_model->segmentAt(row);
    m_shown = {qs(dimension), qs(value)};
    const QString name = QStringLiteral("%1 = %2").arg(qs(dimension), qs(value));
    const auto& seg = m_model->resultAt(row);
    if (!m_model->hasTimelineAt(row) || seg.timeline.points.empty()) {
        m_segmentTitle->setText(tr("<b>%1</b> over time: %2").arg(name.toHtmlEscaped(),
                                                                  m_report.timeline.points.empty() ? tr("the data has no time column.")
                                                                                                   : tr("this dimension has too many values to count by hour.")));
        return;
    }
    m_segmentTitle->setText(tr("<b>%1</b> over time: %2 units, p = %3 (Holm-adjusted).")
                                .arg(name.toHtmlEscaped(), formatCount(seg.units), formatP(seg.adjusted_p_value, seg.log10_adjusted_p_value)));
    m_segmentCumulative->setModel(cumulativeChart(seg.timeline, m_report, palette(), tr("%1: cumulative units, plan dashed").arg(name)));
    m_segmentDeviation->setModel(deviationChart(seg.timeline, m_report, palette(), tr("%1 (solid) and the rest (dashed): drift (pp)").arg(name),
                                                &seg.rest_timeline));
}

void Step4Page::showReport(const srm::Report& report)
{
    m_report = report;
    m_model->setReport(report);
    fitColumns(m_table);
    QString text = heading(tr("Step 4 — Where does it concentrate?"));
    if (report.scope.segment)
        text += tr("Within %1 = %2 (%3 units): the other dimensions.<br>")
                    .arg(qs(report.scope.segment->first).toHtmlEscaped(), qs(report.scope.segment->second).toHtmlEscaped(), formatCount(report.srm.units));
    if (report.dimensions.empty()) {
        text += tr("The data has no dimension columns (browser, os, country, …).");
    } else {
        QStringList dims;
        for (const auto& d : report.dimensions)
            dims << tr("%1: split differs across values p = %2").arg(qs(d.name), formatP(d.p_value, d.log10_p_value));
        text += dims.join(QStringLiteral("<br>"));
        text += tr("<br>Severity by colour and by text; p-values are Holm-adjusted across all segments; segments under %1 units are too small to judge.")
                    .arg(report.min_segment_units);
    }
    m_summary->setText(text);
    m_explanation->setVisible(!report.dimensions.empty());
    m_explanation->setText(explanationHtml(report));
    // The chart of the explanation is laid out when the page is in sight
    // (on the event loop's next turn, or when it is shown).
    m_chartStale = true;
    if (isVisible()) runSoon(this, [this] { showEvent(nullptr); });
    // The most telling segment beside the table from the start.
    const int top = m_model->topRow();
    const QModelIndex at = top >= 0 ? m_proxy->mapFromSource(m_model->index(top, 0)) : m_proxy->index(0, 0);
    if (at.isValid()) m_table->selectionModel()->setCurrentIndex(at, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    else showSegment(-1);
}

void Step4Page::showEvent(QShowEvent* event)
{
    if (m_chartStale) {
        m_chartStale = false;
        updateChart(m_report);
    }
    if (event) QWidget::showEvent(event);
}

// Per explaining segment (most explanatory first) and for the rest: each
// variant's observed minus planned share, in percentage points.
void Step4Page::updateChart(const srm::Report& report)
{
    QChart* chart = m_chart->chart();
    clearChart(chart);
    const auto& ex = report.explanation;
    m_chart->setVisible(ex.status == srm::ExplanationStatus::Localized);
    if (ex.status != srm::ExplanationStatus::Localized) return;
    chart->setTitle(tr("Observed minus planned share per variant (pp)"));
    QStringList categories;
    auto* series = new QBarSeries;
    double top = 0;
    for (std::size_t j = 0; j < report.srm.variants.size(); ++j) {
        auto* set = new QBarSet(qs(report.srm.variants[j].name));
        set->setColor(variantColor(j, palette()));
        for (const auto& sg : ex.segments) {
            const double d = (sg.observed_shares[j] - sg.expected_shares[j]) * 100.0;
            *set << d;
            top = std::max(top, std::fabs(d));
        }
        const double rest = (ex.remaining_observed_shares[j] - ex.remaining_expected_shares[j]) * 100.0;
        *set << rest;
        top = std::max(top, std::fabs(rest));
        series->append(set);
    }
    // Short labels (the units and p are in the text beside): a conjunction by its values.
    for (const auto& sg : ex.segments) {
        QStringList values;
        for (const auto& [dimension, value] : sg.conditions) values << qs(value);
        categories << (sg.conditions.size() == 1 ? qs(srm::describe_conditions(sg.conditions)) : values.join(QStringLiteral(" \u2227 ")));
    }
    categories << tr("the rest");
    addDeviationBars(chart, series, categories, top);
    applyChartStyle(chart, palette());
    QFont small = chart->axes(Qt::Horizontal).front()->labelsFont();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    chart->axes(Qt::Horizontal).front()->setLabelsFont(small);
}

}  // namespace srmui
