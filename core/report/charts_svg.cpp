// The report's charts as SVG: the cumulative units per variant against the
// plan, the deviation of the split from the plan with its band, the p-value
// path (cumulative and sequential), and the breakdown by segment. Drawn in
// core so that the HTML, the PDF and print show the same picture.
#include "report_internal.hpp"

#include "srm/document.hpp"
#include "srm/text.hpp"
#include "srm/timeutil.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace srm::detail {

namespace {

constexpr double kW = 720, kH = 300;
constexpr double kLeft = 64, kRight = 16, kTop = 34, kBottom = 46;
// Colour-blind-safe (Okabe-Ito) series colours.
const char* const kColors[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"};

std::string num(double v) { return format_fixed(v, 1); }

std::string tick_text(double v)
{
    if (std::fabs(v) >= 1e6) return format_general(v / 1e6, 3) + "M";
    if (std::fabs(v) >= 1e4) return format_general(v / 1e3, 3) + "k";
    return format_general(std::fabs(v) < 1e-12 ? 0.0 : v);
}

// About `n` round ticks covering [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int n = 5)
{
    if (!(hi > lo)) hi = lo + 1;
    const double raw = (hi - lo) / n, mag = std::pow(10.0, std::floor(std::log10(raw)));
    double step = mag;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * mag >= raw) {
            step = m * mag;
            break;
        }
    std::vector<double> out;
    for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push_back(t);
    return out;
}

struct Frame {
    double x0, x1, y0, y1;  // data range
    double px(double x) const { return kLeft + (x1 > x0 ? (x - x0) / (x1 - x0) : 0.5) * (kW - kLeft - kRight); }
    double py(double y) const { return kH - kBottom - (y1 > y0 ? (y - y0) / (y1 - y0) : 0.5) * (kH - kTop - kBottom); }
};

class Svg {
public:
    explicit Svg(const std::string& title, const std::string& alt)
    {
        o_ << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << num(kW) << " " << num(kH) << "\" width=\"" << num(kW) << "\" height=\""
           << num(kH) << "\" role=\"img\" aria-label=\"" << html_escape(alt) << "\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"11\">"
           << "<title>" << html_escape(title) << "</title>"
           << "<rect x=\"0\" y=\"0\" width=\"" << num(kW) << "\" height=\"" << num(kH) << "\" fill=\"#ffffff\"/>"
           << "<text x=\"" << num(kLeft) << "\" y=\"18\" font-size=\"13\" font-weight=\"bold\" fill=\"#222222\">" << html_escape(title) << "</text>";
    }
    std::ostringstream& raw() { return o_; }
    void line(double x1, double y1, double x2, double y2, const char* stroke, double width = 1, const char* dash = nullptr)
    {
        o_ << "<line x1=\"" << num(x1) << "\" y1=\"" << num(y1) << "\" x2=\"" << num(x2) << "\" y2=\"" << num(y2) << "\" stroke=\"" << stroke
           << "\" stroke-width=\"" << width << "\"" << (dash ? std::string(" stroke-dasharray=\"") + dash + "\"" : std::string()) << "/>";
    }
    void text(double x, double y, const std::string& s, const char* anchor = "start", const char* fill = "#333333", int size = 11)
    {
        o_ << "<text x=\"" << num(x) << "\" y=\"" << num(y) << "\" text-anchor=\"" << anchor << "\" fill=\"" << fill << "\" font-size=\"" << size
           << "\">" << html_escape(s) << "</text>";
    }
    void polyline(const std::vector<std::pair<double, double>>& pts, const char* stroke, double width, const char* dash = nullptr)
    {
        if (pts.empty()) return;
        o_ << "<polyline fill=\"none\" stroke=\"" << stroke << "\" stroke-width=\"" << width << "\" stroke-linejoin=\"round\""
           << (dash ? std::string(" stroke-dasharray=\"") + dash + "\"" : std::string()) << " points=\"";
        for (const auto& [x, y] : pts) o_ << num(x) << "," << num(y) << " ";
        o_ << "\"/>";
    }
    void polygon(const std::vector<std::pair<double, double>>& pts, const char* fill, double opacity)
    {
        if (pts.size() < 3) return;
        o_ << "<polygon fill=\"" << fill << "\" fill-opacity=\"" << opacity << "\" stroke=\"none\" points=\"";
        for (const auto& [x, y] : pts) o_ << num(x) << "," << num(y) << " ";
        o_ << "\"/>";
    }
    void rect(double x, double y, double w, double h, const char* fill)
    {
        o_ << "<rect x=\"" << num(x) << "\" y=\"" << num(y) << "\" width=\"" << num(std::max(0.0, w)) << "\" height=\"" << num(std::max(0.0, h))
           << "\" fill=\"" << fill << "\"/>";
    }
    std::string finish()
    {
        o_ << "</svg>";
        return o_.str();
    }

private:
    std::ostringstream o_;
};

// Axes with grid lines: y ticks as numbers, x ticks as UTC dates.
void axes(Svg& svg, const Frame& f, const std::string& y_label, bool time_x)
{
    for (double t : nice_ticks(f.y0, f.y1)) {
        svg.line(kLeft, f.py(t), kW - kRight, f.py(t), "#e4e4e4");
        svg.text(kLeft - 6, f.py(t) + 4, tick_text(t), "end", "#555555", 10);
    }
    svg.line(kLeft, kH - kBottom, kW - kRight, kH - kBottom, "#888888");
    svg.line(kLeft, kTop, kLeft, kH - kBottom, "#888888");
    if (time_x && f.x1 > f.x0) {
        const double span_h = (f.x1 - f.x0) / 3600.0;
        const double step_h = span_h <= 12 ? 2 : span_h <= 48 ? 6 : span_h <= 24 * 8 ? 24 : span_h <= 24 * 20 ? 48 : span_h <= 24 * 60 ? 24 * 7 : 24 * 30;
        const double step = step_h * 3600;
        for (double t = std::ceil(f.x0 / step) * step; t <= f.x1; t += step) {
            svg.line(f.px(t), kH - kBottom, f.px(t), kH - kBottom + 4, "#888888");
            const std::string iso = format_iso8601(static_cast<std::int64_t>(t));  // 2026-03-08T12:00:00Z
            svg.text(f.px(t), kH - kBottom + 16, step_h < 24 ? iso.substr(5, 5) + " " + iso.substr(11, 5) : iso.substr(0, 10), "middle", "#555555", 10);
        }
        svg.text((kLeft + kW - kRight) / 2, kH - 8, "first exposure (UTC)", "middle", "#555555", 10);
    }
    svg.raw() << "<text transform=\"translate(14," << num((kTop + kH - kBottom) / 2) << ") rotate(-90)\" text-anchor=\"middle\" fill=\"#555555\" font-size=\"10\">"
              << html_escape(y_label) << "</text>";
}

void legend(Svg& svg, const std::vector<std::pair<std::string, std::string>>& entries)  // (label, colour), dashed when label ends in "(plan)"
{
    double x = kW - kRight;
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        const double w = 26 + 6.2 * static_cast<double>(std::min<std::size_t>(it->first.size(), 28));
        x -= w;
        svg.line(x, 14, x + 18, 14, it->second.c_str(), 2.5);
        svg.text(x + 22, 18, shorten(it->first, 28), "start", "#333333", 10);
    }
}

