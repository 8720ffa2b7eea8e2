#include "srm/report.hpp"
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
    j["shape"] = in.shape;
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
        j["column_roles"].push_back({{"name", c.name}, {"role", c.role}, {"reason", c.reason}});
    j["excluded_dimensions"] = json::array();
    for (const auto& [name, distinct] : in.excluded_dimensions)
        j["excluded_dimensions"].push_back({{"name", name}, {"distinct_values_seen", distinct}});
    j["rows_other_events"] = in.rows_other_events;
    j["rows_outside_window"] = in.rows_outside_window;
    j["blank_lines"] = in.blank_lines;
    j["expected_assumed_equal"] = in.expected_assumed_equal;
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

}  // namespace

std::string to_json(const Report& report, int indent)
{
    json j;
    j["tool"] = {{"name", "srm-check"}, {"version", report.tool_version}};
    j["input"] = input_json(report.input);
    j["srm"] = srm_json(report.srm, report.options);
    const auto& tp = report.time_pattern;
    j["time_pattern"] = {{"kind", tp.kind},
                         {"change_point", tp.change_point ? json(format_iso8601(*tp.change_point)) : json(nullptr)},
                         {"evidence", tp.evidence}};
    j["dimensions"] = json::array();
    j["ranked_segments"] = json::array();
    j["group_metrics"] = json::array();
    j["changes"] = json::array();
    j["checks"] = json::array();
    for (const auto& c : report.checks) {
        j["checks"].push_back({{"id", c.id}, {"title", c.title}, {"status", to_string(c.status)},
                               {"value", c.value ? json(*c.value) : json(nullptr)}, {"detail", c.detail}});
    }
    const auto& v = report.verdict;
    j["verdict"] = {{"srm", v.srm}, {"type", to_string(v.type)}, {"summary", v.summary}, {"next_steps", v.next_steps}};
    return j.dump(indent) + "\n";
}

}  // namespace srm
