#include "step4page.h"

#include "pageparts.h"
#include "reportformat.h"
#include "reportmodels.h"
#include "srm/text.hpp"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QBarSeries>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QHBoxLayout>
#include <QTableView>
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

// Same colours as the time charts: the variants in order.
const QColor kBarColors[] = {QColor(0x15, 0x65, 0xc0), QColor(0xef, 0x6c, 0x00), QColor(0x2e, 0x7d, 0x32),
                             QColor(0x6a, 0x1b, 0x9a), QColor(0x00, 0x83, 0x8f), QColor(0x8d, 0x6e, 0x63)};

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
                           .arg(sg.share_of_imbalance * 100.0, 0, 'f', 1)
                           .arg(qs(srm::format_p(sg.p_value, sg.log10_p_value)));
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
    m_explanation->setStyleSheet(QStringLiteral("QLabel { background: #f5f5f5; border: 1px solid #d0d0d0; padding: 6px; }"));
    m_explanation->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    answer->addWidget(m_explanation, 1);
    m_chart->setObjectName(QStringLiteral("explanationChart"));
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumSize(460, 250);
    m_chart->chart()->legend()->setAlignment(Qt::AlignBottom);
    m_chart->chart()->setMargins(QMargins(4, 4, 4, 4));
    answer->addWidget(m_chart, 1);
    layout->addLayout(answer);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("segmentFilter"));
    m_filter->setPlaceholderText(tr("Filter segments (dimension or value)…"));
    m_filter->setClearButtonEnabled(true);
    layout->addWidget(m_filter);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(kRawRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_table = makeTable(QStringLiteral("segmentsTable"), m_proxy, this);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(SegmentsModel::Rank, Qt::AscendingOrder);
    layout->addWidget(m_table, 1);
    auto* hint = new QLabel(tr("Double-click a segment (or press Enter) to see it over time in Step 1."), this);
    layout->addWidget(hint);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, [this](const QString& text) { static_cast<SegmentFilter*>(m_proxy)->setNeedle(text); });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex& index) {
        const auto [dimension, value] = m_model->segmentAt(m_proxy->mapToSource(index).row());
        emit segmentChosen(QString::fromStdString(dimension), QString::fromStdString(value));
    });
}

void Step4Page::showReport(const srm::Report& report)
{
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
            dims << tr("%1: split differs across values p = %2").arg(qs(d.name), qs(srm::format_p(d.p_value, d.log10_p_value)));
        text += dims.join(QStringLiteral("<br>"));
        text += tr("<br>Severity by colour and by text; p-values are Holm-adjusted across all segments; segments under %1 units are too small to judge.")
                    .arg(report.min_segment_units);
    }
    m_summary->setText(text);
    m_explanation->setVisible(!report.dimensions.empty());
    m_explanation->setText(explanationHtml(report));
    updateChart(report);
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
        set->setColor(kBarColors[j % std::size(kBarColors)]);
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
    QFont small = chart->axes(Qt::Horizontal).front()->labelsFont();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    chart->axes(Qt::Horizontal).front()->setLabelsFont(small);
}

}  // namespace srmui
