#include "chartmodel.h"

#include "palette.h"
#include "reportformat.h"
#include "srm/text.hpp"

#include <algorithm>
#include <cmath>

namespace srmui {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }
double ms(std::int64_t seconds) { return static_cast<double>(seconds) * 1000.0; }

QColor neutral(const QPalette& palette) { return isDark(palette) ? QColor(0xb0, 0xb4, 0xba) : QColor(0x60, 0x66, 0x6d); }

double shareOf(std::uint64_t x, std::uint64_t n) { return n > 0 ? static_cast<double>(x) / static_cast<double>(n) : 0.0; }

// The axis and what hovering each point says: per variant the cumulative
// units, their share, the plan's share and the deviation; the p-values.
void frame(ChartModel& m, const srm::Timeline& tl, const srm::Timeline* rest)
{
    m.resolution = tl.resolution;
    m.t0 = tl.points.front().time - srm::seconds_of(tl.resolution);
    m.t1 = tl.points.back().time;
    for (std::size_t i = 0; i < tl.points.size(); ++i) {
        const auto& p = tl.points[i];
        std::uint64_t n = 0, fresh = 0;
        for (std::size_t v = 0; v < tl.variants.size(); ++v) {
            n += p.cumulative[v];
            fresh += p.new_units[v];
        }
        QString text = QStringLiteral("<b>%1 UTC</b><br>").arg(formatTime(p.time));
        text += ChartModel::tr("%1 units up to here, %2 in this %3").arg(formatCount(n), formatCount(fresh),
                                                                          tl.resolution == srm::TimeResolution::Day ? ChartModel::tr("day")
                                                                                                                    : ChartModel::tr("hour"));
        text += QStringLiteral("<table>");
        for (std::size_t v = 0; v < tl.variants.size(); ++v) {
            const double e = p.expected_cumulative[v];
            double etotal = 0;
            for (double x : p.expected_cumulative) etotal += x;
            text += QStringLiteral("<tr><td>%1</td><td align=right>&nbsp;%2</td><td align=right>&nbsp;%3</td><td>&nbsp;%4</td><td align=right>&nbsp;%5</td></tr>")
                        .arg(qs(tl.variants[v]).toHtmlEscaped(), formatCount(p.cumulative[v]), formatShare(shareOf(p.cumulative[v], n)),
                             ChartModel::tr("plan %1").arg(formatShare(etotal > 0 ? e / etotal : 0.0)),
                             v < p.deviation_pp.size() ? formatDeviationPp(p.deviation_pp[v]) : QString());
        }
        text += QStringLiteral("</table>");
        if (fresh > 0 && !p.new_deviation_pp.empty()) {
            QStringList parts;
            for (std::size_t v = 0; v < tl.variants.size(); ++v)
                parts << ChartModel::tr("%1 %2 (band ±%3)")
                             .arg(qs(tl.variants[v]).toHtmlEscaped(), formatDeviationPp(p.new_deviation_pp[v]))
                             .arg(formatNumber(p.new_band_pp[v], 3));
            text += ChartModel::tr("this %1 alone: %2<br>")
                        .arg(tl.resolution == srm::TimeResolution::Day ? ChartModel::tr("day") : ChartModel::tr("hour"), parts.join(QStringLiteral(", ")));
        }
        text += ChartModel::tr("SRM p = %1").arg(formatP(p.p_value, p.log10_p_value));
        if (p.sequential_log10_p != 0.0 || !rest)
            text += ChartModel::tr(", sequential p = %1").arg(formatP(std::pow(10.0, p.sequential_log10_p), p.sequential_log10_p));
        if (rest && i < rest->points.size() && !rest->points[i].deviation_pp.empty()) {
            QStringList parts;
            for (std::size_t v = 0; v < rest->variants.size(); ++v)
                parts << QStringLiteral("%1 %2").arg(qs(rest->variants[v]).toHtmlEscaped(), formatDeviationPp(rest->points[i].deviation_pp[v]));
            text += QStringLiteral("<br>") + ChartModel::tr("the rest: %1").arg(parts.join(QStringLiteral(", ")));
        }
        m.hover.push_back({p.time, text});
    }
}

