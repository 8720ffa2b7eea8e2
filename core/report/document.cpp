// The report document: the analysis and the reviewer's work laid out in
// sections, in the order a reviewer reads them (health and verdict, the
// split, the four steps, the checklist with the answers and notes, what was
// read).
#include "report_internal.hpp"

#include "srm/document.hpp"
#include "srm/text.hpp"
#include "srm/timeutil.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace srm {

namespace {

std::string fixed(double v, int decimals) { return format_fixed(v, decimals); }
std::string short_number(double v) { return format_general(v); }
std::string signed_pp(double pp) { return (pp >= 0 ? "+" : "") + fixed(pp, 3) + " pp"; }
std::string pct(double share, int decimals = 3) { return fixed(share * 100.0, decimals) + " %"; }
std::string p_of(double p) { return format_p(p, std::log10(std::max(p, 1e-300))); }

DocBlock paragraph(std::string text, std::string role = {})
{
    DocBlock b;
    b.text = std::move(text);
    b.role = std::move(role);
    return b;
}
DocBlock list(std::vector<std::string> items, bool numbered = false)
{
    DocBlock b;
    b.kind = numbered ? DocBlock::Kind::Numbered : DocBlock::Kind::Bullets;
    b.items = std::move(items);
    return b;
}
DocBlock subheading(std::string text)
{
    DocBlock b;
    b.kind = DocBlock::Kind::Subheading;
    b.text = std::move(text);
    return b;
}
DocBlock table(DocTable t)
{
    DocBlock b;
    b.kind = DocBlock::Kind::Table;
    b.table = std::move(t);
    return b;
}
void add_chart(DocSection& s, std::optional<DocChart> c)
{
    if (!c) return;
    DocBlock b;
    b.kind = DocBlock::Kind::Chart;
    b.chart = std::move(*c);
    s.blocks.push_back(std::move(b));
}

const char* check_word(CheckStatus s)
{
    switch (s) {
    case CheckStatus::Pass: return "pass";
    case CheckStatus::Warn: return "WARN";
    case CheckStatus::Fail: return "FAIL";
    case CheckStatus::NotApplicable: return "n/a";
    case CheckStatus::Manual: return "to check";
    }
    return "";
}

DocSection verdict_section(const Report& r)
{
    DocSection s{"verdict", "Verdict", {}};
    s.blocks.push_back(paragraph(r.verdict.summary, "verdict"));
    if (!r.srm.findings.empty()) s.blocks.push_back(list(r.srm.findings));
    if (!r.verdict.next_steps.empty()) {
        s.blocks.push_back(subheading("Next steps"));
        s.blocks.push_back(list(r.verdict.next_steps, true));
    }
    return s;
}

DocSection split_section(const Report& r)
{
    DocSection s{"split", "The split against the plan", {}};
    DocTable t{{"Variant", "Observed", "Expected", "Observed share", "Planned share", "Deviation"}, {}, {false, true, true, true, true, true}, {}};
    for (const auto& v : r.srm.variants)
        t.rows.push_back({v.name + (v.unplanned ? " (planned at 0 %)" : ""), group_thousands(v.observed), fixed(v.expected, 1), pct(v.observed_share),
                          pct(v.expected_share), signed_pp(v.deviation_pp)});
    s.blocks.push_back(table(std::move(t)));
    std::string test = r.srm.method + ": chi-square = " + fixed(r.srm.statistic, 4) + ", df = " + std::to_string(r.srm.df) +
                       ", p = " + format_p(r.srm.p_value, r.srm.log10_p_value) + " (" + to_string(r.srm.severity) + "; warn below p = " +
                       short_number(r.options.thresholds.warn) + ", severe below p = " + short_number(r.options.thresholds.severe) + ").";
    if (r.srm.test == TestKind::Exact) test += " Asymptotic chi-square p, for comparison: " + p_of(r.srm.chi_square_p_value) + ".";
    s.blocks.push_back(paragraph(test));
    if (r.window.whole_span)
        s.blocks.push_back(paragraph("Over the whole span (not only the window): p = " +
                                         format_p(r.window.whole_span->p_value, r.window.whole_span->log10_p_value) + ", " +
                                         group_thousands(r.window.whole_span->units) + " units.",
                                     "note"));
    return s;
}

DocSection step1_section(const Report& r)
{
    DocSection s{"step1", "Step 1: when did it start (time pattern)", {}};
    const auto& tp = r.time_pattern;
    std::string text = std::string("Time pattern: ") + to_string(tp.kind) + (tp.change_point ? " at " + format_iso8601(*tp.change_point) : "") + ".";
    if (!tp.evidence.empty()) text += " " + tp.evidence;
    s.blocks.push_back(paragraph(text));
    if (r.sequential.applicable)
        s.blocks.push_back(paragraph("Sequential (anytime-valid) test: p = " + format_p(r.sequential.p_value, r.sequential.log10_p_value) +
                                     (r.sequential.first_alert ? ", first alert at " + format_iso8601(*r.sequential.first_alert) : ", no alert") +
                                     " (prior concentration " + fixed(r.sequential.concentration, 0) + ")."));
    add_chart(s, detail::cumulative_chart(r.timeline));
    add_chart(s, detail::deviation_chart(r.timeline));
    add_chart(s, detail::p_value_chart(r.timeline, r.options, r.sequential.first_alert));
    if (r.timeline.points.empty()) s.blocks.push_back(paragraph("No times in the data: no timeline.", "note"));
    return s;
}

DocSection step2_section(const Report& r)
{
    DocSection s{"step2", "Step 2: is it a symptom (group metrics)", {}};
    if (r.group_metrics.empty()) {
        s.blocks.push_back(paragraph("No metric columns in the data.", "note"));
        return s;
    }
    DocTable t{{"Metric", "Variant", "Units", "Rate or mean", "Interval", "p", "Holm-adjusted p", "Flag"}, {}, {false, false, true, true, true, true, true, false}, {}};
    for (const auto& m : r.group_metrics)
        for (std::size_t i = 0; i < m.variants.size(); ++i) {
            const auto& v = m.variants[i];
            const std::string value = m.binary ? pct(v.rate, 2) : fixed(v.rate, 3);
            const std::string ci = m.binary ? "[" + fixed(v.ci_low * 100.0, 2) + ", " + fixed(v.ci_high * 100.0, 2) + "] %"
                                            : "[" + fixed(v.ci_low, 3) + ", " + fixed(v.ci_high, 3) + "]";
            t.rows.push_back({i == 0 ? m.metric + (m.binary ? " (rate)" : " (mean)") : "", v.name, group_thousands(v.n), value, ci,
                              i == 0 ? p_of(m.p_value) : "", i == 0 ? p_of(m.adjusted_p_value) : "", i == 0 && m.flag ? "differs" : ""});
        }
    s.blocks.push_back(table(std::move(t)));
    return s;
}

DocSection step3_section(const Report& r)
{
    DocSection s{"step3", "Step 3: what changed then (change log)", {}};
    if (r.changes.empty()) {
        s.blocks.push_back(paragraph("No change log given.", "note"));
        return s;
    }
    DocTable t{{"Time (UTC)", "Kind", "Description", "From the change point", "Near"}, {}, {false, false, false, true, false}, {}};
    for (const auto& c : r.changes)
        t.rows.push_back({format_iso8601(c.change.time), c.change.kind, c.change.description,
                          c.distance_seconds ? (*c.distance_seconds >= 0 ? "+" : "") + fixed(*c.distance_seconds / 3600.0, 1) + " h" : "",
                          c.near_change_point ? "near" : ""});
    s.blocks.push_back(table(std::move(t)));
    return s;
}

void explanation_blocks(DocSection& s, const Report& r)
{
    const Explanation& ex = r.explanation;
    s.blocks.push_back(subheading(std::string("Where it breaks (") + to_string(ex.status) + ")"));
    s.blocks.push_back(paragraph(ex.summary));
    if (ex.segments.empty()) return;
    DocTable t{{"Segment", "Units", "Share of the imbalance", "p", "Broke at", "Not instead"}, {}, {false, true, true, true, false, false}, {}};
    for (const auto& sg : ex.segments) {
        std::string alts;
        for (const auto& a : sg.alternatives) alts += (alts.empty() ? "" : "; ") + describe_conditions(a.conditions) + ": " + a.reason;
        t.rows.push_back({describe_conditions(sg.conditions) + (sg.marginal ? " (marginal)" : ""), group_thousands(sg.units), pct(sg.share_of_imbalance, 1),
                          format_p(sg.p_value, sg.log10_p_value), sg.change_point ? format_iso8601(*sg.change_point) : "", alts});
    }
    if (ex.status == ExplanationStatus::Localized)
        t.note = "The rest: " + group_thousands(ex.remaining_units) + " units, p = " + format_p(ex.remaining.p_value, ex.remaining.log10_p_value) +
                 " (" + to_string(ex.remaining.severity) + ").";
    s.blocks.push_back(table(std::move(t)));
}

DocSection step4_section(const Report& r)
{
    DocSection s{"step4", "Step 4: where does it concentrate (dimensions)", {}};
    if (r.dimensions.empty()) {
        s.blocks.push_back(paragraph("No dimension columns in the data.", "note"));
        return s;
    }
    add_chart(s, detail::breakdown_chart(r.dimensions));
    explanation_blocks(s, r);
    constexpr std::size_t kRows = 50;
    for (const auto& d : r.dimensions) {
        s.blocks.push_back(subheading(d.name + ": the split differs across its values, p = " + format_p(d.p_value, d.log10_p_value)));
        DocTable t{{"Value", "Units", "Largest deviation", "Adjusted p", "Severity", "Share of the imbalance"}, {}, {false, true, true, true, false, true}, {}};
        for (std::size_t i = 0; i < d.segments.size() && i < kRows; ++i) {
            const auto& sg = d.segments[i];
            t.rows.push_back({sg.value, group_thousands(sg.units), fixed(sg.max_deviation_pp, 2) + " pp",
                              format_p(sg.adjusted_p_value, sg.log10_adjusted_p_value), detail::severity_words(sg.severity), pct(sg.share_of_imbalance, 1)});
        }
        if (d.segments.size() > kRows) t.note = "... and " + group_thousands(d.segments.size() - kRows) + " more values (all of them in the JSON report).";
        s.blocks.push_back(table(std::move(t)));
    }
    return s;
}

DocSection checklist_section(const Report& r, const ReviewerWork& work)
{
    DocSection s{"checklist", "Checklist", {}};
    DocTable t{{"Status", "Check", "Detail", "Reviewer"}, {}, {false, false, false, false}, {}};
    for (const auto& c : r.checks) {
        std::string reviewer;
        for (const auto& a : work.answers)
            if (a.id == c.id && (a.done || !a.notes.empty())) reviewer = std::string(a.done ? "checked" : "not checked") + (a.notes.empty() ? "" : ": " + a.notes);
        t.rows.push_back({check_word(c.status), c.title, c.detail, reviewer});
    }
    s.blocks.push_back(table(std::move(t)));
    s.blocks.push_back(subheading("Reviewer's notes"));
    s.blocks.push_back(paragraph(work.notes.empty() ? "No notes." : work.notes, work.notes.empty() ? "note" : ""));
    return s;
}

DocSection input_section(const Report& r)
{
    DocSection s{"input", "What was read", {}};
    const auto& in = r.input;
    if (in.file.empty()) {
        s.blocks.push_back(paragraph("Counts given on the command line: " + std::to_string(r.srm.variants.size()) + " variants, " +
                                     group_thousands(r.srm.units) + " units."));
        return s;
    }
    std::string read = in.file + ": " + to_string(in.shape) + " data, delimiter '" + in.delimiter.value_or(",") + "', " +
                       (in.header ? "header row" : "no header row") + ", " + in.encoding + (in.compression != "plain" ? ", " + in.compression : "") +
                       ", " + in.line_end + " line ends; " + group_thousands(in.rows_read) + " rows read, " + group_thousands(in.rows_rejected) +
                       " rejected";
    if (in.rows_other_events) read += ", " + group_thousands(in.rows_other_events) + " of other event types";
    if (in.rows_outside_window) read += ", " + group_thousands(in.rows_outside_window) + " outside the window";
    s.blocks.push_back(paragraph(read + "."));
    if (in.expected_assumed_equal) s.blocks.push_back(paragraph("No planned allocation was given: an equal split is assumed.", "warning"));
    DocTable cols{{"Column", "Role", "Why"}, {}, {false, false, false}, {}};
    constexpr std::size_t kColumnsShown = 100;  // the JSON lists every column
    for (std::size_t i = 0; i < in.column_roles.size() && i < kColumnsShown; ++i)
        cols.rows.push_back({in.column_roles[i].name, to_string(in.column_roles[i].role), in.column_roles[i].reason});
    if (in.column_roles.size() > kColumnsShown)
        cols.rows.push_back({"... " + group_thousands(in.column_roles.size() - kColumnsShown) + " more columns", "", "listed in the JSON report"});
    s.blocks.push_back(table(std::move(cols)));
    std::vector<std::string> warnings;
    for (const auto& w : in.warnings)
        if (w.code != "column_ignored") warnings.push_back(w.message);
    for (const auto& [name, distinct] : in.excluded_dimensions)
        warnings.push_back("dimension '" + name + "' left out of the breakdown: more than " + std::to_string(dimension_value_limit(distinct)) + " distinct values");
    if (!warnings.empty()) {
        s.blocks.push_back(subheading("Warnings"));
        s.blocks.push_back(list(warnings));
    }
    if (!in.errors.empty()) {
        constexpr std::size_t kRows = 200;
        s.blocks.push_back(subheading("Rejected rows"));
        DocTable t{{"Line", "Reason"}, {}, {true, false}, {}};
        for (std::size_t i = 0; i < in.errors.size() && i < kRows; ++i) t.rows.push_back({std::to_string(in.errors[i].line), in.errors[i].message});
        if (in.rows_rejected > t.rows.size())
            t.note = "... and " + group_thousands(in.rows_rejected - t.rows.size()) + " more rejected rows (up to " + group_thousands(in.errors.size()) +
                     " listed in the JSON report).";
        s.blocks.push_back(table(std::move(t)));
    }
    return s;
}

}  // namespace