std::vector<double> times_of(const Timeline& tl)
{
    std::vector<double> t;
    for (const auto& p : tl.points) t.push_back(static_cast<double>(p.time));
    return t;
}

}  // namespace

std::optional<DocChart> cumulative_chart(const Timeline& tl)
{
    if (tl.points.size() < 2 || tl.variants.empty()) return std::nullopt;
    const auto t = times_of(tl);
    double ymax = 1;
    for (const auto& p : tl.points)
        for (std::size_t j = 0; j < p.cumulative.size(); ++j)
            ymax = std::max({ymax, static_cast<double>(p.cumulative[j]), j < p.expected_cumulative.size() ? p.expected_cumulative[j] : 0.0});
    const Frame f{t.front(), t.back(), 0, ymax * 1.05};
    DocChart c{"cumulative_units", "Cumulative units per variant", "", kW, kH,
               "Cumulative units of each variant over time (solid) against the units the plan expects (dashed)."};
    Svg svg(c.title, c.alt);
    axes(svg, f, "units", true);
    std::vector<std::pair<std::string, std::string>> leg;
    for (std::size_t j = 0; j < tl.variants.size(); ++j) {
        const char* col = kColors[j % 8];
        std::vector<std::pair<double, double>> obs, exp;
        for (std::size_t i = 0; i < tl.points.size(); ++i) {
            const auto& p = tl.points[i];
            if (j < p.cumulative.size()) obs.emplace_back(f.px(t[i]), f.py(static_cast<double>(p.cumulative[j])));
            if (j < p.expected_cumulative.size()) exp.emplace_back(f.px(t[i]), f.py(p.expected_cumulative[j]));
        }
        svg.polyline(exp, col, 1.2, "5,4");
        svg.polyline(obs, col, 2);
        leg.emplace_back(tl.variants[j], col);
    }
    legend(svg, leg);
    c.svg = svg.finish();
    return c;
}