// Change log entries, the change point and allocation changes as vertical lines.
void addMarkers(ChartModel& m, const srm::Report& report, const QPalette& palette)
{
    auto vertical = [&](std::int64_t t, const QColor& color, Qt::PenStyle style, double width, const QString& name, const QString& tip,
                        bool legend) {
        if (t < m.t0 || t > m.t1) return;
        ChartSeries s;
        s.kind = ChartSeries::Kind::Marker;
        s.name = name;
        s.color = color;
        s.style = style;
        s.width = width;
        s.points = {QPointF(ms(t), m.yLow), QPointF(ms(t), m.yHigh)};
        s.tip = tip;
        s.legend = legend;
        m.series.push_back(s);
    };
    bool first = true;
    for (const auto& c : report.changes) {
        if (c.change.time < m.t0 || c.change.time > m.t1) continue;
        const QString tip = QStringLiteral("%1 %2: %3").arg(formatTime(c.change.time), qs(c.change.kind), qs(c.change.description));
        vertical(c.change.time, c.near_change_point ? emphasisColor(Emphasis::Severe, palette) : neutral(palette), Qt::DotLine, 1.5,
                 ChartModel::tr("change log entry"), tip, first);
        first = false;
    }
    first = true;
    for (const auto t : report.evidence.allocation_changes) {
        vertical(t, neutral(palette), Qt::DashDotLine, 1.5, ChartModel::tr("allocation change"),
                 ChartModel::tr("Allocation phase from %1 UTC").arg(formatTime(t)), first);
        first = false;
    }
    if (report.time_pattern.change_point && report.time_pattern.kind == srm::PatternKind::AtPoint)
        vertical(*report.time_pattern.change_point, emphasisColor(Emphasis::Severe, palette), Qt::SolidLine, 3, ChartModel::tr("change point"),
                 ChartModel::tr("Detected change point: %1").arg(formatTime(*report.time_pattern.change_point)), true);
}

ChartModel emptyModel(const QString& text)
{
    ChartModel m;
    m.emptyText = text;
    return m;
}

}  // namespace

const ChartSeries* ChartModel::find(const QString& name) const
{
    for (const auto& s : series)
        if (s.name == name) return &s;
    return nullptr;
}

ChartModel cumulativeChart(const srm::Timeline& tl, const srm::Report& report, const QPalette& palette, const QString& title)
{
    if (tl.points.empty()) return emptyModel(ChartModel::tr("No time column: the time pattern needs one"));
    ChartModel m;
    m.title = title.isEmpty() ? ChartModel::tr("Cumulative units per variant (solid) and the planned split (dashed)") : title;
    m.yTitle = ChartModel::tr("units");
    frame(m, tl, nullptr);
    double top = 0;
    for (std::size_t v = 0; v < tl.variants.size(); ++v) {
        ChartSeries observed, expected;
        observed.name = qs(tl.variants[v]);
        observed.color = expected.color = variantColor(v, palette);
        expected.name = ChartModel::tr("%1 expected").arg(qs(tl.variants[v]));
        expected.style = Qt::DashLine;
        expected.width = 1.5;
        expected.legend = false;  // the title says what dashed lines are
        observed.points.push_back(QPointF(ms(m.t0), 0));
        expected.points.push_back(QPointF(ms(m.t0), 0));
        for (const auto& p : tl.points) {
            observed.points.push_back(QPointF(ms(p.time), static_cast<double>(p.cumulative[v])));
            expected.points.push_back(QPointF(ms(p.time), p.expected_cumulative[v]));
            top = std::max({top, static_cast<double>(p.cumulative[v]), p.expected_cumulative[v]});
        }
        m.series.push_back(observed);
        m.series.push_back(expected);
    }
    m.yLow = 0;
    m.yHigh = top * 1.05 + 1;
    addMarkers(m, report, palette);
    return m;
}

