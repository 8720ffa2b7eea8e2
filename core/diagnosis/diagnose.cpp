// The diagnosis driver: a short run over the named steps (steps_internal.hpp).
#include "steps_internal.hpp"

#include "srm/timeutil.hpp"

#include <algorithm>

namespace srm {

namespace {

// Checks, then the health state and the verdict that read them, then the
// status of each step.
void finish(Report& report)
{
    report.checks = detail::build_checks(report);
    report.health = detail::decide_health(report);
    report.verdict = detail::decide_verdict(report);
    report.steps = detail::step_statuses(report);
}

// The analysed window and the span with traffic.
WindowInfo window_info(const detail::TimeGrid& grid, const Dataset& ds, const DiagnosisOptions& opt)
{
    WindowInfo w;
    if (grid.have_span) {
        w.traffic_start = to_seconds(ds.min_time);
        w.traffic_end = to_seconds(ds.max_time);
    }
    w.start = opt.window_start;
    w.end = opt.window_end;
    if (opt.loaded_window) {
        // The dataset was read for the window: the span is the whole file's.
        w.start = opt.loaded_window->start;
        w.end = opt.loaded_window->end;
        w.traffic_start = opt.loaded_window->traffic_start;
        w.traffic_end = opt.loaded_window->traffic_end;
        w.whole_span = opt.loaded_window->whole_span;
    }
    return w;
}

}  // namespace

Report diagnose_dataset(const Dataset& ds, const DiagnosisOptions& opt)
{
    using namespace detail;
    Report report;
    report.tool_version = SRM_VERSION;
    report.options = opt.srm;
    report.input = summarise_input(ds);
    report.near_change_hours = opt.near_change_hours;
    report.min_segment_units = opt.min_segment_units;

    const TimeGrid grid = make_time_grid(ds, opt);
    report.window = window_info(grid, ds, opt);
    if (grid.have_span) {
        report.timeline.traffic_start = to_seconds(ds.min_time);
        report.timeline.traffic_end = to_seconds(ds.max_time);
    }
    const Tally tally = tally_units(ds, grid, opt);
    const Plan plan = make_plan(ds, tally, opt);
    const Counts counts = count_by_variant(ds, tally, plan, grid);
    report.evidence = gather_evidence(ds, tally, plan, opt);
    report.srm = test_plan(counts, plan, tally, grid, opt.srm);
    report.input.expected_assumed_equal = plan.assumed_equal;
    add_input_warnings(report);

    // Step 1.
    report.timeline.variants = plan.names;
    report.timeline.expected_share = plan.phase_share.back();
    if (grid.n_bins > 0) {
        const auto sequential = step1_sequential(counts, plan, grid, opt.dirichlet_concentration, opt.srm.thresholds, report.sequential);
        step1_timeline(counts, plan, grid, sequential, opt.srm, report.timeline);
        report.time_pattern = step1_time_pattern(counts, plan, grid);
    } else {
        report.time_pattern.kind = PatternKind::NotApplicable;
        report.time_pattern.evidence = ds.has_time ? "No exposure has a time." : "Needs a time column.";
    }
    // Steps 2 to 4.
    report.group_metrics = step2_group_metrics(ds, counts, plan, opt.metric_alpha);
    report.changes = step3_changes(opt.changes, report.time_pattern, opt.near_change_hours);
    Step4 step4 = step4_dimensions(ds, tally, counts, plan, grid, opt);
    report.explanation = step4_explain(ds, tally, plan, grid, opt, step4, report.srm.severity);
    report.dimensions = std::move(step4.dimensions);
    report.ranked_segments = std::move(step4.ranked);

    finish(report);
    return report;
}

Report diagnose_counts(const std::vector<VariantInput>& variants, const InputSummary& input, const SrmOptions& options)
{
    Report report;
    report.tool_version = SRM_VERSION;
    report.options = options;
    report.input = input;
    report.srm = test_srm(variants, options);
    report.explanation.summary = "Counts alone have no dimensions to localize the imbalance in.";
    finish(report);
    return report;
}

std::optional<std::pair<std::size_t, std::uint16_t>> find_segment(const Dataset& ds, const std::string& dimension,
                                                                  const std::string& value)
{
    for (std::size_t d = 0; d < ds.dimensions.size(); ++d) {
        if (ds.dimensions[d].name != dimension) continue;
        const auto& values = ds.dimensions[d].values;
        const auto it = std::find(values.begin(), values.end(), value);
        if (it != values.end()) return std::make_pair(d, static_cast<std::uint16_t>(it - values.begin()));
    }
    return std::nullopt;
}

}  // namespace srm