std::optional<DocChart> deviation_chart(const Timeline& tl)
{
    if (tl.points.size() < 2 || tl.variants.empty()) return std::nullopt;
    const auto t = times_of(tl);
    double ymax = 0.1;
    // The first points rest on few units: their band is wide; the scale follows the deviations and the band from a tenth of the span on.
    const std::size_t from = tl.points.size() / 10;
    for (std::size_t i = 0; i < tl.points.size(); ++i)
        for (std::size_t j = 0; j < tl.points[i].deviation_pp.size(); ++j) {
            ymax = std::max(ymax, std::fabs(tl.points[i].deviation_pp[j]));
            if (i >= from && j < tl.points[i].band_pp.size()) ymax = std::max(ymax, tl.points[i].band_pp[j]);
        }
    ymax *= 1.1;
    const Frame f{t.front(), t.back(), -ymax, ymax};
    const std::string band = format_fixed(tl.band_level * 100, 0) + " % band of the plan";
    DocChart c{"deviation", "Deviation of the split from the plan", "", kW, kH,
               "Observed minus planned share of each variant, in percentage points, over time; the shaded band is where the plan "
               "keeps the first variant's share " + std::to_string(static_cast<int>(std::lround(tl.band_level * 100))) + " % of the time."};
    Svg svg(c.title, c.alt);
    std::vector<std::pair<double, double>> upper, lower;
    for (std::size_t i = 0; i < tl.points.size(); ++i) {
        const auto& bp = tl.points[i].band_pp;
        const double b = bp.empty() ? 0.0 : std::min(bp.front(), ymax);
        upper.emplace_back(f.px(t[i]), f.py(b));
        lower.emplace_back(f.px(t[i]), f.py(-b));
    }
    std::vector<std::pair<double, double>> poly(upper);
    poly.insert(poly.end(), lower.rbegin(), lower.rend());
    svg.polygon(poly, "#9aa5b1", 0.3);
    axes(svg, f, "observed - planned share (pp)", true);
    svg.line(kLeft, f.py(0), kW - kRight, f.py(0), "#555555", 1);
    std::vector<std::pair<std::string, std::string>> leg;
    for (std::size_t j = 0; j < tl.variants.size(); ++j) {
        std::vector<std::pair<double, double>> pts;
        for (std::size_t i = 0; i < tl.points.size(); ++i)
            if (j < tl.points[i].deviation_pp.size()) pts.emplace_back(f.px(t[i]), f.py(std::clamp(tl.points[i].deviation_pp[j], -ymax, ymax)));
        svg.polyline(pts, kColors[j % 8], 2);
        leg.emplace_back(tl.variants[j], kColors[j % 8]);
    }
    leg.emplace_back(band, "#9aa5b1");
    legend(svg, leg);
    c.svg = svg.finish();
    return c;
}

std::optional<DocChart> p_value_chart(const Timeline& tl, const SrmOptions& options, const std::optional<std::int64_t>& first_alert)
{
    if (tl.points.size() < 2) return std::nullopt;
    const auto t = times_of(tl);
    const double warn = -std::log10(options.thresholds.warn), severe = -std::log10(options.thresholds.severe);
    double ymax = severe * 1.2;
    for (const auto& p : tl.points) ymax = std::max({ymax, -p.log10_p_value, -p.sequential_log10_p});
    ymax = std::min(ymax * 1.05, 350.0);
    const Frame f{t.front(), t.back(), 0, ymax};
    DocChart c{"p_value_path", "p-value path (-log10 p)", "", kW, kH,
               "Minus log10 of the p-value over time: the cumulative chi-square test and the anytime-valid sequential test, with the warn "
               "and severe levels as dashed lines."};
    Svg svg(c.title, c.alt);
    axes(svg, f, "-log10 p", true);
    svg.line(kLeft, f.py(warn), kW - kRight, f.py(warn), "#E69F00", 1.2, "6,4");
    svg.text(kW - kRight - 4, f.py(warn) - 4, "warn p = " + tick_text(options.thresholds.warn), "end", "#9a6a00", 10);
    svg.line(kLeft, f.py(severe), kW - kRight, f.py(severe), "#D55E00", 1.2, "6,4");
    svg.text(kW - kRight - 4, f.py(severe) - 4, "severe p = " + tick_text(options.thresholds.severe), "end", "#a04000", 10);
    std::vector<std::pair<double, double>> cum, seq;
    for (std::size_t i = 0; i < tl.points.size(); ++i) {
        cum.emplace_back(f.px(t[i]), f.py(std::min(ymax, -tl.points[i].log10_p_value)));
        seq.emplace_back(f.px(t[i]), f.py(std::min(ymax, -tl.points[i].sequential_log10_p)));
    }
    svg.polyline(cum, kColors[0], 2);
    svg.polyline(seq, kColors[3], 2);
    if (first_alert && *first_alert >= t.front() && *first_alert <= t.back()) {
        const double x = f.px(static_cast<double>(*first_alert));
        svg.line(x, kTop, x, kH - kBottom, "#CC79A7", 1, "2,3");
        svg.text(x + 4, kTop + 12, "first alert", "start", "#8a3f6e", 10);
    }
    legend(svg, {{"cumulative chi-square", kColors[0]}, {"sequential (anytime-valid)", kColors[3]}});
    c.svg = svg.finish();
    return c;
}