namespace {

// The band the plan allows around 0, per variant (two variants deviate by
// mirror images: their bands are one).
void addBands(ChartModel& m, const srm::Timeline& tl, const QPalette& palette)
{
    const int level = static_cast<int>(std::lround(tl.band_level * 100));
    const std::size_t k = tl.variants.size();
    for (std::size_t v = 0; v < (k == 2 ? 1 : k); ++v) {
        ChartSeries band;
        band.kind = ChartSeries::Kind::Band;
        band.name = k == 2 ? ChartModel::tr("%1 % band").arg(level) : ChartModel::tr("%1 band").arg(qs(tl.variants[v]));
        QColor c = k == 2 ? neutral(palette) : variantColor(v, palette);
        c.setAlphaF(0.18f);
        band.color = c;
        for (const auto& p : tl.points) {
            if (p.band_pp.empty() || p.cumulative.empty()) continue;
            band.points.push_back(QPointF(ms(p.time), p.band_pp[v]));
            band.lower.push_back(QPointF(ms(p.time), -p.band_pp[v]));
        }
        m.series.push_back(band);
    }
}

// Per variant its cumulative drift (a line) and each point's own (dots;
// outlined squares outside their own band). Returns the largest |value| of
// the lines and bands.
double addDrift(ChartModel& m, const srm::Timeline& tl, const QPalette& palette)
{
    double largest = 0.5;
    const QString per = tl.resolution == srm::TimeResolution::Day ? ChartModel::tr("day") : ChartModel::tr("hour");
    for (std::size_t v = 0; v < tl.variants.size(); ++v) {
        ChartSeries line, fresh, outside;
        line.name = qs(tl.variants[v]);
        line.color = fresh.color = outside.color = variantColor(v, palette);
        fresh.kind = outside.kind = ChartSeries::Kind::Points;
        fresh.name = ChartModel::tr("%1 per %2").arg(qs(tl.variants[v]), per);
        fresh.width = 5;
        fresh.legend = false;  // the page says what dots and squares are
        outside.name = ChartModel::tr("%1 outside its band").arg(fresh.name);
        outside.outline = true;
        outside.width = 8;
        outside.legend = false;
        for (const auto& p : tl.points) {
            if (p.deviation_pp.empty()) continue;
            line.points.push_back(QPointF(ms(p.time), p.deviation_pp[v]));
            largest = std::max({largest, std::fabs(p.deviation_pp[v]), p.band_pp[v]});
            std::uint64_t fresh_n = 0;
            for (auto x : p.new_units) fresh_n += x;
            if (fresh_n == 0) continue;
            const QPointF at(ms(p.time), p.new_deviation_pp[v]);
            (std::fabs(p.new_deviation_pp[v]) > p.new_band_pp[v] ? outside : fresh).points.push_back(at);
        }
        m.series.push_back(line);
        m.series.push_back(fresh);
        if (!outside.points.isEmpty()) m.series.push_back(outside);
    }
    return largest;
}

// The rest's cumulative drift (dashed); returns its largest |value|.
double addRestDrift(ChartModel& m, const srm::Timeline& rest, const QPalette& palette)
{
    double largest = 0;
    for (std::size_t v = 0; v < rest.variants.size(); ++v) {
        ChartSeries r;
        r.name = ChartModel::tr("%1, the rest").arg(qs(rest.variants[v]));
        r.color = variantColor(v, palette);
        r.style = Qt::DashLine;
        r.width = 1.5;
        r.legend = false;  // the title says what dashed lines are
        for (const auto& p : rest.points)
            if (!p.deviation_pp.empty()) {
                r.points.push_back(QPointF(ms(p.time), p.deviation_pp[v]));
                largest = std::max(largest, std::fabs(p.deviation_pp[v]));
            }
        m.series.push_back(r);
    }
    return largest;
}

// A symmetric axis a little past `largest`, on a round edge (1, 2, 2.5 or
// 5 x 10^n) so that the ticks at 0, half and whole are round too.
void symmetricAxis(ChartModel& m, double largest)
{
    const double want = largest * 1.1, magnitude = std::pow(10.0, std::floor(std::log10(want)));
    double edge = 10 * magnitude;
    for (const double f : {1.0, 2.0, 2.5, 5.0})
        if (f * magnitude >= want) {
            edge = f * magnitude;
            break;
        }
    m.yTick = edge / 2;
    m.yLow = -edge;
    m.yHigh = edge;
}

}  // namespace

