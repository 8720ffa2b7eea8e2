#include "srm/render.hpp"

#include "srm/timeutil.hpp"

#include <nlohmann/json.hpp>

namespace srm {

namespace {

using json = nlohmann::ordered_json;

json optional_string(const std::optional<std::string>& s)
{
    return s ? json(*s) : json(nullptr);
}

json input_json(const InputSummary& in)
{
    json j;
    if (!in.file.empty()) j["file"] = in.file;
    j["shape"] = to_string(in.shape);
    json dialect;
    if (in.delimiter) dialect["delimiter"] = *in.delimiter;
    dialect["header"] = in.header;
    dialect["encoding"] = in.encoding;
    if (!in.quote.empty()) dialect["quote"] = in.quote;
    if (!in.line_end.empty()) dialect["line_end"] = in.line_end;
    j["dialect"] = dialect;
    j["rows_read"] = in.rows_read;
    j["rows_rejected"] = in.rows_rejected;
    j["errors"] = json::array();
    for (const auto& e : in.errors) j["errors"].push_back({{"line", e.line}, {"message", e.message}});
    const auto& c = in.columns;
    j["columns"] = {{"time", optional_string(c.time)}, {"unit", optional_string(c.unit)}, {"variant", c.variant},
                    {"count", optional_string(c.count)}, {"event", optional_string(c.event)},
                    {"dimensions", c.dimensions}, {"metrics", c.metrics}};
    j["column_roles"] = json::array();
    for (const auto& c : in.column_roles)
        j["column_roles"].push_back({{"name", c.name}, {"role", to_string(c.role)}, {"reason", c.reason}});
    j["excluded_dimensions"] = json::array();
    for (const auto& [name, distinct] : in.excluded_dimensions)
        j["excluded_dimensions"].push_back({{"name", name}, {"distinct_values_seen", distinct}});
    j["rows_other_events"] = in.rows_other_events;
    j["rows_outside_window"] = in.rows_outside_window;
    j["blank_lines"] = in.blank_lines;
    j["expected_assumed_equal"] = in.expected_assumed_equal;
    j["compression"] = in.compression;
    j["warnings"] = json::array();
    for (const auto& w : in.warnings)
        j["warnings"].push_back({{"code", w.code}, {"message", w.message}, {"column", optional_string(w.column)},
                                 {"rows", w.rows ? json(*w.rows) : json(nullptr)}});
    j["rejected_by_reason"] = json::object();
    for (const auto& r : in.rejected_by_reason) j["rejected_by_reason"][r.reason] = r.rows;
    j["first_rejected_line_by_reason"] = json::object();
    for (const auto& r : in.rejected_by_reason) j["first_rejected_line_by_reason"][r.reason] = r.first_line;
    return j;
}

json srm_json(const SrmResult& r, const SrmOptions& o)
{
    json j;
    j["test"] = to_string(r.test);
    j["method"] = r.method;
    j["units"] = r.units;
    j["variants"] = json::array();
    for (const auto& v : r.variants) {
        j["variants"].push_back({{"name", v.name}, {"observed", v.observed}, {"expected", v.expected},
                                 {"observed_share", v.observed_share}, {"expected_share", v.expected_share},
                                 {"weight", v.weight}, {"deviation_pp", v.deviation_pp}, {"unplanned", v.unplanned}});
    }
    j["statistic"] = r.statistic;
    j["df"] = r.df;
    j["p_value"] = r.p_value;
    j["log10_p_value"] = r.log10_p_value;
    j["chi_square_p_value"] = r.chi_square_p_value;
    if (r.monte_carlo_se > 0.0) j["monte_carlo_standard_error"] = r.monte_carlo_se;
    j["severity"] = to_string(r.severity);
    j["thresholds"] = {{"warn", o.thresholds.warn}, {"severe", o.thresholds.severe}};
    j["max_abs_deviation_pp"] = r.max_abs_deviation_pp;
    j["practically_significant"] = r.practically_significant;
    if (o.min_practical_pp > 0.0) j["min_practical_pp"] = o.min_practical_pp;
    j["findings"] = r.findings;
    return j;
}

json iso_or_null(const std::optional<std::int64_t>& t) { return t ? json(format_iso8601(*t)) : json(nullptr); }

json window_json(const WindowInfo& w)
{
    json j = {{"start", iso_or_null(w.start)}, {"end", iso_or_null(w.end)}, {"traffic_start", iso_or_null(w.traffic_start)},
              {"traffic_end", iso_or_null(w.traffic_end)}};
    if (w.whole_span)
        j["whole_span_srm"] = {{"p_value", w.whole_span->p_value}, {"log10_p_value", w.whole_span->log10_p_value},
                               {"severity", to_string(w.whole_span->severity)}};
    return j;
}

json sequential_json(const SequentialTest& sq)
{
    if (!sq.applicable) return {{"status", "not_applicable"}, {"p_value", 1.0}, {"first_alert_time", nullptr}};
    return {{"method", "Dirichlet-multinomial mixture (Lindon & Malek), evaluated hourly"},
            {"p_value", sq.p_value},
            {"log10_p_value", sq.log10_p_value},
            {"first_alert_time", iso_or_null(sq.first_alert)},
            {"concentration", sq.concentration}};
}

json time_pattern_json(const TimePattern& tp)
{
    json j = {{"kind", to_string(tp.kind)}, {"change_point", iso_or_null(tp.change_point)}, {"evidence", tp.evidence}};
    if (tp.kind != PatternKind::NotApplicable)
        j["bic"] = {{"none", tp.bic_none}, {"from_start", tp.bic_constant}, {"at_point", tp.bic_step}, {"gradual", tp.bic_trend}};
    return j;
}

json timeline_json(const Timeline& tl)
{
    json timeline;
    timeline["resolution"] = tl.resolution == TimeResolution::None ? json(nullptr) : json(to_string(tl.resolution));
    timeline["variants"] = tl.variants;
    timeline["points"] = json::array();
    json daily = json::object();
    for (const auto& pt : tl.points) {
        json cum = json::object(), fresh = json::object(), expected = json::object(), deviation = json::object(), band = json::object();
        for (std::size_t v = 0; v < tl.variants.size(); ++v) {
            cum[tl.variants[v]] = pt.cumulative[v];
            fresh[tl.variants[v]] = pt.new_units[v];
            expected[tl.variants[v]] = pt.expected_cumulative[v];
            if (v < pt.deviation_pp.size()) {
                deviation[tl.variants[v]] = pt.deviation_pp[v];
                band[tl.variants[v]] = pt.band_pp[v];
            }
        }
        timeline["points"].push_back({{"time", format_iso8601(pt.time)}, {"new_units", fresh}, {"cumulative", cum},
                                      {"expected_cumulative", expected}, {"p_value", pt.p_value}, {"log10_p_value", pt.log10_p_value},
                                      {"sequential_log10_p_value", pt.sequential_log10_p}, {"share_deviation_pp", deviation},
                                      {"band_pp", band}});
        if (tl.resolution == TimeResolution::Day)
            for (std::size_t v = 0; v < tl.variants.size(); ++v)
                if (pt.new_units[v] > 0) daily[tl.variants[v]][format_iso8601(pt.time - 86400).substr(0, 10)] = pt.new_units[v];
    }
    if (tl.resolution == TimeResolution::Day) timeline["daily_new_units"] = daily;
    timeline["band_level"] = tl.band_level;
    return timeline;
}

json metrics_json(const std::vector<GroupMetric>& metrics)
{
    json out = json::array();
    for (const auto& m : metrics) {
        json vs = json::array();
        for (const auto& v : m.variants)
            vs.push_back({{"name", v.name}, {"rate", v.rate}, {"n", v.n}, {"ci_low", v.ci_low}, {"ci_high", v.ci_high}});
        out.push_back({{"metric", m.metric}, {"kind", m.binary ? "rate" : "mean"}, {"test", m.test}, {"variants", vs},
                       {"p_value", m.p_value}, {"adjusted_p_value", m.adjusted_p_value}, {"adjustment", "Holm"}, {"flag", m.flag}});
    }
    return out;
}

json changes_json(const Report& report)
{
    json out = json::array();
    for (const auto& c : report.changes)
        out.push_back({{"time", format_iso8601(c.change.time)}, {"kind", c.change.kind}, {"description", c.change.description},
                       {"distance_seconds", c.distance_seconds ? json(*c.distance_seconds) : json(nullptr)},
                       {"near_change_point", c.near_change_point}, {"near_window_hours", report.near_change_hours}});
    return out;
}

json dimensions_json(const Report& report)
{
    json out = json::array();
    for (const auto& d : report.dimensions) {
        json segs = json::array();
        for (const auto& sgm : d.segments) {
            json counts = json::object();
            for (std::size_t v = 0; v < report.srm.variants.size() && v < sgm.counts.size(); ++v) counts[report.srm.variants[v].name] = sgm.counts[v];
            segs.push_back({{"value", sgm.value}, {"counts", counts}, {"units", sgm.units}, {"p_value", sgm.p_value},
                            {"log10_p_value", sgm.log10_p_value}, {"adjusted_p_value", sgm.adjusted_p_value},
                            {"severity", to_string(sgm.severity)}, {"share_of_imbalance", sgm.share_of_imbalance},
                            {"max_deviation_pp", sgm.max_deviation_pp}});
        }
        out.push_back({{"name", d.name}, {"p_value", d.p_value}, {"log10_p_value", d.log10_p_value},
                       {"adjustment", "Holm across all segments of all dimensions"}, {"min_segment_units", report.min_segment_units},
                       {"segments", segs}});
    }
    return out;
}

json ranked_json(const std::vector<RankedSegment>& ranked)
{
    json out = json::array();
    for (const auto& r : ranked)
        out.push_back({{"dimension", r.dimension}, {"value", r.value}, {"adjusted_p_value", r.adjusted_p_value},
                       {"log10_adjusted_p_value", r.log10_adjusted_p_value}, {"share_of_imbalance", r.share_of_imbalance}});
    return out;
}

json conditions_json(const Conditions& conditions)
{
    json out = json::object();
    for (const auto& [dimension, value] : conditions) out[dimension] = value;
    return out;
}

json explanation_json(const Report& report)
{
    const Explanation& ex = report.explanation;
    json segments = json::array();
    for (const auto& sg : ex.segments) {
        json shares = json::object(), expected = json::object();
        for (std::size_t j = 0; j < sg.observed_shares.size() && j < report.srm.variants.size(); ++j) {
            shares[report.srm.variants[j].name] = sg.observed_shares[j];
            expected[report.srm.variants[j].name] = sg.expected_shares[j];
        }
        json alternatives = json::array();
        for (const auto& a : sg.alternatives) alternatives.push_back({{"conditions", conditions_json(a.conditions)}, {"reason", a.reason}});
        segments.push_back({{"conditions", conditions_json(sg.conditions)},
                            {"description", describe_conditions(sg.conditions)},
                            {"units", sg.units},
                            {"share_of_imbalance", sg.share_of_imbalance},
                            {"observed_shares", shares},
                            {"expected_shares", expected},
                            {"p_value", sg.p_value},
                            {"log10_p_value", sg.log10_p_value},
                            {"change_point", sg.change_point ? json(format_iso8601(*sg.change_point)) : json(nullptr)},
                            {"alternatives", alternatives},
                            {"marginal", sg.marginal}});
    }
    json j = {{"status", to_string(ex.status)},
              {"segments", segments},
              {"remaining",
               {{"units", ex.remaining_units},
                {"p_value", ex.remaining.p_value},
                {"log10_p_value", ex.remaining.log10_p_value},
                {"severity", to_string(ex.remaining.severity)}}},
              {"summary", ex.summary}};
    if (ex.explained_share) j["explained_share"] = *ex.explained_share;
    json explained = json::array();
    for (const auto& c : ex.explained_segments) explained.push_back(conditions_json(c));
    j["explained_segments"] = explained;
    if (!ex.dimensions_left_out.empty()) j["dimensions_left_out"] = ex.dimensions_left_out;
    return j;
}

json checks_json(const std::vector<Check>& checks)
{
    json out = json::array();
    for (const auto& c : checks)
        out.push_back({{"id", c.id}, {"title", c.title}, {"status", to_string(c.status)}, {"value", c.value ? json(*c.value) : json(nullptr)},
                       {"detail", c.detail}});
    return out;
}

json scope_json(const Report& report)
{
    const Scope& s = report.scope;
    json j = {{"all", s.all()}, {"units", report.srm.units}, {"units_total", s.all() ? report.srm.units : s.units_total},
              {"description", describe_scope(s, report.srm.units)}};
    if (s.window) j["window"] = {{"start", format_iso8601(s.window->first)}, {"end", format_iso8601(s.window->second)}, {"exact", s.exact_window}};
    if (s.segment) j["segment"] = {{"dimension", s.segment->first}, {"value", s.segment->second}};
    return j;
}

json review_json(const ReviewerWork& work)
{
    json answers = json::array();
    for (const auto& a : work.answers) answers.push_back({{"id", a.id}, {"done", a.done}, {"notes", a.notes}});
    return {{"answers", answers}, {"notes", work.notes}};
}

}  // namespace

std::string to_json(const Report& report, int indent, const ReviewerWork& work)
{
    json j;
    j["tool"] = {{"name", "srm-check"}, {"version", report.tool_version}};
    j["input"] = input_json(report.input);
    j["srm"] = srm_json(report.srm, report.options);
    j["window"] = window_json(report.window);
    j["sequential"] = sequential_json(report.sequential);
    j["time_pattern"] = time_pattern_json(report.time_pattern);
    j["timeline"] = timeline_json(report.timeline);
    j["group_metrics"] = metrics_json(report.group_metrics);
    j["changes"] = changes_json(report);
    j["dimensions"] = dimensions_json(report);
    j["ranked_segments"] = ranked_json(report.ranked_segments);
    j["explanation"] = explanation_json(report);
    j["checks"] = checks_json(report.checks);
    const auto& v = report.verdict;
    j["verdict"] = {{"srm", v.srm}, {"type", to_string(v.type)}, {"summary", v.summary}, {"next_steps", v.next_steps}};
    j["health"] = {{"state", to_string(report.health.state)}, {"headline", report.health.headline}, {"reasons", report.health.reasons},
                   {"exit_code", exit_code_of(report.health.state)}};
    j["steps"] = json::array();
    for (const auto& s : report.steps) j["steps"].push_back({{"id", s.id}, {"state", to_string(s.state)}, {"note", s.note}});
    j["scope"] = scope_json(report);
    if (!work.empty()) j["review"] = review_json(work);
    // Any text still not UTF-8 (the loader escapes the data's) is replaced, never a failed report.
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace srm