std::string severity_words(SegmentSeverity severity)
{
    std::string s = to_string(severity);
    std::replace(s.begin(), s.end(), '_', ' ');
    return s;
}

std::optional<DocChart> breakdown_chart(const std::vector<DimensionResult>& dims)
{
    struct Bar {
        std::string label;
        double dev, log10_p;
        SegmentSeverity severity;
    };
    std::vector<Bar> bars;
    for (const auto& d : dims)
        for (const auto& s : d.segments) bars.push_back({d.name + " = " + s.value, s.max_deviation_pp, s.log10_adjusted_p_value, s.severity});
    if (bars.empty()) return std::nullopt;
    std::stable_sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) { return a.log10_p < b.log10_p; });
    constexpr std::size_t kBars = 12;
    if (bars.size() > kBars) bars.resize(kBars);
    const double row = 20, top = 40, label_w = 230, h = top + row * static_cast<double>(bars.size()) + 30;
    double xmax = 0.1;
    for (const auto& b : bars) xmax = std::max(xmax, std::fabs(b.dev));
    xmax *= 1.15;
    DocChart c{"breakdown", "Breakdown: the segments most out of balance", "", kW, h,
               "The segments with the smallest Holm-adjusted p-values, each bar its largest share deviation from the plan in percentage points, "
               "coloured by severity."};
    std::ostringstream o;
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << num(kW) << " " << num(h) << "\" width=\"" << num(kW) << "\" height=\"" << num(h)
      << "\" role=\"img\" aria-label=\"" << html_escape(c.alt) << "\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"11\">"
      << "<title>" << html_escape(c.title) << "</title><rect x=\"0\" y=\"0\" width=\"" << num(kW) << "\" height=\"" << num(h) << "\" fill=\"#ffffff\"/>"
      << "<text x=\"8\" y=\"18\" font-size=\"13\" font-weight=\"bold\" fill=\"#222222\">" << html_escape(c.title) << "</text>";
    const double x0 = label_w, x1 = kW - 110;
    auto px = [&](double v) { return x0 + v / xmax * (x1 - x0); };
    for (double tk : nice_ticks(0, xmax, 4)) {
        o << "<line x1=\"" << num(px(tk)) << "\" y1=\"" << num(top - 6) << "\" x2=\"" << num(px(tk)) << "\" y2=\"" << num(h - 26)
          << "\" stroke=\"#e4e4e4\"/><text x=\"" << num(px(tk)) << "\" y=\"" << num(h - 12) << "\" text-anchor=\"middle\" fill=\"#555555\" font-size=\"10\">"
          << tick_text(tk) << " pp</text>";
    }
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const auto& b = bars[i];
        const double y = top + row * static_cast<double>(i);
        const char* fill = b.severity == SegmentSeverity::Severe ? "#c0392b" : b.severity == SegmentSeverity::Warn ? "#e67e22"
                           : b.severity == SegmentSeverity::TooSmall ? "#b0b0b0" : "#5d9c59";
        o << "<text x=\"" << num(label_w - 8) << "\" y=\"" << num(y + 13) << "\" text-anchor=\"end\" fill=\"#333333\">" << html_escape(shorten(b.label, 34))
          << "</text><rect x=\"" << num(x0) << "\" y=\"" << num(y + 3) << "\" width=\"" << num(std::max(1.0, px(std::fabs(b.dev)) - x0))
          << "\" height=\"" << num(row - 6) << "\" fill=\"" << fill << "\"/><text x=\"" << num(px(std::fabs(b.dev)) + 6) << "\" y=\"" << num(y + 13)
          << "\" fill=\"#333333\" font-size=\"10\">" << html_escape(severity_words(b.severity)) << ", p = "
          << html_escape(format_p(std::pow(10.0, b.log10_p), b.log10_p)) << "</text>";
    }
    o << "</svg>";
    c.svg = o.str();
    return c;
}

}  // namespace srm::detail