const char* health_label(HealthState s) noexcept
{
    switch (s) {
    case HealthState::Healthy: return "Balanced";
    case HealthState::Warn: return "SRM warning";
    case HealthState::Severe: return "Severe SRM";
    case HealthState::SegmentLimited: return "SRM inside segments";
    case HealthState::CheckFailed: return "Check failed";
    case HealthState::InputProblem: return "Input problem";
    }
    return "";
}

ReportDocument build_document(const Report& r, const DocumentContext& ctx)
{
    ReportDocument d;
    const std::string file = r.input.file.empty() ? std::string("counts") : r.input.file.substr(r.input.file.find_last_of('/') + 1);
    d.title = "SRM report: " + file;
    d.subtitle = ctx.generator + " " + r.tool_version;
    if (ctx.generated_at > 0) {
        const std::string iso = format_iso8601(ctx.generated_at);
        d.subtitle += " · " + iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
    }
    d.health = r.health.state;
    d.health_label = health_label(r.health.state);
    d.health_headline = r.health.headline;
    d.health_reasons = r.health.reasons;
    if (!r.scope.all()) d.scope = "Showing: " + describe_scope(r.scope, r.srm.units);
    d.sections = {verdict_section(r), split_section(r),  step1_section(r),     step2_section(r),
                  step3_section(r),   step4_section(r),  checklist_section(r, ctx.work), input_section(r)};
    return d;
}

}  // namespace srm