ChartModel deviationChart(const srm::Timeline& tl, const srm::Report& report, const QPalette& palette, const QString& title,
                          const srm::Timeline* rest)
{
    if (tl.points.empty()) return emptyModel(ChartModel::tr("No time column: the drift over time needs one"));
    ChartModel m;
    m.title = title.isEmpty() ? ChartModel::tr("Drift from the plan: observed minus planned share (pp)") : title;
    m.yTitle = ChartModel::tr("share − plan (pp)");
    m.yFormat = QStringLiteral("%.1f");
    frame(m, tl, rest);
    addBands(m, tl, palette);
    double largest = addDrift(m, tl, palette);
    if (rest) largest = std::max(largest, addRestDrift(m, *rest, palette));
    // The per-point dots may lie far out; the axis follows the cumulative
    // lines and bands, and at most 4x as far for the dots.
    double dots = 0;
    for (const auto& s : m.series)
        if (s.kind == ChartSeries::Kind::Points)
            for (const auto& p : s.points) dots = std::max(dots, std::fabs(p.y()));
    symmetricAxis(m, std::max(largest, std::min(dots, 4 * largest)));
    addMarkers(m, report, palette);
    return m;
}

ChartModel pValueChart(const srm::Report& report, const QPalette& palette)
{
    const auto& tl = report.timeline;
    if (tl.points.empty()) return emptyModel(ChartModel::tr("No time column: the p-value path needs one"));
    ChartModel m;
    m.title = ChartModel::tr("SRM p-value over time (log\u2081\u2080): fixed-horizon and anytime-valid sequential");
    m.yTitle = ChartModel::tr("log\u2081\u2080 p");
    frame(m, tl, nullptr);
    ChartSeries fixed, sequential;
    fixed.name = ChartModel::tr("chi-square p");
    fixed.color = neutral(palette);
    sequential.name = ChartModel::tr("sequential p");
    sequential.color = variantColor(3, palette);
    double lowest = 0;
    for (const auto& p : tl.points) {
        fixed.points.push_back(QPointF(ms(p.time), p.log10_p_value));
        sequential.points.push_back(QPointF(ms(p.time), p.sequential_log10_p));
        lowest = std::min({lowest, p.log10_p_value, p.sequential_log10_p});
    }
    m.series.push_back(fixed);
    m.series.push_back(sequential);
    for (const auto& [level, e] : {std::pair{report.options.thresholds.warn, Emphasis::Warn}, std::pair{report.options.thresholds.severe, Emphasis::Severe}}) {
        ChartSeries line;
        line.name = QStringLiteral("p = %1").arg(level);
        line.color = emphasisColor(e, palette);
        line.style = Qt::DashLine;
        line.width = 1.5;
        line.points = {QPointF(ms(m.t0), std::log10(level)), QPointF(ms(m.t1), std::log10(level))};
        m.series.push_back(line);
    }
    // log10 p on a linear axis: readable labels (-2 is p = 0.01) at any depth.
    m.yLow = std::min(-4.0, std::floor(lowest) - 1.0);
    m.yHigh = 0.0;
    m.yTick = std::max(1.0, std::ceil(-m.yLow / 6.0));
    addMarkers(m, report, palette);
    return m;
}

}  // namespace srmui
