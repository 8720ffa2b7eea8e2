#include "srm/render.hpp"

#include "srm/text.hpp"
#include "srm/timeutil.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string_view>

namespace srm {

namespace {

std::string fixed(double v, int decimals) { return format_fixed(v, decimals); }

// A table cell: padded to its width; a name or value longer than a line's
// worth is shortened (the JSON keeps it whole).
std::string pad(const std::string& cell, std::size_t width, bool right)
{
    const std::string s = cell.size() > 80 ? shorten(cell, 80) : cell;
    if (s.size() >= width) return s;
    return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

const char* status_tag(CheckStatus s)
{
    switch (s) {
    case CheckStatus::Pass: return "[pass]";
    case CheckStatus::Warn: return "[WARN]";
    case CheckStatus::Fail: return "[FAIL]";
    case CheckStatus::NotApplicable: return "[n/a ]";
    case CheckStatus::Manual: return "[ ?  ]";
    }
    return "[    ]";
}
// A reviewer's text under a line of the report: each further line of it
// indented as far as the first, so a note of several lines stays with its item.
std::string indented(const std::string& text, std::size_t by)
{
    std::string out;
    for (const char c : trim_line_breaks(text)) {
        out += c;
        if (c == '\n') out.append(by, ' ');
    }
    return out;
}

// The input: what was read, how each column was used, what was rejected.
void input_section(std::ostream& o, const Report& report)
{
    const auto& r = report.srm;
    const auto& in = report.input;
    o << "Input: " << (in.file.empty() ? std::string("counts given on the command line") : in.file) << " — " << r.variants.size()
      << " variants, " << group_thousands(r.units) << " units\n";
    if (in.file.empty()) return;
    o << "Read: " << to_string(in.shape) << " data, delimiter '" << in.delimiter.value_or(",") << "', "
      << (in.header ? "header row" : "no header row") << ", " << in.encoding << (in.compression != "plain" ? ", " + in.compression : "")
      << ", " << in.line_end << " line ends; " << group_thousands(in.rows_read) << " rows read, " << group_thousands(in.rows_rejected)
      << " rejected";
    if (in.rows_other_events) o << ", " << group_thousands(in.rows_other_events) << " of other event types";
    if (in.rows_outside_window) o << ", " << group_thousands(in.rows_outside_window) << " outside the window";
    o << "\n";
    // The first 40 columns and the first 20 ignored ones: a file of 100,000
    // columns is not a report of 100,000 lines (the JSON lists every one).
    constexpr std::size_t kColumnsShown = 40, kIgnoredShown = 20;
    o << "Columns:";
    for (std::size_t i = 0; i < in.column_roles.size() && i < kColumnsShown; ++i)
        o << " " << shorten(in.column_roles[i].name) << "=" << to_string(in.column_roles[i].role);
    if (in.column_roles.size() > kColumnsShown) o << " ... (" << group_thousands(in.column_roles.size()) << " columns in all)";
    o << "\n";
    std::size_t ignored = 0;
    for (const auto& c : in.column_roles)
        if (c.role == Role::Ignore && ++ignored <= kIgnoredShown) o << "  column '" << shorten(c.name) << "' ignored: " << c.reason << "\n";
    if (ignored > kIgnoredShown) o << "  ... and " << group_thousands(ignored - kIgnoredShown) << " more columns ignored\n";
    for (const auto& [name, distinct] : in.excluded_dimensions)
        o << "  dimension '" << name << "' left out of the breakdown: more than " << dimension_value_limit(distinct) << " distinct values\n";
    for (const auto& w : in.warnings)
        if (w.code != "column_ignored") o << "  ! " << w.message << "\n";
    const std::size_t shown = std::min<std::size_t>(in.errors.size(), 10);
    for (std::size_t i = 0; i < shown; ++i) o << "  rejected line " << in.errors[i].line << ": " << in.errors[i].message << "\n";
    if (in.rows_rejected > shown)
        o << "  ... and " << group_thousands(in.rows_rejected - shown) << " more rejected rows (all listed up to " << in.errors.size()
          << " in --json)\n";
}

void srm_section(std::ostream& o, const Report& report)
{
    const auto& r = report.srm;
    std::size_t name_w = 7;
    for (const auto& v : r.variants) name_w = std::max(name_w, v.name.size());
    o << "\n" << pad("Variant", name_w, false) << "  " << pad("Observed", 12, true) << "  " << pad("Expected", 14, true) << "  "
      << pad("Obs share", 9, true) << "  " << pad("Exp share", 9, true) << "  " << pad("Deviation", 10, true) << "\n";
    for (const auto& v : r.variants) {
        std::string dev = fixed(v.deviation_pp, 3);
        if (v.deviation_pp >= 0) dev.insert(dev.begin(), '+');
        dev += " pp";
        o << pad(v.name, name_w, false) << "  " << pad(group_thousands(v.observed), 12, true) << "  " << pad(fixed(v.expected, 1), 14, true)
          << "  " << pad(fixed(v.observed_share * 100.0, 3) + " %", 9, true) << "  " << pad(fixed(v.expected_share * 100.0, 3) + " %", 9, true)
          << "  " << pad(dev, 10, true) << (v.unplanned ? "  (planned at 0 %)" : "") << "\n";
    }
    o << "\nTest: " << r.method << "\n";
    o << "chi-square = " << fixed(r.statistic, 4) << ", df = " << r.df << ", p = " << format_p(r.p_value, r.log10_p_value)
      << " (log10 p = " << fixed(r.log10_p_value, 4) << ")\n";
    if (r.test == TestKind::Exact)
        o << "Asymptotic chi-square p, for comparison: " << format_p(r.chi_square_p_value, std::log10(std::max(r.chi_square_p_value, 1e-320)))
          << "\n";
    o << "Severity: " << to_string(r.severity) << " (warn below p = " << report.options.thresholds.warn
      << ", severe below p = " << report.options.thresholds.severe << ")\n";
}

void timeline_table(std::ostream& o, const Timeline& tl)
{
    if (tl.points.empty()) return;
    o << "  " << pad(tl.resolution == TimeResolution::Day ? "Day ending" : "Hour ending", 20, false);
    for (const auto& v : tl.variants) o << "  " << pad(v, 12, true);
    o << "  " << pad(tl.variants.front() + " share", 14, true) << "  " << pad("cum. p", 10, true) << "\n";
    const std::size_t step = tl.points.size() > 40 ? (tl.points.size() + 39) / 40 : 1;
    for (std::size_t i = 0; i < tl.points.size(); ++i) {
        if (i % step != 0 && i + 1 != tl.points.size()) continue;
        const auto& pt = tl.points[i];
        std::uint64_t total = 0;
        for (auto c : pt.cumulative) total += c;
        o << "  " << pad(format_iso8601(pt.time), 20, false);
        for (auto c : pt.cumulative) o << "  " << pad(group_thousands(c), 12, true);
        o << "  " << pad(total ? fixed(100.0 * static_cast<double>(pt.cumulative.front()) / static_cast<double>(total), 3) + " %" : "-", 14, true)
          << "  " << pad(format_p(pt.p_value, pt.log10_p_value), 10, true) << "\n";
    }
}

void step1_section(std::ostream& o, const Report& report)
{
    const auto& tp = report.time_pattern;
    o << "\nStep 1 - When did it start (time pattern): " << to_string(tp.kind);
    if (tp.change_point) o << " at " << format_iso8601(*tp.change_point);
    o << "\n";
    if (!tp.evidence.empty()) o << "  " << tp.evidence << "\n";
    if (report.sequential.applicable) {
        o << "  Sequential (anytime-valid) test: p = " << format_p(report.sequential.p_value, report.sequential.log10_p_value);
        if (report.sequential.first_alert) o << ", first alert at " << format_iso8601(*report.sequential.first_alert);
        else o << ", no alert";
        o << "\n";
    }
    timeline_table(o, report.timeline);
}

void step2_section(std::ostream& o, const Report& report)
{
    o << "\nStep 2 - Is it a symptom (group metrics):";
    o << (report.group_metrics.empty() ? " no metric columns.\n" : "\n");
    for (const auto& m : report.group_metrics) {
        o << "  " << (m.flag ? "[FLAG] " : "       ") << m.metric << " (" << (m.binary ? "rate" : "mean") << "): ";
        for (std::size_t i = 0; i < m.variants.size(); ++i) {
            const auto& v = m.variants[i];
            o << (i ? "; " : "") << v.name << " "
              << (m.binary ? fixed(v.rate * 100.0, 2) + " % [" + fixed(v.ci_low * 100.0, 2) + ", " + fixed(v.ci_high * 100.0, 2) + "]"
                           : fixed(v.rate, 3) + " [" + fixed(v.ci_low, 3) + ", " + fixed(v.ci_high, 3) + "]");
        }
        o << "; p = " << format_p(m.p_value, std::log10(std::max(m.p_value, 1e-300))) << ", Holm-adjusted "
          << format_p(m.adjusted_p_value, std::log10(std::max(m.adjusted_p_value, 1e-300))) << "\n";
    }
}

void step3_section(std::ostream& o, const Report& report)
{
    o << "\nStep 3 - What changed then (change log):";
    o << (report.changes.empty() ? " no change log given (--changes).\n" : "\n");
    for (const auto& c : report.changes) {
        o << "  " << (c.near_change_point ? "NEAR " : "     ") << format_iso8601(c.change.time) << "  " << pad(c.change.kind, 14, false) << " "
          << c.change.description;
        if (c.distance_seconds)
            o << "  (" << (*c.distance_seconds >= 0 ? "+" : "") << fixed(*c.distance_seconds / 3600.0, 1) << " h from the change point)";
        o << "\n";
    }
}

// The localization: the segments that explain the SRM and the certificate.
void explanation_section(std::ostream& o, const Report& report)
{
    const Explanation& ex = report.explanation;
    if (report.dimensions.empty()) return;
    o << "  Explanation (" << to_string(ex.status) << "): " << ex.summary << "\n";
    for (const auto& sg : ex.segments) {
        o << "    " << describe_conditions(sg.conditions) << ": " << group_thousands(sg.units) << " units, " << fixed(sg.share_of_imbalance * 100.0, 1)
          << " % of the imbalance, p = " << format_p(sg.p_value, sg.log10_p_value);
        if (sg.change_point) o << ", broke at " << format_iso8601(*sg.change_point);
        if (sg.marginal) o << " (marginal: only needed for the rest's chance deviation)";
        o << "\n";
        for (const auto& a : sg.alternatives) o << "      not " << describe_conditions(a.conditions) << ": " << a.reason << "\n";
    }
    if (ex.status == ExplanationStatus::Localized)
        o << "    Rest: " << group_thousands(ex.remaining_units) << " units, p = " << format_p(ex.remaining.p_value, ex.remaining.log10_p_value)
          << " (" << to_string(ex.remaining.severity) << "); the segments account for " << fixed(ex.explained_share.value_or(0) * 100.0, 1)
          << " % of the imbalance\n";
    if (!ex.dimensions_left_out.empty()) {
        o << "    Left out of the search (too many combinations):";
        for (const auto& d : ex.dimensions_left_out) o << " " << d;
        o << "\n";
    }
}

void step4_section(std::ostream& o, const Report& report)
{
    o << "\nStep 4 - Where does it concentrate (dimensions):";
    o << (report.dimensions.empty() ? " no dimension columns.\n" : "\n");
    for (const auto& d : report.dimensions) {
        o << "  " << d.name << ": split differs across values p = " << format_p(d.p_value, d.log10_p_value) << "\n";
        std::size_t shown = 0;
        for (const auto& sg : d.segments) {
            if (shown++ >= 8) {
                o << "    ... " << d.segments.size() - 8 << " more values (see --json)\n";
                break;
            }
            o << "    " << pad(sg.value, 18, false) << pad(group_thousands(sg.units), 11, true) << " units  dev "
              << pad(fixed(sg.max_deviation_pp, 2) + " pp", 9, true) << "  adj. p "
              << pad(format_p(sg.adjusted_p_value, sg.log10_adjusted_p_value), 10, true) << "  " << pad(to_string(sg.severity), 9, false) << " "
              << fixed(sg.share_of_imbalance * 100.0, 1) << " % of the imbalance\n";
        }
    }
    explanation_section(o, report);
    if (report.ranked_segments.empty()) return;
    o << "  Where the imbalance concentrates (Holm-adjusted across all segments):\n";
    for (std::size_t i = 0; i < report.ranked_segments.size() && i < 5; ++i) {
        const auto& r = report.ranked_segments[i];
        o << "    " << i + 1 << ". " << r.dimension << " = " << r.value << "  (adjusted p = " << format_p(r.adjusted_p_value, r.log10_adjusted_p_value)
          << ", " << fixed(r.share_of_imbalance * 100.0, 1) << " % of the dimension's imbalance)\n";
    }
}

void checklist_section(std::ostream& o, const Report& report, const ReviewerWork& work)
{
    o << "\nChecklist:\n";
    for (const auto& c : report.checks) {
        o << "  " << status_tag(c.status) << " " << c.title << " (" << c.id << ")\n";
        if (!c.detail.empty()) o << "         " << c.detail << "\n";
        for (const auto& a : work.answers)
            if (a.id == c.id && (a.done || !a.notes.empty()))
                o << "         Reviewer: " << (a.done ? "checked" : "not checked") << (a.notes.empty() ? "" : " - " + indented(a.notes, 19)) << "\n";
    }
    if (!work.notes.empty()) o << "\nReviewer's notes:\n" << work.notes << (work.notes.back() == '\n' ? "" : "\n");
    o << "\nNext steps:\n";
    int i = 1;
    for (const auto& s : report.verdict.next_steps) o << "  " << i++ << ". " << s << "\n";
}

}  // namespace

std::string to_text(const Report& report, const ReviewerWork& work)
{
    std::ostringstream o;
    o << "SRM check (srm-check " << report.tool_version << ")\n";
    o << "HEALTH: " << to_string(report.health.state) << " - " << report.health.headline << "\n";
    for (const auto& r : report.health.reasons) o << "  - " << r << "\n";
    if (!report.scope.all()) o << "SHOWING: " << describe_scope(report.scope, report.srm.units) << "\n";
    input_section(o, report);
    if (report.input.expected_assumed_equal) o << "Expected allocation: not given, an equal split is assumed (use --expected to set it)\n";
    o << "\nVERDICT: " << report.verdict.summary << "\n";
    for (const auto& f : report.srm.findings) o << "  ! " << f << "\n";
    srm_section(o, report);
    step1_section(o, report);
    step2_section(o, report);
    step3_section(o, report);
    step4_section(o, report);
    checklist_section(o, report, work);
    return o.str();
}

}  // namespace srm
