"""The mutants run_mutants.py puts in, one at a time.

list "issue17": the bugs issue #17 found surviving the suite (each must now
be caught). list "fresh": further plausible bugs of the same kinds (off by
one at a threshold, a constant changed, an option not passed on, a step of a
computation left out), written after the tests, to estimate what a new set
catches.
"""


def m(list_, id_, file, old, new, what):
    return {"list": list_, "id": id_, "file": file, "old": old, "new": new, "what": what}


CHECKS = "core/diagnosis/checks.cpp"
CLI = "core/cli/cli.cpp"
SEQ = "core/diagnosis/step1_time_pattern.cpp"
INF = "core/stats/inference.cpp"
S2 = "core/diagnosis/step2_group_metrics.cpp"

MUTANTS = [
    # ---- issue #17's survivors ----
    m("issue17", "jump_fail_gt", CHECKS, "share >= 0.05 ? CheckStatus::Fail", "share > 0.05 ? CheckStatus::Fail",
      "jumping fails at > instead of >= 5 %"),
    m("issue17", "jump_swap", CHECKS, "share >= 0.05 ? CheckStatus::Fail : share >= 0.01 ? CheckStatus::Warn",
      "share >= 0.05 ? CheckStatus::Warn : share >= 0.01 ? CheckStatus::Fail", "jumping warn and fail swapped"),
    m("issue17", "ties_last", "core/ingest/fold.cpp", "take = t < t0;", "take = t <= t0;",
      "ties in first-exposure time no longer keep file order"),
    m("issue17", "impression", "core/ingest/roles.cpp", ' || v.find("impression") != std::string::npos', "",
      '"impression" no longer an exposure'),
    m("issue17", "near_lt", "core/diagnosis/step3_changes.cpp", "<= near_hours * 3600.0", "< near_hours * 3600.0",
      "near at < instead of <="),
    m("issue17", "too_small_le", "core/diagnosis/step4_dimensions.cpp", "sr.units < opt.min_segment_units",
      "sr.units <= opt.min_segment_units", "too_small at <= instead of <"),
    m("issue17", "exact_le", "core/stats/stats.cpp", "!(min_expected < options.exact_below_expected)",
      "!(min_expected <= options.exact_below_expected)", "the exact test at <= 5"),
    m("issue17", "wilson_half", INF, "z * z / (4 * n * n)", "z * z / (2 * n * n)", "the Wilson half-width changed"),
    m("issue17", "t_90", "core/stats/include/srm/inference.hpp", "double n, double alpha = 0.05);",
      "double n, double alpha = 0.10);", "the t interval at 90 %"),
    m("issue17", "welch_one_sided", INF, "return 2 * boost::math::cdf(boost::math::complement(boost::math::students_t(df)",
      "return boost::math::cdf(boost::math::complement(boost::math::students_t(df)", "Welch one-sided"),
    m("issue17", "no_holm_metrics", S2, "out[m].adjusted_p_value = std::pow(10.0, adj[m]);\n        out[m].flag = adj[m] < std::log10(alpha);",
      "out[m].adjusted_p_value = std::pow(10.0, metric_log10[m]);\n        out[m].flag = metric_log10[m] < std::log10(alpha);",
      "no Holm across metrics"),
    m("issue17", "binary_sum", "core/ingest/fold.cpp", "if (v > 1.0) v = 1.0;", "(void)v;",
      'a binary metric summed instead of "any"'),
    m("issue17", "concentration_30", CHECKS, "top->share_of_imbalance < 0.5 ||", "top->share_of_imbalance < 0.3 ||",
      "the concentration threshold 50 -> 30 %"),
    m("issue17", "cp_margin_20", SEQ, "if (before_units < 0.02 * n_total_ || n_total_ - before_units < 0.02 * n_total_) continue;",
      "if (before_units < 0.2 * n_total_ || n_total_ - before_units < 0.2 * n_total_) continue;",
      "the change-point margin 2 -> 20 %"),
    m("issue17", "seq_alert_severe", SEQ, "seq_log10[b] < std::log10(thresholds.warn)", "seq_log10[b] < std::log10(thresholds.severe)",
      "the sequential test's first alert at the severe level"),
    m("issue17", "seq_alert_early", SEQ, "grid.bin0 + static_cast<std::int64_t>(b + 1) * grid.bin_width",
      "grid.bin0 + static_cast<std::int64_t>(b) * grid.bin_width", "the sequential test's first alert one bin early"),
    m("issue17", "seq_phases_not_multiplied", SEQ, "best_log_bf = std::max(best_log_bf, done_log_bf + lbf);",
      "best_log_bf = std::max(best_log_bf, lbf);", "the phases' Bayes factors not multiplied"),
    m("issue17", "cli_window_start", "core/pipeline/analysis.cpp", "if (start) in_window.window_start = *start * kUs;", "",
      "the window start ignored in the CLI load"),
    m("issue17", "engine_window_start", "ui/analysisengine.cpp",
      "srm::diagnose_window(*loaded, start, end, std::nullopt,", "srm::diagnose_window(*loaded, std::nullopt, end, std::nullopt,",
      "the window start ignored in the engine"),
    m("issue17", "cli_window_end_us", "core/pipeline/analysis.cpp", "in_window.window_end = *end * kUs + (kUs - 1);",
      "in_window.window_end = *end * kUs;", "the CLI window end losing 999,999 us"),
    m("issue17", "segment_exit", "core/diagnosis/model.cpp", "    case HealthState::SegmentLimited: return 1;\n", "",
      "the segment-only exit code"),
    m("issue17", "cli_near_hours", CLI, "o.request.near_change_hours = static_cast<double>(positive(\"--near-hours\", v, CheckOptionLimits::max_near_hours));",
      "(void)positive(\"--near-hours\", v, CheckOptionLimits::max_near_hours);", "--near-hours not passed on"),
    m("issue17", "cli_min_segment", CLI, "o.request.min_segment_units = positive(\"--min-segment-units\", v, CheckOptionLimits::max_segment_units);",
      "(void)positive(\"--min-segment-units\", v, CheckOptionLimits::max_segment_units);", "--min-segment-units not passed on"),
    m("issue17", "cli_max_dim_values", CLI, "o.request.load.max_dimension_values = positive(\"--max-dimension-values\", v, CheckOptionLimits::max_dimension_values);",
      "(void)positive(\"--max-dimension-values\", v, CheckOptionLimits::max_dimension_values);", "--max-dimension-values not passed on"),
    m("issue17", "cli_no_header", CLI, "o.request.load.header = false;", "", "--no-header not passed on"),
]

STATS = "core/stats/stats.cpp"
TALLY = "core/diagnosis/tally.cpp"
FOLD = "core/ingest/fold.cpp"
MODEL = "core/diagnosis/model.cpp"

# ---- fresh: written after the tests above, before looking for their gaps ----
MUTANTS += [
    m("fresh", "inclusion_ge", CHECKS, "share > 0.01 ? CheckStatus::Warn : CheckStatus::Pass", "share >= 0.01 ? CheckStatus::Warn : CheckStatus::Pass",
      "inclusions warn from 1 % instead of above it"),
    m("fresh", "sample_size_10", CHECKS, "if (min_expected < 100.0) {", "if (min_expected < 10.0) {", "sample-size warning at 10 expected, not 100"),
    m("fresh", "span_gap_50", CHECKS, "if (static_cast<double>(a - first) > 0.1 * span) {", "if (static_cast<double>(a - first) > 0.5 * span) {",
      "a late-starting variant allowed half the span"),
    m("fresh", "mirror_fail_1pct", CHECKS, "c.status = share >= 0.001 ? CheckStatus::Fail", "c.status = share >= 0.01 ? CheckStatus::Fail",
      "mirror column fails from 1 % instead of 0.1 %"),
    m("fresh", "funnel_swap", CHECKS, "sev == Severity::Severe ? CheckStatus::Fail : sev == Severity::Warn ? CheckStatus::Warn",
      "sev == Severity::Severe ? CheckStatus::Warn : sev == Severity::Warn ? CheckStatus::Fail", "funnel warn and fail swapped"),
    m("fresh", "window_narrower_day", CHECKS, "(w.start && *w.start > ts)", "(w.start && *w.start > ts + 86400)",
      "a window starting within a day of the traffic counts as whole"),
    m("fresh", "severe_le", STATS, "return p < t.severe ? Severity::Severe", "return p <= t.severe ? Severity::Severe", "severe at p <= alpha"),
    m("fresh", "z_unpooled", INF, "const double se = std::sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / n1));",
      "const double se = std::sqrt(x0 / n0 * (1 - x0 / n0) / n0 + x1 / n1 * (1 - x1 / n1) / n1);", "the z-test unpooled"),
    m("fresh", "welch_df", INF, "(var0 / n0) * (var0 / n0) / (n0 - 1)", "(var0 / n0) * (var0 / n0) / n0", "Welch's df off by one"),
    m("fresh", "holm_factor", INF, "log10_p[i] + std::log10(static_cast<double>(m - r))", "log10_p[i] + std::log10(static_cast<double>(m - r + 1))",
      "Holm's multiplier one too large"),
    m("fresh", "no_holm_within", S2, "const auto adj = holm_log10(pair_log10);\n    return adj.empty()", "const auto adj = pair_log10;\n    return adj.empty()",
      "no Holm within a metric"),
    m("fresh", "seq_no_running_max", SEQ, "best_log_bf = std::max(best_log_bf, done_log_bf + lbf);", "best_log_bf = done_log_bf + lbf;",
      "the sequential p without its running minimum"),
    m("fresh", "seq_no_restart", SEQ, "            std::fill(x.begin(), x.end(), 0.0);\n", "", "a new phase does not restart the mixture"),
    m("fresh", "band_one_sided", SEQ, "(1.0 - tl.band_level) / 2", "(1.0 - tl.band_level)", "the band's z one-sided"),
    m("fresh", "cp_margin_one_side", SEQ, "if (before_units < 0.02 * n_total_ || n_total_ - before_units < 0.02 * n_total_) continue;",
      "if (before_units < 0.02 * n_total_) continue;", "the change-point margin only at the start"),
    m("fresh", "tally_window_end", TALLY, "hi(opt.window_end ? *opt.window_end * kUs + (kUs - 1)", "hi(opt.window_end ? *opt.window_end * kUs",
      "the loaded-data window end loses its last second's fraction"),
    m("fresh", "tally_window_start", TALLY, "lo(opt.window_start ? *opt.window_start * kUs", "lo(opt.window_start ? (*opt.window_start + 1) * kUs",
      "the loaded-data window start a second late"),
    m("fresh", "assign_last", FOLD, "if (!(flags & kAssigned)) r[UnitTable::kAssignedOff] = var;", "r[UnitTable::kAssignedOff] = var;",
      "the last assignment, not the first, sets the assigned variant"),
    m("fresh", "no_jump_flag", FOLD, "if (r[UnitTable::kVarOff] != var) flags |= kJumped;", "", "jumpers never flagged"),
    m("fresh", "exit_check_failed", MODEL, "case HealthState::CheckFailed: return 2;", "case HealthState::CheckFailed: return 1;",
      "check_failed exits 1"),
    m("fresh", "exit_input_problem", MODEL, "case HealthState::InputProblem: return 65;", "case HealthState::InputProblem: return 1;",
      "input_problem exits 1"),
    m("fresh", "cli_control", CLI, '{"--control", column(o.request.control)},', '{"--control", [](const std::string&) {}},',
      "--control not passed on"),
    m("fresh", "cli_severe_alpha", CLI, 'o.request.options.thresholds.severe = parse_probability("--severe-alpha", v);',
      '(void)parse_probability("--severe-alpha", v);', "--severe-alpha not passed on"),
    m("fresh", "cli_window_end_date", CLI, "if (end && t.size() == 10) s += 86399;", "if (end && t.size() == 10) s += 86400;",
      "a bare end date takes the next day's first second"),
    m("fresh", "cli_prior", CLI, 'o.request.prior_concentration = parse_positive_real("--prior-concentration", v, 1e-6, 1e12);',
      '(void)parse_positive_real("--prior-concentration", v, 1e-6, 1e12);', "--prior-concentration not passed on"),
    m("fresh", "session_prior", "ui/session.cpp", "    r.prior_concentration = priorConcentration;\n", "",
      "a session's prior concentration not used"),
    m("fresh", "share_denominator", "core/diagnosis/step4_dimensions.cpp", "abs_excess[s] / abs_total : 0.0", "abs_excess[s] / (abs_total + 1) : 0.0",
      "share of imbalance over a wrong total"),
    m("fresh", "chi_df", STATS, "r.df = static_cast<int>(obs.size()) - 1;", "r.df = static_cast<int>(obs.size());", "chi-square df off by one"),
    m("fresh", "practical_gt", STATS, "r.max_abs_deviation_pp >= options.min_practical_pp", "r.max_abs_deviation_pp > options.min_practical_pp",
      "practical significance at > instead of >="),
    m("fresh", "near_minutes", "core/diagnosis/step3_changes.cpp", "<= near_hours * 3600.0", "<= near_hours * 60.0", "--near-hours read as minutes"),
    m("fresh", "pipeline_near_hours", "core/pipeline/analysis.cpp", "    dopt.near_change_hours = request.near_change_hours;\n", "",
      "the request's near-hours not passed to the diagnosis"),
    m("fresh", "json_near", "core/report/json.cpp", '{"near_change_point", c.near_change_point}', '{"near_change_point", !c.near_change_point}',
      "the JSON near flag inverted"),
]

HEALTH = "core/diagnosis/health.cpp"

# ---- fresh2: a second fresh set, written after the tests for round 1's survivors ----
MUTANTS += [
    m("fresh2", "input_problem_at_1pct", HEALTH, "if (share <= 0.01) return std::nullopt;", "if (share < 0.01) return std::nullopt;",
      "exactly 1 % rejected rows is already an input problem"),
    m("fresh2", "aggregated_one_rejected_ok", HEALTH, "if (in.rows_rejected == 0 || in.shape == InputShape::Counts)",
      "if (in.rows_rejected <= 1 || in.shape == InputShape::Counts)", "one rejected aggregated row tolerated"),
    m("fresh2", "hourly_two_days", SEQ, "grid.span_us / kUs <= 3 * 86400", "grid.span_us / kUs <= 2 * 86400",
      "hourly points only up to two days"),
    m("fresh2", "alloc_negative_weight", "core/ingest/side_files.cpp", "!std::isfinite(w) || w < 0)", "!std::isfinite(w) || w < -1)",
      "a negative allocation weight accepted"),
    m("fresh2", "alloc_zero_total", "core/ingest/side_files.cpp", "if (total <= 0) throw InputError(\"the allocation history row",
      "if (total < 0) throw InputError(\"the allocation history row", "an allocation row of all zeros accepted"),
    m("fresh2", "plan_negative_weight", "core/diagnosis/plan.cpp", "!std::isfinite(e.second) || e.second < 0", "!std::isfinite(e.second) || e.second < -1",
      "a negative --expected weight accepted"),
    m("fresh2", "explain_at_warn", "core/diagnosis/explain.cpp", "const double log10_accept = std::log10(opt.srm.thresholds.severe);",
      "const double log10_accept = std::log10(opt.srm.thresholds.warn);", "segments accepted at the warn level"),
    m("fresh2", "alternatives_2", "core/diagnosis/explain.cpp", "constexpr std::size_t kMaxAlternatives = 3;", "constexpr std::size_t kMaxAlternatives = 2;",
      "two alternatives instead of three"),
    m("fresh2", "exact_below_10", "core/stats/include/srm/stats.hpp", "double exact_below_expected = 5.0;", "double exact_below_expected = 10.0;",
      "the exact test below 10 expected"),
    m("fresh2", "wilson_z_196", "core/stats/include/srm/inference.hpp", "Interval wilson_interval(double p, double n, double z = kZ95);",
      "Interval wilson_interval(double p, double n, double z = 1.96);", "Wilson's z rounded to 1.96"),
    m("fresh2", "funnel_default_alpha", CHECKS, "classify_log10(ev.funnel_log10_p, report.options.thresholds)", "classify_log10(ev.funnel_log10_p, SrmThresholds{})",
      "the funnel ignores --warn-alpha/--severe-alpha"),
    m("fresh2", "concentration_too_small", CHECKS, "top->severity == SegmentSeverity::TooSmall || ", "",
      "a too-small segment can be named as the concentration"),
    m("fresh2", "span_stop_ge", CHECKS, "if (static_cast<double>(last - b) > 0.1 * span) {", "if (static_cast<double>(last - b) >= 0.1 * span) {",
      "a variant stopping exactly 10 % early fails"),
    m("fresh2", "jump_denominator", CHECKS, "static_cast<double>(ev.jumped_units) / static_cast<double>(ev.exposed_units);",
      "static_cast<double>(ev.jumped_units) / static_cast<double>(ev.exposed_units + ev.jumped_units);", "jumping share over a wrong total"),
    m("fresh2", "cli_delimiter", CLI, "CheckOptionLimits::delimiter(v[0])) o.request.load.delimiter = v[0];",
      "CheckOptionLimits::delimiter(v[0])) o.request.load.delimiter = ',';", "--delimiter ; read as ,"),
    m("fresh2", "cli_strict", CLI, "o.request.load.strict = true;", "", "--strict not passed on"),
    m("fresh2", "cli_expected", CLI, "if (o.expected) r.expected = parse_name_values(*o.expected, \"--expected\");",
      "if (o.expected) (void)parse_name_values(*o.expected, \"--expected\");", "--expected not passed on"),
    m("fresh2", "json_concentration", "core/report/json.cpp", "{\"concentration\", sq.concentration}", "{\"concentration\", 100.0}",
      "the JSON's concentration fixed at 100"),
    m("fresh2", "session_window_end", "ui/session.cpp", "{\"end\", static_cast<double>(refinement.window->second)}",
      "{\"end\", static_cast<double>(refinement.window->first)}", "a session saves the window's start as its end"),
    m("fresh2", "engine_refine_ignored", "ui/analysisengine.cpp", "out.report = srm::diagnose_loaded(*loaded, refinement);",
      "out.report = srm::diagnose_loaded(*loaded, {});", "the engine ignores a refinement"),
    m("fresh2", "near_after_only", "core/diagnosis/step3_changes.cpp", "std::fabs(*r.distance_seconds) <= near_hours", "*r.distance_seconds <= near_hours",
      "only changes after the change point can be far"),
    m("fresh2", "simulate_inclusion_1pct", "core/simulate/simulate.cpp", "info.included = spec.inclusion && uni(rng) < 0.02;",
      "info.included = spec.inclusion && uni(rng) < 0.01;", "the simulator includes 1 % instead of its documented 2 %"),
]

S4 = "core/diagnosis/step4_dimensions.cpp"

# ---- fresh3: a third fresh set, written after the tests for round 2's survivors ----
MUTANTS += [
    m("fresh3", "strata_ignored", S4, "const double x = S > 1 ? static_cast<double>(tally.seg_strata", "const double x = false ? static_cast<double>(tally.seg_strata",
      "the independence test ignores the days"),
    m("fresh3", "segment_severity_raw_p", S4, "classify_log10(seg_adj[i], opt.srm.thresholds)", "classify_log10(sr.log10_p_value, opt.srm.thresholds)",
      "segment severity from the unadjusted p"),
    m("fresh3", "ranked_severe_only", S4, "if (sr.severity == SegmentSeverity::Warn || sr.severity == SegmentSeverity::Severe)",
      "if (sr.severity == SegmentSeverity::Severe)", "warn-level segments left out of the ranking"),
    m("fresh3", "explain_cover_70", "core/diagnosis/explain.cpp", "if (covered > 0.5 * units ||", "if (covered > 0.7 * units ||",
      "a set covering up to 70 % of the units is localized"),
    m("fresh3", "certificate_at_severe", "core/diagnosis/explain.cpp", "log10_alpha = std::log10(opt.srm.thresholds.warn);",
      "log10_alpha = std::log10(opt.srm.thresholds.severe);", "the certificate at the severe level"),
    m("fresh3", "concentration_min_share", CHECKS, "[](const auto& a, const auto& b) { return a.share_of_imbalance < b.share_of_imbalance; });",
      "[](const auto& a, const auto& b) { return a.share_of_imbalance > b.share_of_imbalance; });", "the concentration names the smallest share"),
    m("fresh3", "wilson_centre", INF, "(p + z * z / (2 * n)) / (1 + z * z / n)", "(p + z * z / (4 * n)) / (1 + z * z / n)", "Wilson's centre"),
    m("fresh3", "z_one_sided", INF, "return std::erfc(std::fabs(z) / std::sqrt(2.0));", "return 0.5 * std::erfc(std::fabs(z) / std::sqrt(2.0));",
      "the z-test one-sided"),
    m("fresh3", "variance_n", INF, "(sum_sq - n * mean * mean) / (n - 1)", "(sum_sq - n * mean * mean) / n", "the sample variance over n"),
    m("fresh3", "t_df_n", INF, "boost::math::students_t(n - 1), alpha / 2", "boost::math::students_t(n), alpha / 2", "the t interval's df off by one"),
    m("fresh3", "holm_no_monotone", INF, "running = std::max(running, adj);", "running = adj;", "Holm without its running maximum"),
    m("fresh3", "span_first_max", CHECKS, "first = std::min(first, a);", "first = std::max(first, a);", "the test's first exposure taken as the latest start"),
    m("fresh3", "jump_warn_2pct", CHECKS, "share >= 0.01 ? CheckStatus::Warn", "share >= 0.02 ? CheckStatus::Warn", "jumping warns from 2 %"),
    m("fresh3", "band_no_100", SEQ, "band[j] = z * std::sqrt(q * (1.0 - q) / n) * 100.0;", "band[j] = z * std::sqrt(q * (1.0 - q) / n);",
      "the band in shares, not percentage points"),
    m("fresh3", "cp_from_bin_2", SEQ, "for (std::size_t b = 1; b < grid_.n_bins; ++b) {\n            for (double v : groups_[b - 1].n)",
      "for (std::size_t b = 2; b < grid_.n_bins; ++b) {\n            for (double v : groups_[b - 1].n)", "the change point never after the first hour"),
    m("fresh3", "cli_window_equal", CLI, "*o.request.window_start > *o.request.window_end) throw", "*o.request.window_start >= *o.request.window_end) throw",
      "a one-second window refused"),
    m("fresh3", "cli_time_year", CLI, "o.request.load.time_year = static_cast<int>(positive(\"--time-year\", v, 9999));",
      "(void)positive(\"--time-year\", v, 9999);", "--time-year not passed on"),
    m("fresh3", "cli_metrics", CLI, "{\"--metrics\", [&](const std::string& v) { o.request.load.metrics = split_list(v); }},",
      "{\"--metrics\", [&](const std::string&) {}},", "--metrics not passed on"),
    m("fresh3", "cli_dimensions", CLI, "{\"--dimensions\", [&](const std::string& v) { o.request.load.dimensions = split_list(v); }},",
      "{\"--dimensions\", [&](const std::string&) {}},", "--dimensions not passed on"),
    m("fresh3", "cli_no_localization", CLI, "o.request.localize = false;", "", "--no-localization not passed on"),
    m("fresh3", "cli_practical_max_50", CLI, "o.request.options.min_practical_pp <= 100.0", "o.request.options.min_practical_pp <= 50.0",
      "--min-practical-pp refused above 50"),
    m("fresh3", "json_exit_code", "core/report/json.cpp", "{\"exit_code\", exit_code_of(report.health.state)}", "{\"exit_code\", 0}",
      "the JSON's exit code always 0"),
    m("fresh3", "inclusion_dropped", FOLD, "r[UnitTable::kFlagsOff] | ((kind_bits & (kRowIncluded | kRowDisagrees)) >> 1)",
      "r[UnitTable::kFlagsOff] | ((kind_bits & kRowDisagrees) >> 1)", "a later row's inclusion flag lost"),
    m("fresh3", "assignment_word", "core/ingest/roles.cpp", "if (v.find(\"assign\") != std::string::npos) return EventKind::Assignment;",
      "if (v.find(\"assigned\") != std::string::npos) return EventKind::Assignment;", "'assignment' no longer an assignment"),
    m("fresh3", "session_segment_value", "ui/session.cpp", "{\"value\", QString::fromStdString(refinement.segment->second)}",
      "{\"value\", QString::fromStdString(refinement.segment->first)}", "a session saves the segment's dimension as its value"),
    m("fresh3", "engine_end_only_window", "ui/analysisengine.cpp", "const bool windowed = request.file && (request.window_start || request.window_end);",
      "const bool windowed = request.file && request.window_start.has_value();", "the workbench ignores a window with only an end"),
]

# ---- fresh4: a fourth fresh set, written after the tests for round 3's survivors ----
MUTANTS += [
    m("fresh4", "sample_size_le_100", CHECKS, "if (min_expected < 100.0) {", "if (min_expected <= 100.0) {", "sample-size warning at exactly 100 expected"),
    m("fresh4", "mirror_agree_80", "core/ingest/roles.cpp", "agreeing * 10 < rows * 9", "agreeing * 10 < rows * 8", "a column agreeing 80 % with the variant is its mirror"),
    m("fresh4", "mirror_min_rows_50", "core/ingest/roles.cpp", "                return n >= 5;", "                return n >= 50;", "the mirror needs 50 rows per arm"),
    m("fresh4", "default_max_dim_values_20", "core/ingest/include/srm/ingest.hpp", "std::size_t max_dimension_values = 200;",
      "std::size_t max_dimension_values = 20;", "a dimension over 20 values left out by default"),
    m("fresh4", "default_near_hours_12", "core/pipeline/include/srm/analysis.hpp", "    double near_change_hours = 24.0;", "    double near_change_hours = 12.0;",
      "--near-hours defaults to 12"),
    m("fresh4", "default_min_segment_50", "core/pipeline/include/srm/analysis.hpp", "    std::uint64_t min_segment_units = 100;",
      "    std::uint64_t min_segment_units = 50;", "--min-segment-units defaults to 50"),
    m("fresh4", "mirror_not_invalidating", HEALTH,
      'constexpr std::array<const char*, 3> kInvalidating = {"variant_jumping", "assignment_exposure_funnel", "variant_column_agreement"};',
      'constexpr std::array<const char*, 3> kInvalidating = {"variant_jumping", "assignment_exposure_funnel", ""};',
      "a failed mirror check no longer fails the health"),
    m("fresh4", "change_distance_sign", "core/diagnosis/step3_changes.cpp", "static_cast<double>(c.time - *pattern.change_point)",
      "static_cast<double>(*pattern.change_point - c.time)", "a change's distance with the wrong sign"),
    m("fresh4", "timeline_point_at_start", SEQ, "const std::int64_t end = start + grid.bin_width;\n        if (b + 1",
      "const std::int64_t end = start;\n        if (b + 1", "timeline points at the bin's start"),
    m("fresh4", "phase_starts_late", "core/diagnosis/time_grid.cpp", "g.phase_start[p + 1] <= t_sec", "g.phase_start[p + 1] < t_sec",
      "a bin starting exactly at a phase start belongs to the phase before"),
    m("fresh4", "expected_by_last_phase", SEQ, "cum_expected[j] += nb * plan.phase_share[grid.bin_phase[b]][j];",
      "cum_expected[j] += nb * plan.phase_share.back()[j];", "the cumulative expectation ignores the phases"),
    m("fresh4", "cp_time_off_by_one", SEQ, "tp.change_point = grid.bin0 + static_cast<std::int64_t>(f.tau) * grid.bin_width;",
      "tp.change_point = grid.bin0 + static_cast<std::int64_t>(f.tau + 1) * grid.bin_width;", "the change point one bin late"),
    m("fresh4", "unplanned_not_severe", STATS, "if (!r.findings.empty()) r.severity = Severity::Severe;", "",
      "traffic to a variant planned at 0 % no longer severe"),
    m("fresh4", "exit_usage_2", "core/cli/include/srm/cli.hpp", "kExitUsage = 64,", "kExitUsage = 2,", "usage errors exit 2"),
    m("fresh4", "exit_io_70", "core/cli/include/srm/cli.hpp", "kExitIo = 74,", "kExitIo = 70,", "an unwritable report exits 70"),
    m("fresh4", "cli_warn_alpha", CLI, 'o.request.options.thresholds.warn = parse_probability("--warn-alpha", v);',
      '(void)parse_probability("--warn-alpha", v);', "--warn-alpha not passed on"),
    m("fresh4", "cli_changes", CLI, '{"--changes", column(o.request.changes_file)},', '{"--changes", [](const std::string&) {}},',
      "--changes not passed on"),
    m("fresh4", "cli_allocation", CLI, '{"--allocation", column(o.request.allocation_file)},', '{"--allocation", [](const std::string&) {}},',
      "--allocation not passed on"),
    m("fresh4", "cli_event_col", CLI, '{"--event-col", column(o.request.load.event_col)},', '{"--event-col", [](const std::string&) {}},',
      "--event-col not passed on"),
    m("fresh4", "jump_fail_10pct", CHECKS, "share >= 0.05 ? CheckStatus::Fail", "share >= 0.1 ? CheckStatus::Fail", "jumping fails from 10 %"),
]

EXPLAIN = "core/diagnosis/explain.cpp"


def no_op_column(id_, flag, field):
    return m("fresh5", id_, CLI, '{"%s", column(o.request.load.%s)},' % (flag, field), '{"%s", [](const std::string&) {}},' % flag,
             flag + " not passed on")


# ---- fresh5: every option and constant not yet mutated, written before running ----
MUTANTS += [
    no_op_column("cli_time_col", "--time-col", "time_col"),
    no_op_column("cli_unit_col", "--unit-col", "unit_col"),
    no_op_column("cli_variant_col", "--variant-col", "variant_col"),
    no_op_column("cli_count_col", "--count-col", "count_col"),
    no_op_column("cli_inclusion_col", "--inclusion-col", "inclusion_col"),
    no_op_column("cli_hour_col", "--hour-col", "hour_col"),
    no_op_column("cli_time_format", "--time-format", "time_format"),
    m("fresh5", "cli_threads_max_2", CLI, 'positive("--threads", v, 256)', 'positive("--threads", v, 2)', "--threads refused above 2"),
    m("fresh5", "explain_top_values_2", EXPLAIN, "constexpr std::size_t kTopValues = 24;", "constexpr std::size_t kTopValues = 2;",
      "pairs formed from 2 values per dimension"),
    m("fresh5", "explain_one_segment", EXPLAIN, "constexpr std::size_t kMaxSegments = 8;", "constexpr std::size_t kMaxSegments = 1;",
      "one round of the selection"),
    m("fresh5", "explain_parent_half", EXPLAIN, "constexpr double kParentShare = 0.9;", "constexpr double kParentShare = 0.5;",
      "a parent preferred with half a child's gain"),
    m("fresh5", "explain_lift_3", EXPLAIN, "constexpr double kMinLift = 1.5;", "constexpr double kMinLift = 3.0;", "alternatives need a lift of 3"),
    m("fresh5", "explain_no_marginal", EXPLAIN, "constexpr std::size_t kMaxMarginal = 2;", "constexpr std::size_t kMaxMarginal = 0;",
      "no marginal segments"),
    m("fresh5", "daily_bins_one_year", "core/diagnosis/time_grid.cpp", "> 2LL * 366 * 86400 ? 86400 : 3600", "> 1LL * 366 * 86400 ? 86400 : 3600",
      "daily bins past one year"),
    m("fresh5", "weekly_strata_30_days", "core/diagnosis/time_grid.cpp", "> 120LL * 86400 ? 7 * 86400 : 86400", "> 30LL * 86400 ? 7 * 86400 : 86400",
      "weekly strata past 30 days"),
    m("fresh5", "ranked_top_5", S4, "if (ranked.size() > 20) ranked.resize(20);", "if (ranked.size() > 5) ranked.resize(5);", "five ranked segments"),
    m("fresh5", "metric_alpha_01", "core/diagnosis/include/srm/diagnosis.hpp", "double metric_alpha = 0.05;", "double metric_alpha = 0.01;",
      "metrics flagged below 0.01"),
    m("fresh5", "band_95", "core/diagnosis/include/srm/report.hpp", "double band_level = 0.99;", "double band_level = 0.95;", "a 95 % band"),
    m("fresh5", "warn_default_05", "core/stats/include/srm/stats.hpp", "double warn = 0.01;", "double warn = 0.05;", "warn below 0.05 by default"),
    m("fresh5", "severe_default_0001", "core/stats/include/srm/stats.hpp", "double severe = 0.001;", "double severe = 0.0001;",
      "severe below 0.0001 by default"),
]

# ---- fresh6: files no earlier round touched (the verdict, the evidence, the
# input warnings, the plan, time parsing, column names), written before running ----
VERDICT = "core/diagnosis/verdict.cpp"
EVIDENCE = "core/diagnosis/evidence.cpp"
INPUT = "core/diagnosis/input_summary.cpp"
PLAN = "core/diagnosis/plan.cpp"
TPARSE = "core/base/timeparse.cpp"
NAMES = "core/ingest/column_names.cpp"
MUTANTS += [
    m("fresh6", "verdict_near_farthest", VERDICT, "std::fabs(*c.distance_seconds) < std::fabs(*f.near->distance_seconds)",
      "std::fabs(*c.distance_seconds) > std::fabs(*f.near->distance_seconds)", "the verdict names the farthest near change"),
    m("fresh6", "verdict_unplanned_last", VERDICT, "f.unplanned = f.unplanned || vr.unplanned;", "f.unplanned = vr.unplanned;",
      "only the last variant's unplanned flag counts"),
    m("fresh6", "verdict_funnel_fail_only", VERDICT, "if (funnel == CheckStatus::Fail || funnel == CheckStatus::Warn)",
      "if (funnel == CheckStatus::Fail)", "a funnel warning no longer makes the SRM a tracking one"),
    m("fresh6", "verdict_gradual_ignores_metrics", VERDICT, "if (f.conc && f.flagged.empty()) {", "if (f.conc) {",
      "a gradual SRM with a flagged metric called tracking"),
    m("fresh6", "verdict_jumping_any", VERDICT, 'if (f.status("variant_jumping") == CheckStatus::Fail) s <<',
      'if (f.status("variant_jumping") != CheckStatus::Ok) s <<', "the jumping sentence for any status but ok"),
    m("fresh6", "verdict_practical_negated", VERDICT, "if (!r.practically_significant)", "if (r.practically_significant)",
      "the practical-threshold sentence inverted"),
    m("fresh6", "evidence_repeated_window", EVIDENCE, "- ds.rows_other_events - ds.rows_outside_window;", "- ds.rows_other_events;",
      "rows outside the window counted as repeated rows"),
    m("fresh6", "evidence_funnel_empty_rows", EVIDENCE, "if (assigned == 0) continue;", ";",
      "variants without assignments enter the funnel test"),
    m("fresh6", "evidence_changes_from_first", EVIDENCE, "for (std::size_t p = 1; p < opt.allocation.size(); ++p) ev.allocation_changes",
      "for (std::size_t p = 0; p < opt.allocation.size(); ++p) ev.allocation_changes", "the first phase's start counted as a change"),
    m("fresh6", "input_duplicates_10", INPUT, "ev.repeated_rows * 20 <= ev.exposed_units", "ev.repeated_rows * 10 <= ev.exposed_units",
      "duplicate units warned up to 10 % repeated rows"),
    m("fresh6", "input_equal_split_20", INPUT, "report.srm.max_abs_deviation_pp >= 10.0", "report.srm.max_abs_deviation_pp >= 20.0",
      "the assumed equal split warned from 20 pp"),
    m("fresh6", "step2_control_n_only", S2, "if (n0 < 2 || n1 < 2) continue;", "if (n0 < 2) continue;",
      "a variant with one unit tested against the control"),
    m("fresh6", "step2_holm_max", S2, "*std::min_element(adj.begin(), adj.end())", "*std::max_element(adj.begin(), adj.end())",
      "a metric's p is its least significant comparison"),
    m("fresh6", "plan_control_like_last", PLAN, "(control_like(n) ? 0 : 1)", "(control_like(n) ? 1 : 0)",
      "unplanned control-like names ordered after the others"),
    m("fresh6", "plan_zero_total_lt", PLAN, "if (total <= 0) throw", "if (total < 0) throw", "a phase of zero weights divides by zero"),
    m("fresh6", "time_offset_sign", TPARSE, "const int sign = rest.front() == '+' ? 1 : -1;", "const int sign = rest.front() == '-' ? 1 : -1;",
      "UTC offsets applied the wrong way"),
    m("fresh6", "time_fraction_scale", TPARSE, "std::int64_t scale = 100000;", "std::int64_t scale = 10000;",
      "fractions of a second read ten times too small"),
    m("fresh6", "time_epoch_ms_range", TPARSE, "} else if (whole < 100'000'000'000'000LL) {  // milliseconds",
      "} else if (whole < 100'000'000'000'000'000LL) {  // milliseconds", "epoch microseconds read as milliseconds"),
    m("fresh6", "time_no_leap_second", TPARSE, "sec > 60", "sec > 59", "a leap second rejected"),
    m("fresh6", "names_no_at_suffix", NAMES, ' || ends_with(n, "_at")', "", "a column ending in _at no longer a time by name"),
    m("fresh6", "names_no_key_suffix", NAMES, ' || ends_with(n, "_key")', "", "a column ending in _key no longer an id by name"),
    m("fresh6", "names_no_cohort_suffix", NAMES, ' || ends_with(n, "_cohort")', "", "a column ending in _cohort no longer a variant by name"),
]

# ---- fresh7: written after round 6 and the golden reports, before running: the
# files no round mutated yet (text formatting, the sniffer, the health words,
# the text report, the new report documents) and more of the others ----
HEALTH = "core/diagnosis/health.cpp"
BASE_TEXT = "core/base/text.cpp"
SNIFF = "core/ingest/sniffer.cpp"
TEXT_REPORT = "core/report/text.cpp"
DOC = "core/report/document.cpp"
JSON = "core/report/json.cpp"
MUTANTS += [
    m("fresh7", "health_input_share_lt", HEALTH, "if (share <= 0.01) return std::nullopt;", "if (share < 0.01) return std::nullopt;",
      "an input problem at exactly 1 % of the rows"),
    m("fresh7", "health_names_over_2", HEALTH, "if (names.size() > 3) {", "if (names.size() > 2) {", "the health line shortens from 3 segments"),
    m("fresh7", "health_marginal_named", HEALTH, "if (!sg.marginal) names.push_back(describe_conditions(sg.conditions));",
      "names.push_back(describe_conditions(sg.conditions));", "marginal segments named in the health line"),
    m("fresh7", "format_p_4_digits_below_01", BASE_TEXT, "return p >= 0.001 ? format_fixed(p, 4)", "return p >= 0.01 ? format_fixed(p, 4)",
      "p between 0.001 and 0.01 in %.3g"),
    m("fresh7", "format_p_underflow_200", BASE_TEXT, "if (p <= 0.0 || log10_p < -300.0) {", "if (p <= 0.0 || log10_p < -200.0) {",
      "p from 1e-200 shown from log10 p"),
    m("fresh7", "shorten_off_by_one", BASE_TEXT, "return s.size() > max ? std::string(s.substr(0, max - 3))", "return s.size() >= max ? std::string(s.substr(0, max - 3))",
      "a text of exactly the maximum shortened"),
    m("fresh7", "sniff_controls_10pct", SNIFF, "if (controls * 100 > probe) throw", "if (controls * 10 > probe) throw",
      "binary only above 10 % control bytes"),
    m("fresh7", "sniff_single_quote_3", SNIFF, "if (wrapped >= 2) d.quote = '\\'';", "if (wrapped >= 3) d.quote = '\\'';",
      "single quotes as the quote from three wrapped fields"),
    m("fresh7", "sniff_one_field", SNIFF, "if (mode->first < 2) continue;", "if (mode->first < 1) continue;",
      "a delimiter giving one field per row is a candidate"),
    m("fresh7", "text_errors_5", TEXT_REPORT, "const std::size_t shown = std::min<std::size_t>(in.errors.size(), 10);",
      "const std::size_t shown = std::min<std::size_t>(in.errors.size(), 5);", "the text report lists 5 rejected rows"),
    m("fresh7", "text_segments_ge", TEXT_REPORT, "if (shown++ >= 8) {", "if (shown++ > 8) {", "nine values per dimension in the text report"),
    m("fresh7", "text_ranked_3", TEXT_REPORT, "for (std::size_t i = 0; i < report.ranked_segments.size() && i < 5; ++i) {",
      "for (std::size_t i = 0; i < report.ranked_segments.size() && i < 3; ++i) {", "three ranked segments in the text report"),
    m("fresh7", "text_timeline_20", TEXT_REPORT, "const std::size_t step = tl.points.size() > 40 ? (tl.points.size() + 39) / 40 : 1;",
      "const std::size_t step = tl.points.size() > 20 ? (tl.points.size() + 19) / 20 : 1;", "20 timeline rows instead of 40"),
    m("fresh7", "doc_rejected_rows_20", DOC, "constexpr std::size_t kRows = 200;", "constexpr std::size_t kRows = 20;",
      "the document lists 20 rejected rows"),
    m("fresh7", "doc_no_answers", DOC, "if (a.id == c.id && (a.done || !a.notes.empty())) reviewer =", "if (a.id == c.id && a.done) reviewer =",
      "a reviewer's note on an unchecked item left out"),
    m("fresh7", "doc_no_whole_span", DOC, "    if (r.window.whole_span)\n", "    if (false)\n", "the whole span's p left out of a window's report"),
    m("fresh7", "html_no_quote_escape", "core/report/html.cpp", """        case '"': out += "&quot;"; break;\n""", "",
      "double quotes not escaped in attributes"),
    m("fresh7", "markdown_pipe_unescaped", "core/report/markdown.cpp", "case '[': case ']': case '|':", "case '[': case ']':",
      "a pipe in a cell breaks the table"),
    m("fresh7", "csv_no_at_prefix", "core/report/export.cpp", "c == '+' || c == '-' || c == '@' ||", "c == '+' || c == '-' ||",
      "@ formulas not neutralized"),
    m("fresh7", "near_lt_strict", "core/diagnosis/step3_changes.cpp", "std::fabs(*r.distance_seconds) <= near_hours * 3600.0",
      "std::fabs(*r.distance_seconds) < near_hours * 3600.0", "a change exactly at --near-hours not near"),
    m("fresh7", "json_no_monte_carlo_se", JSON, "if (r.monte_carlo_se > 0.0) j[\"monte_carlo_standard_error\"] = r.monte_carlo_se;", "",
      "the Monte Carlo standard error left out of the JSON"),
    m("fresh7", "json_daily_off_by_day", JSON, "format_iso8601(pt.time - 86400).substr(0, 10)", "format_iso8601(pt.time).substr(0, 10)",
      "daily new units keyed by the next day"),
    m("fresh7", "fold_metric_cap", "core/ingest/fold.cpp", "if (v > 1.0) v = 1.0;", "", "a 0/1 metric summed past 1 per unit"),
    m("fresh7", "scope_segment_word", "core/diagnosis/model.cpp", "(out.empty() ? \"Segment \" : \" · segment \")", "(out.empty() ? \"Segment \" : \" · \")",
      "the scope line loses the word segment after a window"),
]

# ---- fresh8: the issue's own kinds again (a threshold off by one, a constant
# changed, an option not passed on, a step of a computation left out, the
# window), on lines of the diagnosis, the statistics and the pipeline no
# round mutated; written after round 7, before running ----
STATS = "core/stats/stats.cpp"
S4F = "core/diagnosis/step4_dimensions.cpp"
PIPE = "core/pipeline/analysis.cpp"
MUTANTS += [
    m("fresh8", "warn_le", STATS, "if (log10_p < std::log10(t.warn)) return Severity::Warn;", "if (log10_p <= std::log10(t.warn)) return Severity::Warn;",
      "warn at p equal to the warn alpha (in log10)"),
    m("fresh8", "exact_mc_samples_100", STATS, "std::max<std::uint64_t>(options.monte_carlo_samples, 1000)", "std::max<std::uint64_t>(options.monte_carlo_samples, 100)",
      "the Monte Carlo exact test's floor of samples at 100"),
    m("fresh8", "exact_mc_strict", STATS, "if (log_multinomial_pmf(x, log_probs, log_n_fact) <= threshold) ++hits;",
      "if (log_multinomial_pmf(x, log_probs, log_n_fact) < threshold) ++hits;", "Monte Carlo ties not counted as extreme"),
    m("fresh8", "planned_one", STATS, "if (planned < 2) throw", "if (planned < 1) throw", "one planned variant accepted"),
    m("fresh8", "binomial_path_3", STATS, "if (obs.size() == 2) {", "if (obs.size() == 3) {", "the two-arm exact binomial path not taken"),
    m("fresh8", "segment_own_dimension", S4F, "if (ds.dimensions[d].excluded || (opt.segment && opt.segment->first == d)) continue;",
      "if (ds.dimensions[d].excluded) continue;", "the looked-at segment's dimension broken down within itself"),
    m("fresh8", "segments_exact", S4F, "    seg_options.exact_below_expected = 0;  // segments: chi-square; small ones are marked too_small\n", "",
      "segments tested exactly when small"),
    m("fresh8", "segments_sorted_ascending", S4F, "return a.units > b.units;", "return a.units < b.units;", "segments listed smallest first"),
    m("fresh8", "empty_segment_kept", S4F, "if (std::accumulate(c, c + k, std::uint64_t{0}) == 0) continue;", "",
      "values without units listed as segments"),
    m("fresh8", "pipeline_min_segment", PIPE, "    dopt.min_segment_units = request.min_segment_units;\n", "",
      "--min-segment-units not passed on by the pipeline"),
    m("fresh8", "pipeline_concentration", PIPE, "    dopt.dirichlet_concentration = request.prior_concentration;\n", "",
      "--prior-concentration not passed on by the pipeline"),
    m("fresh8", "pipeline_control", PIPE, "    dopt.control = request.control;\n", "", "--control not passed on by the pipeline"),
    m("fresh8", "pipeline_localize", PIPE, "    dopt.localize = request.localize;\n", "", "--no-localization not passed on by the pipeline"),
    m("fresh8", "power_80_to_50", CHECKS, "boost::math::quantile(standard, 0.8)", "boost::math::quantile(standard, 0.5)",
      "the detectable deviation at 50 % power"),
    m("fresh8", "power_alpha_one_sided", CHECKS, "boost::math::complement(standard, t.warn / 2.0)", "boost::math::complement(standard, t.warn)",
      "the detectable deviation one-sided"),
    m("fresh8", "window_covered_start", CHECKS, "static_cast<double>(std::min(we, te) - std::max(ws, ts))", "static_cast<double>(std::min(we, te) - ws)",
      "the window's coverage not clipped at the traffic's start"),
    m("fresh8", "window_end_narrower_le", CHECKS, "(w.end && *w.end < te)", "(w.end && *w.end <= te)",
      "a window ending exactly at the last traffic called narrower"),
    m("fresh8", "gap_from_10pct_to_20", CHECKS, "if (static_cast<double>(a - first) > 0.1 * span) {", "if (static_cast<double>(a - first) > 0.2 * span) {",
      "a variant's late start warned only past 20 % of the span"),
    m("fresh8", "mirror_share_denominator", CHECKS, "const double rows = static_cast<double>(report.input.rows_read ? report.input.rows_read : 1);",
      "const double rows = static_cast<double>(report.input.rows_read ? report.input.rows_read + report.input.rows_rejected : 1);",
      "the mirror's share over rows read plus rejected"),
    m("fresh8", "p_min_max", CHECKS, "if (v.expected_share > 0.0) p_min = std::min(p_min, v.expected_share);",
      "if (v.expected_share > 0.0) p_min = std::max(p_min, v.expected_share);", "the detectable deviation of the largest arm"),
]

# ---- fresh9: the same kinds on code no round mutated (the health state's
# rejection share, the input warnings, side files, the roles by content, time
# parsing, NUL rows, the explanation's status, Step 2's minimum sizes, the
# warehouse quoting, options passed on); written after round 8, before running ----
HEALTH = "core/diagnosis/health.cpp"
INSUM = "core/diagnosis/input_summary.cpp"
SIDE = "core/ingest/side_files.cpp"
ROLES = "core/ingest/roles.cpp"
TP = "core/base/timeparse.cpp"
MUTANTS += [
    m("fresh9", "rejected_share_lt", HEALTH, "if (share <= 0.01) return std::nullopt;", "if (share < 0.01) return std::nullopt;",
      "exactly 1 % of the rows rejected is an input problem"),
    m("fresh9", "rejected_share_5pct", HEALTH, "if (share <= 0.01) return std::nullopt;", "if (share <= 0.05) return std::nullopt;",
      "the input problem only above 5 % rejected"),
    m("fresh9", "equal_split_warning_20", INSUM, "report.srm.max_abs_deviation_pp >= 10.0", "report.srm.max_abs_deviation_pp >= 20.0",
      "the equal-split warning only from 20 pp"),
    m("fresh9", "duplicate_units_10pct", INSUM, "ev.repeated_rows * 20 <= ev.exposed_units", "ev.repeated_rows * 10 <= ev.exposed_units",
      "the duplicate-units warning up to 10 % instead of 5 %"),
    m("fresh9", "alloc_zero_weight", SIDE, "!std::isfinite(w) || w < 0) {", "!std::isfinite(w) || w <= 0) {",
      "a weight of 0 in the allocation history refused"),
    m("fresh9", "alloc_all_zero", SIDE, "if (total <= 0) throw InputError(\"the allocation history row", "if (total < 0) throw InputError(\"the allocation history row",
      "an allocation row of all zeros accepted"),
    m("fresh9", "variant_by_content_10", ROLES, "if (p.distinct < 2 || p.distinct > 20) return false;", "if (p.distinct < 2 || p.distinct > 10) return false;",
      "a variant column by content only up to 10 values"),
    m("fresh9", "unit_id_like_half", ROLES, "id_like(profiles_[i], 0.9)", "id_like(profiles_[i], 0.5)",
      "a unit column by content from half distinct values"),
    m("fresh9", "mirror_agree_half", ROLES, "agreeing * 10 < rows * 9", "agreeing * 2 < rows",
      "a mirror column found at 50 % agreement"),
    m("fresh9", "leap_second_refused", TP, "if (h > 23 || mi > 59 || sec > 60) return std::nullopt;", "if (h > 23 || mi > 59 || sec > 59) return std::nullopt;",
      "a leap second refused"),
    m("fresh9", "feb_30", TP, "d > days_in_month(y, mo)) return std::nullopt;", "d > 31) return std::nullopt;",
      "February 30 accepted"),
    m("fresh9", "nul_file_any", "core/ingest/sniffer.cpp", "if (nuls * 100 > probe) throw", "if (nuls > 0) throw",
      "one NUL byte refuses the whole file"),
    m("fresh9", "nul_rows_accepted", "core/ingest/parse.cpp", "            if (bad) reject_nul(here);\n            else decoder.take(here, fields.data(), true);",
      "            decoder.take(here, fields.data(), true);", "rows with a NUL byte accepted (the fast path)"),
    m("fresh9", "explained_share_90", "core/diagnosis/explain.cpp", "if (covered > 0.5 * units || remaining.severity", "if (covered > 0.9 * units || remaining.severity",
      "a cause covering up to 90 % of the units still localized"),
    m("fresh9", "metrics_min_n_1", S2, "if (n0 < 2 || n1 < 2) continue;", "if (n0 < 1 || n1 < 1) continue;",
      "a metric compared with a single unit in an arm"),
    m("fresh9", "sql_quote_not_doubled", "core/warehouse/sql.cpp", "out += c == '\"' ? std::string(\"\\\"\\\"\") : std::string(1, c);",
      "out += std::string(1, c);", "a double quote in a name not doubled"),
    m("fresh9", "cli_severe_alpha", CLI, "o.request.options.thresholds.severe = parse_probability(\"--severe-alpha\", v);",
      "(void)parse_probability(\"--severe-alpha\", v);", "--severe-alpha not passed on"),
    m("fresh9", "cli_min_practical", CLI, "o.request.options.min_practical_pp = option_number(", "(void)option_number(",
      "--min-practical-pp not passed on"),
    m("fresh9", "cli_time_year", CLI, "o.request.load.time_year = static_cast<int>(positive(\"--time-year\", v, 9999));",
      "(void)positive(\"--time-year\", v, 9999);", "--time-year not passed on"),
    m("fresh9", "cli_window_equal", CLI, "*o.request.window_start > *o.request.window_end) throw", "*o.request.window_start >= *o.request.window_end) throw",
      "a window of one instant refused"),
]

# ---- fresh10: the same kinds on files no round mutated (the time layouts,
# the day/month question, the column profiles, the record tokenizer, the
# loader's header, gzip members, the logit fit, the arm names, the SVG
# breakdown, the workbench's models, charts, recent files and command line)
# and on new lines of the others; written without reading the tests ----
TFMT = "core/base/timeformat.cpp"
SIM = "core/simulate/simulate.cpp"
MUTANTS += [
    m("fresh10", "twelve_hour_no_modulo", TFMT, "f.hour = f.hour % 12 + (f.pm ? 12 : 0);", "f.hour = f.hour + (f.pm ? 12 : 0);",
      "%I: 12 AM read as noon, 12 PM refused"),
    m("fresh10", "day_month_first_fit", "core/ingest/time_detect.cpp", "if (fit.size() == 1) return fit.front();",
      "if (!fit.empty()) return fit.front();", "dates that fit day/month and month/day read as the first, not asked"),
    m("fresh10", "row_number_from_1_only", "core/ingest/column_profile.cpp", "(p.min == 0 || p.min == 1)", "p.min == 1",
      "a 0-based row index no longer a row number"),
    m("fresh10", "doubled_quote_kept", "core/ingest/record.cpp", "            if (*q == quote) ++q;  // skip the doubled one\n", "",
      'an escaped "" kept as two quotes'),
    m("fresh10", "duplicate_header_suffix_1", "core/ingest/loader.cpp", "next_suffix.try_emplace(n, 2)", "next_suffix.try_emplace(n, 1)",
      "a repeated column name read as name_1 instead of name_2"),
    m("fresh10", "gzip_first_member_only", "core/ingest/source.cpp",
      "            if (rc == Z_STREAM_END) {\n                in_member_ = false;\n",
      "            if (rc == Z_STREAM_END) {\n                in_member_ = false;\n                done_ = true;\n",
      "a multi-member gzip read to its first member's end"),
    m("fresh10", "logit_trend_without_time", "core/stats/logit.cpp", "            if (!intercept) x[0] = g.t;\n", "",
      "the trend-only fit's gradient taken against 1, not the time"),
    m("fresh10", "no_prefix_not_control", "core/base/arm_labels.cpp", 'if (n.rfind("no_", 0) == 0 || n.rfind("without_", 0) == 0) return true;',
      'if (n.rfind("without_", 0) == 0) return true;', '"no_email" no longer a control name'),
    m("fresh10", "assumed_equal_not_reported", "core/diagnosis/diagnose.cpp", "    report.input.expected_assumed_equal = plan.assumed_equal;\n", "",
      "the assumed equal split not reported"),
    m("fresh10", "funnel_every_assigned_exposed", TALLY, "if (flags & kExposed) a.funnel_exposed[assigned_p[i]] += w;",
      "a.funnel_exposed[assigned_p[i]] += w;", "the funnel counts every assigned unit as exposed"),
    m("fresh10", "sim_change_at", "core/simulate/simulate_cli.cpp",
      '{"--change-at", [&](const std::string& v) { spec.change_fraction = number("--change-at", v); }},',
      '{"--change-at", [&](const std::string& v) { (void)number("--change-at", v); }},', "srm-simulate's --change-at not passed on"),
    m("fresh10", "sim_offset_sign", SIM, "std::string iso = format_iso8601(s + 7200);", "std::string iso = format_iso8601(s - 7200);",
      "iso-offset times written 4 h off their +02:00"),
    m("fresh10", "svg_breakdown_least_first", "core/report/charts_svg.cpp", "[](const Bar& a, const Bar& b) { return a.log10_p < b.log10_p; }",
      "[](const Bar& a, const Bar& b) { return a.log10_p > b.log10_p; }", "the breakdown chart shows the least significant segments"),
    m("fresh10", "json_expected_shares_observed", JSON, "expected[report.srm.variants[j].name] = sg.expected_shares[j];",
      "expected[report.srm.variants[j].name] = sg.observed_shares[j];", "an explaining segment's expected shares are its observed ones"),
    m("fresh10", "explain_excess_without_rest", EXPLAIN, "double total_excess = excess_units(search.pool());", "double total_excess = 0;",
      "shares of the imbalance leave out the rest's"),
    m("fresh10", "cli_bucket_day", CLI, "    q.daily = o.daily;\n", "", "--bucket day not passed to the query"),
    m("fresh10", "ui_share_2_decimals", "ui/reportformat.cpp", "formatNumber(share * 100.0, 3, locale)", "formatNumber(share * 100.0, 2, locale)",
      "shares shown to 2 decimals instead of 3"),
    m("fresh10", "ui_outside_band_one_sided", "ui/chartmodel.cpp", "(std::fabs(p.new_deviation_pp[v]) > p.new_band_pp[v] ? outside : fresh)",
      "(p.new_deviation_pp[v] > p.new_band_pp[v] ? outside : fresh)", "points below their band not marked outside it"),
    m("fresh10", "ui_chart_t0_first_point", "ui/chartmodel.cpp", "m.t0 = tl.points.front().time - srm::seconds_of(tl.resolution);",
      "m.t0 = tl.points.front().time;", "the time axis starts at the first bin's end"),
    m("fresh10", "ui_recent_duplicates", "ui/sessioncontroller.cpp", "    recent.removeAll(path);\n", "",
      "a file opened again listed twice in the recent files"),
    m("fresh10", "ui_option_value_skip_inverted", "ui/commandline.cpp", "if (!flag && a.find('=') == std::string::npos) ++i;",
      "if (flag && a.find('=') == std::string::npos) ++i;", "an option's value taken for the input, a flag's next argument skipped"),
    m("fresh10", "ui_rank_from_0", "ui/reportmodels.cpp", "r.rank = static_cast<int>(i + 1);", "r.rank = static_cast<int>(i);",
      "segment ranks from 0: the top segment unranked"),
    m("fresh10", "ui_metric_rate_1_decimal", "ui/reportmodels.cpp", "const int decimals = m.binary ? 2 : 3;", "const int decimals = m.binary ? 1 : 3;",
      "metric rates shown to 1 decimal"),
    m("fresh10", "ui_segments_descending", "ui/step4page.cpp", "m_table->sortByColumn(SegmentsModel::Rank, Qt::AscendingOrder);",
      "m_table->sortByColumn(SegmentsModel::Rank, Qt::DescendingOrder);", "the segments table sorted unranked first"),
]

# ---- fresh11: written from the headers' and --help's promises without
# reading the tests: the statistics' pooled rate and expected counts, the
# ranking's tie rule, the concentration's level, the verdict's rounding, the
# health reasons; the loader's line numbers, multi-variant rows, yes flags and
# change-log names; --severe-alpha equal to --warn-alpha, --print-sql's event
# column, the allocation file, zero counts; JSON, text and document fields;
# the warehouse window's end, the simulator's allocation change; and the
# workbench's variant and metric tables, export numbers and session control ----
MUTANTS += [
    m("fresh11", "z_pooled_unweighted", INF, "const double pooled = (x0 + x1) / (n0 + n1);",
      "const double pooled = (x0 / n0 + x1 / n1) / 2;", "the two-proportion z-test pools the rates unweighted"),
    m("fresh11", "expected_from_all_units", STATS, "vr.expected = static_cast<double>(planned_units) * vr.expected_share;",
      "vr.expected = static_cast<double>(r.units) * vr.expected_share;", "expected counts include the unplanned variant's units"),
    m("fresh11", "ranked_tie_smaller_share_first", S4, "return a.share_of_imbalance > b.share_of_imbalance;",
      "return a.share_of_imbalance < b.share_of_imbalance;", "ranked segments with equal adjusted p: the smaller share first"),
    m("fresh11", "concentration_at_warn", CHECKS, "double best_log10 = std::log10(r.options.thresholds.severe);",
      "double best_log10 = std::log10(r.options.thresholds.warn);", "a dimension at the warn level can name the concentration"),
    m("fresh11", "verdict_deviation_2_decimals", VERDICT, "std::round(r.max_abs_deviation_pp * 1000.0) / 1000.0",
      "std::round(r.max_abs_deviation_pp * 100.0) / 100.0", "the verdict's largest deviation rounded to 2 decimals"),
    m("fresh11", "assumed_equal_reason_always", HEALTH, "if (r.srm.severity != Severity::Ok && r.input.expected_assumed_equal)",
      "if (r.input.expected_assumed_equal)", "the assumed-equal-split reason given for a balanced split too"),
    m("fresh11", "rejected_line_chunk_start", "core/ingest/loader.cpp",
      "ds.errors.push_back({next_line + offset, std::move(message)});", "ds.errors.push_back({next_line, std::move(message)});",
      "every rejected row of a chunk listed at the chunk's first line"),
    m("fresh11", "aggregated_multi_ignored", FOLD, "            if (row[layout.kind] & kRowMulti) flags |= kJumped;\n", "",
      "aggregated rows' srm_multi_variant flag ignored"),
    m("fresh11", "truthy_no_yes", ROLES, 'return v == "1" || v == "true" || v == "yes" || v == "y" || v == "t";',
      'return v == "1" || v == "true" || v == "y" || v == "t";', '"yes" no longer a true flag (inclusion, multi-variant)'),
    m("fresh11", "change_log_no_date_column", SIDE,
      '{"timestamp", "time", "date", "datetime", "ts", "deployed_at", "created_at"}',
      '{"timestamp", "time", "datetime", "ts", "deployed_at", "created_at"}', "a change log's date column not found"),
    m("fresh11", "cli_equal_alphas_refused", CLI, "if (!(o.request.options.thresholds.severe <= o.request.options.thresholds.warn))",
      "if (!(o.request.options.thresholds.severe < o.request.options.thresholds.warn))", "--severe-alpha equal to --warn-alpha refused"),
    m("fresh11", "cli_print_sql_no_event", CLI, "    q.event = l.event_col;\n", "", "--print-sql and --db ignore --event-col"),
    m("fresh11", "pipeline_allocation_ignored", PIPE,
      "    if (request.allocation_file) dopt.allocation = read_allocation_history(*request.allocation_file);\n", "",
      "the allocation history not read by the pipeline"),
    m("fresh11", "counts_zero_refused", PIPE, "if (v < 0) throw InputError(\"variant '\" + name + \"' has a negative count\");",
      "if (v <= 0) throw InputError(\"variant '\" + name + \"' has a negative count\");", "--counts with a variant at 0 refused"),
    m("fresh11", "json_first_rejected_line_rows", JSON, 'j["first_rejected_line_by_reason"][r.reason] = r.first_line;',
      'j["first_rejected_line_by_reason"][r.reason] = r.rows;', "the JSON's first rejected line by reason is the row count"),
    m("fresh11", "json_segment_adjusted_raw", JSON, '{"adjusted_p_value", sgm.adjusted_p_value}', '{"adjusted_p_value", sgm.p_value}',
      "a segment's adjusted p in the JSON is its unadjusted p"),
    m("fresh11", "text_more_values_off_by_one", TEXT_REPORT, 'o << "    ... " << d.segments.size() - 8 << " more values (see --json)\\n";',
      'o << "    ... " << d.segments.size() - shown << " more values (see --json)\\n";', "the text report's \"N more values\" one too few"),
    m("fresh11", "doc_whole_span_units", DOC, "group_thousands(r.window.whole_span->units) + \" units.\",",
      "group_thousands(r.srm.units) + \" units.\",", "the document's whole-span units are the window's"),
    m("fresh11", "sql_window_end_exclusive", "core/warehouse/sql.cpp", 'if (q.window_end) add(s + " < " + std::to_string(*q.window_end + 1));',
      'if (q.window_end) add(s + " < " + std::to_string(*q.window_end));', "the query's window loses its end second (non-BigQuery)"),
    m("fresh11", "sim_allocation_moved_over_all", SIM, "st.after[i] += moved / static_cast<double>(st.after.size() - 1);",
      "st.after[i] += moved / static_cast<double>(st.after.size());", "allocation_change spreads the moved weight over every variant"),
    m("fresh11", "ui_expected_share_observed", "ui/variantmodel.cpp", "case ExpectedShare: return formatShare(v.expected_share, locale);",
      "case ExpectedShare: return formatShare(v.observed_share, locale);", "the variants table's expected share shows the observed one"),
    m("fresh11", "ui_metric_adjusted_raw", "ui/reportmodels.cpp", "QVariant(pText(m.adjusted_p_value, locale))", "QVariant(pText(m.p_value, locale))",
      "the metrics table's Holm-adjusted p shows the raw p"),
    m("fresh11", "ui_csv_export_display_text", "ui/reportexport.cpp", "const QVariant exported = cell.data(kExportRole);",
      "const QVariant exported = cell.data(Qt::DisplayRole);", "a table's CSV export takes the shown, localized numbers (1,234)"),
    m("fresh11", "ui_session_control", "ui/session.cpp", "    if (!control.isEmpty()) r.control = control.toStdString();\n", "",
      "a session's control arm not passed on"),
]

# ---- fresh12: written from the headers', README's and --help's promises
# without reading the tests: the exact test's trigger, an unplanned arm's
# share, the independence df, BIC's price for tau, the ranking's order, a
# failed check under a warn-level SRM; "trigger" events, line numbers after
# the header, dimensions of the first exposure, the warehouse's assigned
# variant; --multi-variant-col, zero for a whole-number option, --expected
# naming no variant, the assumed split of --counts; the JSON's rest, the text
# ranking, the document's signs; the query's window start, tiny p's mantissa;
# and the workbench's rank sort, session notes, preferred prior, exact window
# and Markdown export ----
MUTANTS += [
    m("fresh12", "exact_by_observed_count", STATS, "min_expected = std::min(min_expected, vr.expected);",
      "min_expected = std::min(min_expected, static_cast<double>(v.observed));",
      "the exact test chosen by the smallest observed count, not the smallest expected one"),
    m("fresh12", "unplanned_share_of_planned", STATS, "const std::uint64_t base = v.weight > 0.0 ? planned_units : r.units;",
      "const std::uint64_t base = planned_units;", "an unplanned variant's share taken over the planned variants' units"),
    m("fresh12", "independence_df_cols", INF, "into.df += static_cast<double>((used_rows - 1) * (used_cols - 1));",
      "into.df += static_cast<double>((used_rows - 1) * used_cols);", "the independence test's df one column too many (funnel, dimensions)"),
    m("fresh12", "bic_tau_free", SEQ, "-2 * f.ll2 + (p + 1) * lnN", "-2 * f.ll2 + p * lnN",
      "at_point's BIC does not count the change point as a parameter"),
    m("fresh12", "ranked_least_significant_first", S4,
      "return a.log10_adjusted_p_value < b.log10_adjusted_p_value;", "return a.log10_adjusted_p_value > b.log10_adjusted_p_value;",
      "ranked segments least significant first (and the 20 kept are the weakest)"),
    m("fresh12", "check_failed_only_when_balanced", HEALTH, "} else if (!failed.empty()) {",
      "} else if (!failed.empty() && r.srm.severity == Severity::Ok) {", "a failed check under a warn-level SRM is only a warning (exit 1, not 2)"),
    m("fresh12", "trigger_word_triggered", ROLES, 'v.find("trigger") != std::string::npos)', 'v.find("triggered") != std::string::npos)',
      '"trigger" events no longer exposures (only "triggered")'),
    m("fresh12", "header_line_not_counted", "core/ingest/loader.cpp", "            line += rec.line_breaks;\n            p = after;",
      "            p = after;", "rejected rows' line numbers one too small (the header's line not counted)"),
    m("fresh12", "dimensions_of_last_exposure", FOLD,
      "            r[UnitTable::kVarOff] = var;\n            for (std::size_t d = 0; d < c.nd; ++d) {",
      "            r[UnitTable::kVarOff] = var;\n        }\n        {\n            for (std::size_t d = 0; d < c.nd; ++d) {",
      "a unit's dimension values from its last exposure row, not its first exposure"),
    m("fresh12", "assigned_column_no_funnel", "core/ingest/loader.cpp", "ds.has_event = roles.event >= 0 || roles.assigned_variant >= 0;",
      "ds.has_event = roles.event >= 0;", "aggregated counts' srm_assigned_variant no longer feeds the funnel check"),
    m("fresh12", "cli_multi_variant_col", CLI, '{"--multi-variant-col", column(o.request.load.multi_variant_col)},',
      '{"--multi-variant-col", [](const std::string&) {}},', "--multi-variant-col not passed on"),
    m("fresh12", "cli_positive_zero", CLI, "r.ptr != v.data() + v.size() || n == 0 || n > max)", "r.ptr != v.data() + v.size() || n > max)",
      "whole-number options (--near-hours, --min-segment-units, ...) accept 0"),
    m("fresh12", "expected_names_none_accepted", PIPE, "    check_plan_names_data(request.expected, *out.dataset);\n", "",
      "--expected naming none of the data's variants not refused (exit 64)"),
    m("fresh12", "counts_assumed_equal_not_reported", PIPE, "    input.expected_assumed_equal = plan.assumed_equal;\n", "",
      "--counts without --expected: the assumed equal split not reported"),
    m("fresh12", "json_remaining_severity_overall", JSON, '{"severity", to_string(ex.remaining.severity)}}},',
      '{"severity", to_string(report.srm.severity)}}},', "the JSON's explanation.remaining.severity is the overall SRM's"),
    m("fresh12", "text_ranked_from_0", TEXT_REPORT, 'o << "    " << i + 1 << ". " << r.dimension', 'o << "    " << i << ". " << r.dimension',
      "the text report's ranked segments numbered from 0"),
    m("fresh12", "doc_zero_deviation_unsigned", DOC, '(pp >= 0 ? "+" : "") + fixed(pp, 3) + " pp"', '(pp > 0 ? "+" : "") + fixed(pp, 3) + " pp"',
      "the document's deviation of exactly 0 loses its + sign"),
    m("fresh12", "sql_window_start_exclusive", "core/warehouse/sql.cpp", 'if (q.window_start) add(s + " >= " + std::to_string(*q.window_start));',
      'if (q.window_start) add(s + " > " + std::to_string(*q.window_start));', "the query's window loses its start second (non-BigQuery)"),
    m("fresh12", "format_p_underflow_1_decimal", BASE_TEXT, 'return format_fixed(mantissa, 2) + "e"', 'return format_fixed(mantissa, 1) + "e"',
      "an underflowed p's mantissa shown to 1 decimal (1.8e-1740)"),
    m("fresh12", "ui_unranked_rank_0", "ui/reportmodels.cpp", "case Rank: return r.rank ? r.rank : 1000000;", "case Rank: return r.rank;",
      "unranked segments sort before rank 1 in the segments table"),
    m("fresh12", "ui_session_notes_not_loaded", "ui/session.cpp", '    s.notes = j["notes"].toString();\n', "",
      "a reopened session loses the reviewer's free notes"),
    m("fresh12", "ui_open_file_default_prior", "ui/sessioncontroller.cpp",
      "    m_session.priorConcentration = AnalysisPreferences::load(*m_settings).priorConcentration;\n    m_path.clear();\n    addRecent(m_session.dataFile);\n",
      "    m_path.clear();\n    addRecent(m_session.dataFile);\n", "a file opened in the workbench ignores the Preferences' prior concentration"),
    m("fresh12", "ui_window_never_exact", "ui/analysisengine.cpp", "        out.exact_pending = refinement.window.has_value();\n", "",
      "a window dragged in the workbench stays a preview: the exact count never runs"),
    m("fresh12", "ui_export_md_as_html", "ui/reportexport.cpp", 'ext != QLatin1String("pdf") && ext != QLatin1String("md") &&',
      'ext != QLatin1String("pdf") &&', "Export Report to a .md name writes NAME.md.html"),
]

# ---- fresh13: written by reading the source functions themselves, not the
# tests, on functions and lines no earlier round touched: the exact
# binomial's upper tail, the Dirichlet prior's scaling by the plan, the
# from_start pattern's change point, the verdict's segment-only SRM and its
# "and other segments", the scope line's exact/preview words; the hour-of-day
# column's 23, small columns as dimensions, a blank header's column_N, the
# event column in the JSON's column mapping; --assigned-variant-col,
# --print-sql's --dimensions, fractional --counts, a CLI window's total units;
# the JSON window's traffic_end, the text report's hours from the change
# point, the document's title, the CSV cell's "+3"; the query's "trigger"
# events, CSV quoting of a lone double quote; and the workbench's alert
# banner, all-zero import weights, the change-point marker and the
# explanation's share of the imbalance ----
MUTANTS += [
    m("fresh13", "binomial_upper_tail_skips_boundary", STATS, "for (std::uint64_t i = hi; i <= n; ++i) {",
      "for (std::uint64_t i = hi + 1; i <= n; ++i) {",
      "the exact binomial test's upper tail leaves out its first outcome (two-arm p too small below 5 expected)"),
    m("fresh13", "dirichlet_prior_unscaled", INF, "alpha[j] = c * theta[j];", "alpha[j] = c;",
      "the sequential test's Dirichlet prior is C per arm, not C times the planned share"),
    m("fresh13", "from_start_no_change_point", SEQ, "        tp.change_point = grid.bin0;\n", "",
      "a from_start time pattern reports no change point (JSON null, changes get no distance)"),
    m("fresh13", "verdict_ignores_ranked_segments", VERDICT,
      "v.srm = f.overall || !report.ranked_segments.empty() || report.explanation.status == ExplanationStatus::Localized;",
      "v.srm = f.overall || report.explanation.status == ExplanationStatus::Localized;",
      "an SRM only inside ranked segments (not localized) gets the verdict 'no SRM'"),
    m("fresh13", "verdict_other_segments_for_one", VERDICT,
      '(report.explanation.segments.size() > 1 ? " and other segments" : "")',
      '(report.explanation.segments.size() > 0 ? " and other segments" : "")',
      "the segment-limited verdict says \"and other segments\" when one segment explains it"),
    m("fresh13", "scope_exact_preview_swapped", MODEL,
      'std::string(scope.exact_window ? "Window " : "Window (preview, by first exposure) ")',
      'std::string(scope.exact_window ? "Window (preview, by first exposure) " : "Window ")',
      "the scope line calls an exact window a preview and a preview exact"),
    m("fresh13", "hour_column_without_23", ROLES, "return p.is_integer() && p.min >= 0 && p.max <= 23 && p.seen > 0;",
      "return p.is_integer() && p.min >= 0 && p.max < 23 && p.seen > 0;",
      "an hour-of-day column holding 23 is not taken as the date's hour"),
    m("fresh13", "small_column_not_dimension", ROLES, "(p.distinct * 2 <= p.seen || p.distinct <= 3)", "(p.distinct * 2 <= p.seen)",
      "a column with up to 3 values in few rows is ignored instead of a dimension"),
    m("fresh13", "blank_header_column_0", "core/ingest/loader.cpp", 'if (n.empty()) n = "column_" + std::to_string(i + 1);',
      'if (n.empty()) n = "column_" + std::to_string(i);', "a blank header cell named column_N from 0 (the first is column_0)"),
    m("fresh13", "mapping_no_event", "core/ingest/dataset.cpp", "        case Role::Event: m.event = c.name; break;\n", "",
      "the report's column mapping leaves out the event column (JSON input.columns.event null)"),
    m("fresh13", "cli_assigned_variant_col", CLI, '{"--assigned-variant-col", column(o.request.load.assigned_variant_col)},',
      '{"--assigned-variant-col", [](const std::string&) {}},', "--assigned-variant-col not passed on"),
    m("fresh13", "cli_print_sql_no_dimensions", CLI, "    q.dimensions = l.dimensions.value_or(std::vector<std::string>{});\n", "",
      "--print-sql and --db leave out --dimensions"),
    m("fresh13", "counts_fraction_truncated", PIPE, "if (v != std::floor(v) || v > 9.0e15)", "if (v > 9.0e15)",
      "--counts a=1.5 accepted (truncated to 1) instead of refused (exit 65)"),
    m("fresh13", "window_units_total_missing", PIPE, "    r.scope.units_total = whole.units_total;\n", "",
      "a --window run's scope has 0 units in all (JSON scope.units_total, \"of 0 units\")"),
    m("fresh13", "json_traffic_end_is_start", JSON, '{"traffic_end", iso_or_null(w.traffic_end)}', '{"traffic_end", iso_or_null(w.traffic_start)}',
      "the JSON's window.traffic_end is the traffic's start"),
    m("fresh13", "text_change_distance_minutes", TEXT_REPORT, 'fixed(*c.distance_seconds / 3600.0, 1) << " h from the change point)"',
      'fixed(*c.distance_seconds / 60.0, 1) << " h from the change point)"', "the text report's change distances in minutes labelled h"),
    m("fresh13", "doc_title_first_slash", DOC, "r.input.file.substr(r.input.file.find_last_of('/') + 1)",
      "r.input.file.substr(r.input.file.find_first_of('/') + 1)", "the report's title keeps the file's directories (after the first /)"),
    m("fresh13", "csv_plus_number_neutralized", "core/report/export.cpp",
      "if (risky && !((c == '-' || c == '+') && parse_number(v, &x))) v.insert(v.begin(), '\\'');",
      "if (risky && !(c == '-' && parse_number(v, &x))) v.insert(v.begin(), '\\'');",
      "a CSV cell \"+3\" (a plain number) written as '+3"),
    m("fresh13", "sql_trigger_not_exposure", "core/warehouse/sql.cpp",
      "\" LIKE '%impression%' OR \" + v + \" LIKE '%trigger%' THEN 1 ELSE 0 END\"",
      "\" LIKE '%impression%' THEN 1 ELSE 0 END\"", "the warehouse query no longer counts \"trigger\" events as exposures"),
    m("fresh13", "csv_quote_lone_double_quote", BASE_TEXT, 'if (s.find_first_of(",\\"\\r\\n") == std::string_view::npos) return std::string(s);',
      'if (s.find_first_of(",\\r\\n") == std::string_view::npos) return std::string(s);',
      "a CSV field with a double quote but no comma or line break written unquoted"),
    m("fresh13", "ui_banner_for_warn", "ui/healthheader.cpp",
      "const bool alert = state != srm::HealthState::Healthy && state != srm::HealthState::Warn;",
      "const bool alert = state != srm::HealthState::Healthy;", "the red alert banner also shown for a warn-level SRM"),
    m("fresh13", "ui_import_zero_weights_ok", "ui/importdialog.cpp", "if (!m_weights.isEmpty() && total <= 0)", "if (!m_weights.isEmpty() && total < 0)",
      "the import dialog accepts every variant at weight 0 (Analyse enabled)"),
    m("fresh13", "ui_change_point_marker_any_pattern", "ui/chartmodel.cpp",
      "if (report.time_pattern.change_point && report.time_pattern.kind == srm::PatternKind::AtPoint)",
      "if (report.time_pattern.change_point)", "a from_start pattern draws a change-point line at the first bin"),
    m("fresh13", "ui_explanation_share_fraction", "ui/step4page.cpp", ".arg(formatNumber(sg.share_of_imbalance * 100.0, 1))",
      ".arg(formatNumber(sg.share_of_imbalance, 1))", "the explanation text shows the share of the imbalance as a fraction labelled %"),
]

# ---- fresh14: written without reading the tests, from the README's, srm-check
# --help's and the headers' promises on error handling and edge input, reading
# the source for where each case is handled: the SRM test with no units at
# all, Welch's test of two constant groups, the t interval of one unit, --counts
# with --expected naming a variant without a count, an input problem beside a
# severe SRM, a planned variant with no units in the variant-span check; the
# --strict message's line, "NA" unit ids, rows with extra fields, the side
# files' line numbers; an unwritable --report, --warn-alpha/--severe-alpha at
# 0 or 1, the database's exit 69, fractional --counts; the JSON value of a
# not-applicable check, the text report's count of an excluded dimension's
# values, the document's no-timeline note; port 0 in a database URL, numbers
# past the largest double; and in the workbench the screenshot's exit 65 after
# a failed analysis, a cancelled job, the result kept on Cancel, a session that
# cannot be saved, and --segment with an empty dimension ----
MUTANTS += [
    # statistics / diagnosis
    m("fresh14", "zero_units_tested", STATS, '    if (total == 0) throw InputError("no units were observed in any variant");\n', "",
      "counts that are all 0 are tested (p = 1, healthy, exit 0) instead of refused as bad input (65)"),
    m("fresh14", "welch_zero_variance_unguarded", INF, "    if (!(se2 > 0)) return 1.0;\n", "",
      "Welch's t-test of two constant groups divides by 0 (NaN df: an internal error) instead of giving p = 1"),
    m("fresh14", "t_interval_one_unit", INF, "n > 1 ? boost::math::quantile", "n > 0 ? boost::math::quantile",
      "a mean metric's t interval for a variant with one unit asks for t with 0 df (an internal error) instead of a zero-width interval"),
    m("fresh14", "counts_expected_unknown_variant_accepted", PLAN,
      "        if (planned_must_be_observed) throw InputError(\"the expected allocation names variant '\" + n + \"', which has no count\");\n", "",
      "--counts with --expected naming a variant without a count: that variant counted at 0 (a severe SRM) instead of refused"),
    m("fresh14", "input_problem_yields_to_severe", HEALTH, "    if (problem) {\n        h.state = HealthState::InputProblem;",
      "    if (problem && r.srm.severity != Severity::Severe) {\n        h.state = HealthState::InputProblem;",
      "too many rejected rows beside a severe SRM: the health is severe (exit 1), not input_problem (65)"),
    m("fresh14", "absent_planned_variant_not_flagged", CHECKS, "if (r.variants[j].weight <= 0 && r.variants[j].observed == 0) continue;",
      "if (r.variants[j].observed == 0) continue;",
      "a planned variant with no units at all no longer fails the variant added/removed check"),
    # ingestion
    m("fresh14", "strict_line_chunk_start", "core/ingest/loader.cpp",
      'throw InputError(e.second + " (--strict stops at the first bad row)", next_line + e.first);',
      'throw InputError(e.second + " (--strict stops at the first bad row)", next_line);',
      "--strict names the chunk's first data line, not the bad row's line"),
    m("fresh14", "na_unit_id_accepted", "core/ingest/row_decoder_internal.hpp", "if (is_missing(unit)) {", "if (unit.empty()) {",
      'rows whose unit id is "NA", "null", ... are counted as one unit instead of rejected as missing_unit'),
    m("fresh14", "extra_fields_accepted", "core/ingest/parse.cpp", "if (rec.fields.size() != s.ncols) {", "if (rec.fields.size() < s.ncols) {",
      "a row with more fields than the header is read (extra fields dropped) instead of rejected as field_count"),
    m("fresh14", "side_file_row_next_line", SIDE, "else out.rows.emplace_back(here, std::move(fields));",
      "else out.rows.emplace_back(line, std::move(fields));",
      "change log and allocation history rows get the next row's line number (in errors and the change's line)"),
    # cli / pipeline
    m("fresh14", "cli_report_failure_exit_ignored", CLI,
      "if (o.report && !write_report(report, *o.report, o.page_size, renderers, err)) return kExitIo;",
      "if (o.report) write_report(report, *o.report, o.page_size, renderers, err);",
      "a --report that cannot be written: message only, exit by health instead of 74"),
    m("fresh14", "cli_alpha_closed_range", CLI, 'return option_number(flag, value, open_range, 0.0, 1.0, "a probability between 0 and 1");',
      'return option_number(flag, value, closed_range, 0.0, 1.0, "a probability between 0 and 1");',
      "--warn-alpha 1 and --severe-alpha 0 accepted instead of a usage error"),
    m("fresh14", "cli_database_error_exit_65", CLI, "return kExitUnavailable;", "return kExitBadInput;",
      "an unreachable database, refused login or dropped connection exits 65 instead of 69"),
    m("fresh14", "counts_fraction_accepted", PIPE, "if (v != std::floor(v) || v > 9.0e15) throw", "if (v > 9.0e15) throw",
      "--counts a=10.5 truncated to 10 instead of refused as not a whole number"),
    # report
    m("fresh14", "json_na_check_value_zero", JSON, '{"value", c.value ? json(*c.value) : json(nullptr)}', '{"value", json(c.value.value_or(0.0))}',
      "checks without a value (not applicable, manual) get value 0 in the JSON instead of null"),
    m("fresh14", "text_excluded_dimension_values_off_by_one", TEXT_REPORT, "<< (distinct > 0 ? distinct - 1 : 0) <<", "<< distinct <<",
      "the text report says a left-out dimension has more than 201 values (one more than the limit)"),
    m("fresh14", "doc_no_timeline_note_missing", DOC,
      '    if (r.timeline.points.empty()) s.blocks.push_back(paragraph("No times in the data: no timeline.", "note"));\n', "",
      "the document's Step 1 of data without times (or --counts) loses its 'no timeline' note"),
    # warehouse / base
    m("fresh14", "db_url_port_zero", "core/warehouse/sql.cpp", "if (p < 1 || p > 65535) throw", "if (p > 65535) throw",
      "a database URL with port 0 accepted (connects to the default port) instead of a usage error"),
    m("fresh14", "number_overflow_zero", BASE_TEXT, ": s[0] == '-' ? -HUGE_VAL : HUGE_VAL;", ": 0.0;",
      "a number past the largest double (1e400) read as 0 (--counts a=1e400 counts 0) instead of infinity"),
    # workbench
    m("fresh14", "ui_screenshot_failed_exit_0", "ui/windowcapture.cpp", "        m_failed = true;\n", "",
      "--screenshot after a failed analysis exits 0 instead of 65"),
    m("fresh14", "ui_cancel_reported_as_failure", "ui/analysisengine.cpp", "            out.cancelled = true;\n", "",
      "a cancelled job is reported as a failure with an empty message, not as cancelled"),
    m("fresh14", "ui_cancel_clears_previous", "ui/mainwindow.cpp", "    if (!m_report) clearPages();\n", "    clearPages();\n",
      "Cancel clears the pages of the previous result the status bar says is still shown"),
    m("fresh14", "ui_failed_save_marked_saved", "ui/sessioncontroller.cpp",
      '        m_dialogs->error(m_window, tr("Save Session"), error);\n        return false;\n',
      '        m_dialogs->error(m_window, tr("Save Session"), error);\n',
      "a session that cannot be written is still marked saved (path, recent files, not modified)"),
    m("fresh14", "ui_segment_empty_dimension", "ui/commandline.cpp", "if (eq <= 0) throw", "if (eq < 0) throw",
      "--segment =VALUE (no dimension) accepted instead of a usage error"),
]

# ---- fresh15: written without looking at the tests, from the users' workflows as the seeds
# (the platform SRM check, Amplitude's debugging checklist, the SRM glossary) and README.md
# describe them: for each promised step the code that does it was read (the four-step diagnosis,
# the support checklist, the reports handed back, the workbench's header, pages, checklist and
# sessions, the warehouse query and the simulator that makes the test data) and a bug a developer
# could make there was put in, preferring lines no earlier mutant touches. The bugs: a break
# concentrated in one segment also reported as a probable allocation change; the timeline's
# per-point new units never reset (cumulative); Welch's variance of each arm taken around the
# control's mean; a warning check no longer shown on the navigator's Checklist entry; the verdict
# counting a group metric as differing by its unadjusted p instead of its Holm flag; the Monte
# Carlo exact p-value without its +1 (can be 0); warehouse aggregates' srm_assigned_variant not
# marking units as assigned; --hour-col hours added as minutes; force_included not recognised as
# the inclusion column; rows outside --window not recorded; --print-sql/--db dropping the window's
# end; the "window applied by the query" warning only when both ends are given; the exact window's
# whole-span traffic end set to its start; a preview window labelled exact; the report's Step 3
# distances in minutes labelled hours; a rate interval's upper end not in percent in the reports;
# the text report dropping a reviewer's notes on an unticked item; Markdown table cells keeping
# line breaks; the warehouse query ranking only exposures (assignments dropped); the simulated
# assignment->exposure drop hitting every arm; the header's "observed vs expected" showing the
# observed share twice; the checklist summary counting a note as an answer; Step 4's selected
# segment's raw p shown as the Holm-adjusted one; ticking a checklist item not marking the session
# as modified. ----
MUTANTS += [
    # statistics / diagnosis
    m("fresh15", "alloc_change_ignores_conc", "core/diagnosis/checks.cpp",
      "if (tp.kind == PatternKind::AtPoint && report.srm.srm() && !conc) {",
      "if (tp.kind == PatternKind::AtPoint && report.srm.srm()) {",
      "a break at a point concentrated in one segment is also reported as a probable allocation change"),
    m("fresh15", "timeline_new_not_reset", "core/diagnosis/step1_time_pattern.cpp",
      "        std::fill(fresh.begin(), fresh.end(), 0);\n        std::fill(fresh_expected.begin(), fresh_expected.end(), 0.0);\n",
      "",
      "the timeline's new units per point are never reset: each point's new units are cumulative"),
    m("fresh15", "welch_var_control_mean", "core/diagnosis/step2_group_metrics.cpp",
      "sample_variance(sum_sq[j], m1, n1)",
      "sample_variance(sum_sq[j], m0, n1)",
      "Welch's t-test takes each arm's variance around the control's mean"),
    m("fresh15", "checklist_step_warn_ignored", "core/diagnosis/health.cpp",
      "state(true, warn || fail, fail)",
      "state(true, fail, fail)",
      "a check that only warns no longer marks the navigator's Checklist step"),
    m("fresh15", "verdict_flag_raw_p", "core/diagnosis/verdict.cpp",
      "if (m.flag) f.flagged.push_back(m.metric);",
      "if (m.p_value < 0.05) f.flagged.push_back(m.metric);",
      "the verdict counts a group metric as differing by its unadjusted p rather than its Holm flag"),
    m("fresh15", "mc_p_no_plus_one", "core/stats/stats.cpp",
      "out.p_value = (static_cast<double>(hits) + 1.0) / (static_cast<double>(samples) + 1.0);",
      "out.p_value = static_cast<double>(hits) / static_cast<double>(samples);",
      "the Monte Carlo exact multinomial p-value is hits / samples (can be 0) instead of (hits + 1) / (samples + 1)"),
    # ingestion
    m("fresh15", "agg_assigned_not_flagged", "core/ingest/fold.cpp",
      "            if (row[layout.kind] & kRowAssigned) {\n                flags |= kAssigned;\n",
      "            if (row[layout.kind] & kRowAssigned) {\n",
      "aggregated rows with srm_assigned_variant no longer mark their units as assigned (the funnel loses them)"),
    m("fresh15", "hour_col_minutes", "core/ingest/row_decoder_internal.hpp",
      "t += static_cast<std::int64_t>(h) * 3600 * kUsPerSecond;",
      "t += static_cast<std::int64_t>(h) * 60 * kUsPerSecond;",
      "the --hour-col hour of day is added to the date as minutes"),
    m("fresh15", "force_included_name", "core/ingest/column_names.cpp",
      "{Role::Inclusion, {\"force_included\", \"forced\",",
      "{Role::Inclusion, {\"forced\",",
      "a force_included column is no longer found as the inclusion column (it becomes a metric)"),
    m("fresh15", "outside_window_not_recorded", "core/ingest/loader.cpp",
      "        ds.rows_outside_window = s_.outside_window;\n",
      "",
      "rows outside the --window are not recorded (rows_outside_window stays 0)"),
    # cli / pipeline
    m("fresh15", "sql_window_end_dropped", "core/cli/cli.cpp",
      "    q.window_end = o.request.window_end;\n",
      "",
      "--print-sql and --db ignore the end of --window"),
    m("fresh15", "db_window_warning_both", "core/cli/cli.cpp",
      "if (o.db && (o.request.window_start || o.request.window_end))",
      "if (o.db && o.request.window_start && o.request.window_end)",
      "--db's 'window applied by the query' input warning only when both ends of the window are given"),
    m("fresh15", "window_traffic_end_start", "core/pipeline/analysis.cpp",
      "whole_report.window.traffic_start, whole_report.window.traffic_end, whole_report.srm}",
      "whole_report.window.traffic_start, whole_report.window.traffic_start, whole_report.srm}",
      "the exact window's whole-span traffic end is set to the traffic start"),
    m("fresh15", "preview_window_exact", "core/pipeline/analysis.cpp",
      "r.scope.exact_window = !refinement.window;",
      "r.scope.exact_window = true;",
      "a window preview (by first exposure) of the loaded data is labelled exact"),
    # report
    m("fresh15", "doc_change_distance_minutes", "core/report/document.cpp",
      "fixed(*c.distance_seconds / 3600.0, 1) + \" h\"",
      "fixed(*c.distance_seconds / 60.0, 1) + \" h\"",
      "the report document's Step 3 distance to the change point is in minutes but labelled hours"),
    m("fresh15", "doc_rate_ci_high_share", "core/report/document.cpp",
      "fixed(v.ci_high * 100.0, 2) + \"] %\"",
      "fixed(v.ci_high, 2) + \"] %\"",
      "the report document's rate interval gives its upper end as a share, not in percent"),
    m("fresh15", "text_notes_only_dropped", "core/report/text.cpp",
      "if (a.id == c.id && (a.done || !a.notes.empty()))",
      "if (a.id == c.id && a.done)",
      "the text report drops a reviewer's notes on a checklist item not ticked"),
    m("fresh15", "md_cell_line_breaks", "core/report/markdown.cpp",
      "markdown_escape(one_line(row[c]), true)",
      "markdown_escape(row[c], true)",
      "Markdown table cells keep their line breaks (a multi-line note breaks the table)"),
    # warehouse / simulate
    m("fresh15", "sql_rank_exposures_only", "core/warehouse/sql.cpp",
      "\"    WHERE srm_kind > 0 AND \"",
      "\"    WHERE srm_kind = 1 AND \"",
      "the warehouse query ranks only exposures: assignments are dropped (no srm_assigned_variant)"),
    m("fresh15", "sim_exposure_drop_all_arms", "core/simulate/simulate.cpp",
      "if (spec.scenario == Scenario::AssignmentExposureDrop && treatment) p -= st.s;",
      "if (spec.scenario == Scenario::AssignmentExposureDrop) p -= st.s;",
      "the simulated assignment -> exposure drop hits every arm, not only treatment"),
    # ui
    m("fresh15", "header_expected_share", "ui/healthheader.cpp",
      "formatShare(v.observed_share),\n                             formatShare(v.expected_share));",
      "formatShare(v.observed_share),\n                             formatShare(v.observed_share));",
      "the header's observed vs expected per variant shows the observed share twice"),
    m("fresh15", "checklist_note_counts_answered", "ui/pages.cpp",
      "answered += it != answers.end() && it->done ? 1 : 0;",
      "answered += it != answers.end() ? 1 : 0;",
      "the checklist summary counts a reviewer question with only a note (not ticked) as answered"),
    m("fresh15", "step4_segment_raw_p", "ui/step4page.cpp",
      "formatP(seg.adjusted_p_value, seg.log10_adjusted_p_value)));",
      "formatP(seg.p_value, seg.log10_p_value)));",
      "Step 4's selected-segment title shows the raw p as the Holm-adjusted p"),
    m("fresh15", "answers_not_modified", "ui/sessioncontroller.cpp",
      "    m_session.answers = answers;\n    setModified(true);",
      "    m_session.answers = answers;",
      "ticking a checklist item or noting it does not mark the session as modified (no unsaved-changes prompt)"),
]

# ---- fresh16: written without reading the tests, from the README's and the seeds' workflows,
# on functions and lines no earlier round touched: the sign of each variant's deviation, the
# exact multinomial enumeration, the verdict's next steps when a check fails without an SRM and
# its "the other N units" sentence, the navigator's Summary step at warn, the funnel check's value
# in pp; rows at the --window start, fractional counts, other event types, an ISO date beside an
# hour column; --counts with --window, two input files, the total units of aggregated data, the
# headless workbench's exit; the JSON's metric interval, the text timeline's share, the document's
# Holm column, exported CSV line ends; the simulator's aggregated export, header names with spaces;
# and the workbench's session near-hours, the Step 4 "explains" mark, the exact window of a
# segment and the header's severe alpha ----
MUTANTS += [
    # statistics / diagnosis
    m("fresh16", "f16_deviation_sign", "core/stats/stats.cpp",
      "vr.deviation_pp = (vr.observed_share - vr.expected_share) * 100.0;",
      "vr.deviation_pp = (vr.expected_share - vr.observed_share) * 100.0;",
      "each variant's deviation has the wrong sign (an over-represented arm shows -x pp in every report)"),
    m("fresh16", "f16_enumeration_misses_last", "core/stats/stats.cpp",
      "for (std::uint64_t x = 0; x <= remaining; ++x)",
      "for (std::uint64_t x = 0; x < remaining; ++x)",
      "the exact multinomial test (3+ arms, expected < 5) skips the outcomes giving an arm all the remaining units: p too small"),
    m("fresh16", "f16_verdict_check_failed_trusted", "core/diagnosis/verdict.cpp",
      "if (hs == HealthState::InputProblem || hs == HealthState::CheckFailed) {",
      "if (hs == HealthState::InputProblem) {",
      "no SRM but a failed check: the verdict drops the health headline and says the split gives no reason to distrust the results"),
    m("fresh16", "f16_verdict_rest_units_all", "core/diagnosis/verdict.cpp",
      '<< group_thousands(report.explanation.remaining_units) << " units match the plan',
      '<< group_thousands(report.srm.units) << " units match the plan',
      "the localized verdict's \"Without X, the other N units match the plan\" gives all units, not the rest's"),
    m("fresh16", "f16_summary_step_warn_severe", "core/diagnosis/health.cpp",
      "state(true, unhealthy, unhealthy && hs != HealthState::Warn)",
      "state(true, unhealthy, unhealthy)",
      "the navigator's Summary step is severe (red) for a warn-level SRM"),
    m("fresh16", "f16_funnel_value_share", "core/diagnosis/checks.cpp",
      "c.value = (hi - lo) * 100.0;",
      "c.value = hi - lo;",
      "the funnel check's value (JSON, health headline 'differs by X pp') is a share, not percentage points"),
    # ingestion
    m("fresh16", "f16_window_start_exclusive", "core/ingest/row_decoder_internal.hpp",
      "(s_.opt.window_start && t < *s_.opt.window_start)",
      "(s_.opt.window_start && t <= *s_.opt.window_start)",
      "--window drops the rows exactly at its start (counted outside the window)"),
    m("fresh16", "f16_fractional_count_truncated", "core/ingest/row_decoder_internal.hpp",
      "dv >= 0 && dv == std::floor(dv) && dv < 1.8e19",
      "dv >= 0 && dv < 1.8e19",
      "an aggregated count of 10.5 is read as 10 units instead of rejected as bad_count"),
    m("fresh16", "f16_other_events_not_counted", "core/ingest/loader.cpp",
      "        ds.rows_other_events += c.other;\n", "",
      "rows of other event types are not counted (JSON rows_other_events 0, no '... of other event types')"),
    m("fresh16", "f16_iso_date_not_date_only", "core/ingest/time_detect.cpp",
      'TimeReading{std::nullopt, date_only == iso, "ISO 8601 times"}',
      'TimeReading{std::nullopt, false, "ISO 8601 times"}',
      "an ISO date-only column is not known as date-only: an hour-of-day column beside it is not found (times at midnight)"),
    # cli / pipeline / app
    m("fresh16", "f16_counts_window_accepted", "core/cli/cli.cpp",
      "if (o.counts && (o.request.changes_file || o.request.allocation_file || o.request.window_start || o.request.window_end))",
      "if (o.counts && (o.request.changes_file || o.request.allocation_file))",
      "--counts with --window is accepted (the window silently ignored) instead of a usage error (64)"),
    m("fresh16", "f16_two_input_files", "core/cli/cli.cpp",
      "            if (o.request.file) throw UsageError(\"more than one input file given ('\" + *o.request.file + \"' and '\" + arg + \"')\");\n", "",
      "two input files: the last one is analysed instead of a usage error (64)"),
    m("fresh16", "f16_units_total_rows", "core/pipeline/analysis.cpp",
      "n += ds.weight_of(i);", "++n;",
      "aggregated data under a window or segment: the scope's units in all count rows, not units ('of N units', JSON scope.units_total)"),
    m("fresh16", "f16_headless_check_failed_exit", "app/srm_workbench_main.cpp",
      "code == srm::kExitSrm || code == srm::kExitCheckFailed ? 0 : code",
      "code == srm::kExitSrm ? 0 : code",
      "srm-workbench without a display exits 2 for a failed check instead of 0 (the report was printed)"),
    # report
    m("fresh16", "f16_json_ci_high_low", "core/report/json.cpp",
      '{"ci_high", v.ci_high}', '{"ci_high", v.ci_low}',
      "the JSON's group metric interval has ci_high equal to ci_low"),
    m("fresh16", "f16_text_timeline_share_last", "core/report/text.cpp",
      "static_cast<double>(pt.cumulative.front()) / static_cast<double>(total)",
      "static_cast<double>(pt.cumulative.back()) / static_cast<double>(total)",
      "the text report's timeline column '<first variant> share' shows the last variant's share"),
    m("fresh16", "f16_doc_holm_column_raw", "core/report/document.cpp",
      'i == 0 ? p_of(m.adjusted_p_value) : ""', 'i == 0 ? p_of(m.p_value) : ""',
      "the report document's Step 2 'Holm-adjusted p' column shows the unadjusted p (HTML, PDF, Markdown)"),
    m("fresh16", "f16_csv_lf_line_ends", "core/report/export.cpp",
      '        out += "\\r\\n";\n', '        out += "\\n";\n',
      "an exported table CSV ends its rows with LF, not RFC 4180's CRLF"),
    # simulate / base
    m("fresh16", "f16_sim_aggregated_counts_exposures", "core/simulate/simulate.cpp",
      "if (e.kind != 0 || seen[e.user]) continue;", "if (e.kind != 0) continue;",
      "srm-simulate --aggregated counts every exposure, not each user's first: its users differ from the event file's"),
    m("fresh16", "f16_names_space_not_underscore", "core/base/text.cpp",
      "if (c == ' ' || c == '-' || c == '.' || c == '/') c = '_';",
      "if (c == '-' || c == '.' || c == '/') c = '_';",
      "names with spaces are not normalised: 'User ID', 'Deployed At' columns and 'No E-Mail' arms are no longer recognised"),
    # workbench
    m("fresh16", "f16_session_near_hours", "ui/session.cpp",
      "    r.near_change_hours = settings.nearHours;\n", "",
      "a session's near-hours are not used: a reopened session (or one given a change log) marks changes near within 24 h"),
    m("fresh16", "f16_ui_pair_marked_explains", "ui/reportmodels.cpp",
      "if (sg.conditions.size() == 1) {", "if (sg.conditions.size() >= 1) {",
      "Step 4's table marks each value of an explaining pair as '\u25C6 explains' instead of '\u25C7 part of A and B'"),
    m("fresh16", "f16_ui_exact_window_drops_segment", "ui/analysisengine.cpp",
      "refinement.window->second, refinement.segment, progress, cancel)",
      "refinement.window->second, std::nullopt, progress, cancel)",
      "a window with a segment: the exact count that replaces the preview is of the whole window, the segment lost"),
    m("fresh16", "f16_ui_header_severe_alpha", "ui/healthheader.cpp",
      ".arg(localizeNumber(srm::format_general(report.options.thresholds.severe, 6)))",
      ".arg(localizeNumber(srm::format_general(report.options.thresholds.warn, 6)))",
      "the header says 'severe below p = ' the warn alpha"),
]

# ---- fresh17: written without reading the tests (only mutants.py, to avoid repeats), from README.md's
# workflows, srm-check --help and the source itself, on lines no earlier round touched: the exact
# binomial's lower tail, the phased SRM test, the variant-span check's hours, the jumping headline's
# percent, the timeline's deviation sign, the one-segment segment-limited verdict; CR line ends, the
# %z layout's sign, unit counts before exposure counts, the first rejected line by reason; flags given
# a value, --print-sql with --db, --shape events, a window with an open start; the JSON's expected
# cumulative units, the text report's from_start change point and rows outside the window, the
# document's planned share; the warehouse query's first-event ranking, thousands separators; and the
# workbench's session alphas, the Preferences dialog's value, the health badge and recent files ----
MUTANTS += [
    # statistics / diagnosis
    m("fresh17", "f17_binomial_lower_tail_skips_boundary", "core/stats/stats.cpp",
      "for (std::uint64_t i = lo + 1; i-- > 0;) {",
      "for (std::uint64_t i = lo; i-- > 0;) {",
      "the exact binomial test (two arms, an expected count below 5) leaves the lower tail's boundary outcome out: "
      "p too small (e.g. --counts a=1,b=8 reads as a stronger SRM than it is)"),
    m("fresh17", "f17_phased_test_uses_last_phase", "core/diagnosis/plan.cpp",
      "if (grid.n_phases == 1 || std::accumulate(tally.phase_units.begin()",
      "if (grid.n_phases > 1 || std::accumulate(tally.phase_units.begin()",
      "with --allocation the SRM test (still labelled chi_square_phased) tests every unit against the last phase's split: "
      "a planned allocation change reads as a severe SRM, expected counts/shares are the last phase's"),
    m("fresh17", "f17_span_check_value_seconds", "core/diagnosis/checks.cpp",
      "c.value = worst / 3600.0;",
      "c.value = worst;",
      "the variant_added_removed check's value (JSON checks[].value, the gap in hours) is given in seconds"),
    m("fresh17", "f17_health_jumping_phrase_share", "core/diagnosis/health.cpp",
      'if (c.id == "variant_jumping") return percent(v) + " of units',
      'if (c.id == "variant_jumping") return format_fixed(v, 1) + " % of units',
      "a check_failed headline for variant jumping says '0.1 % of units were seen in more than one variant' for 8 % (the share printed as a percent)"),
    m("fresh17", "f17_timeline_deviation_sign", "core/diagnosis/step1_time_pattern.cpp",
      "dev[j] = (static_cast<double>(observed[j]) / n - q) * 100.0;",
      "dev[j] = (q - static_cast<double>(observed[j]) / n) * 100.0;",
      "the timeline's share deviations (JSON timeline share_deviation_pp, the drift chart, the hover text) have the wrong sign: "
      "an arm that gets too many units drifts below 0"),
    m("fresh17", "f17_verdict_one_segment_same_way", "core/diagnosis/verdict.cpp",
      "if (towards.size() <= 1)",
      "if (towards.size() < 1)",
      "a segment-limited SRM in a single segment gets the verdict 'The segments skew the same way but are too small a part...' "
      "instead of 'The skew is confined to that segment...'"),
    # ingestion / time parsing
    m("fresh17", "f17_sniff_cr_read_as_crlf", "core/ingest/sniffer.cpp",
      "d.line_end = text[pos] == '\\n' ? \"LF\" : (pos + 1 < text.size() && text[pos + 1] == '\\n') ? \"CRLF\" : \"CR\";",
      "d.line_end = text[pos] == '\\n' ? \"LF\" : \"CRLF\";",
      "a file with old-Mac CR line ends is reported as CRLF (JSON input.dialect.line_end, 'CRLF line ends' in the text and document)"),
    m("fresh17", "f17_layout_zone_sign", "core/base/timeformat.cpp",
      "const int sign = s[at] == '-' ? -1 : 1;",
      "const int sign = s[at] == '-' ? 1 : -1;",
      "--time-format with %z (e.g. '%d/%m/%Y %H:%M:%S %z') applies the UTC offset the wrong way: "
      "'+0200' times land 4 h late (timeline, window, change point)"),
    m("fresh17", "f17_count_exposures_before_units", "core/ingest/column_names.cpp",
      "!= kExposureCounts.end() ? 1 : 0;",
      "!= kExposureCounts.end() ? 0 : 1;",
      "an aggregated file with both a 'users' and an 'exposures' column counts exposures instead of units "
      "(the README's 'unit counts before exposure counts' reversed)"),
    m("fresh17", "f17_first_rejected_line_is_last", "core/ingest/row_decoder_internal.hpp",
      "        if (c_.rejected.first[w] == Rejections::kNone) c_.rejected.first[w] = line;",
      "        c_.rejected.first[w] = line;",
      "the first rejected line by reason is the last one of its kind (JSON first_rejected_line_by_reason, "
      "'(first on line N)' in the rows_rejected warning)"),
    # cli / pipeline
    m("fresh17", "f17_cli_flag_with_value_accepted", "core/cli/cli.cpp",
      '            if (inline_value) throw UsageError(arg + " takes no value");\n',
      "",
      "a flag given a value (--json=no, --strict=false) is accepted and switched on instead of a usage error (64)"),
    m("fresh17", "f17_cli_print_sql_and_db_accepted", "core/cli/cli.cpp",
      '    if (o.print_sql && o.db) throw UsageError("give either --print-sql or --db, not both");\n',
      "",
      "--print-sql together with --db prints the query and exits 0 instead of a usage error (64)"),
    m("fresh17", "f17_cli_shape_events_ignored", "core/cli/cli.cpp",
      'if (v == "events") o.request.load.shape = Shape::Events;',
      'if (v == "events") o.request.load.shape.reset();',
      "--shape events is not passed on: a file that looks like aggregated counts is still read as counts (rows weighted by the count column)"),
    m("fresh17", "f17_window_open_start_epoch", "core/pipeline/analysis.cpp",
      "start.value_or(whole_report.window.traffic_start.value_or(0))",
      "start.value_or(0)",
      "--window ,END (open start): the scope says 'Window 1970-01-01 00:00 - ...' (SHOWING line, JSON scope.window.start) instead of the traffic's start"),
    # reports
    m("fresh17", "f17_json_expected_cumulative_is_new", "core/report/json.cpp",
      "expected[tl.variants[v]] = pt.expected_cumulative[v];",
      "expected[tl.variants[v]] = pt.expected_new[v];",
      "the JSON timeline's expected_cumulative gives each point's own expected units, not the cumulative ones"),
    m("fresh17", "f17_text_from_start_no_change_point", "core/report/text.cpp",
      '    if (tp.change_point) o << " at " << format_iso8601(*tp.change_point);',
      '    if (tp.change_point && tp.kind == PatternKind::AtPoint) o << " at " << format_iso8601(*tp.change_point);',
      "the text report's Step 1 line of a from_start pattern loses ' at <start time>' (the JSON still has the change point)"),
    m("fresh17", "f17_text_outside_window_count_wrong", "core/report/text.cpp",
      '<< group_thousands(in.rows_outside_window) << " outside the window";',
      '<< group_thousands(in.rows_other_events) << " outside the window";',
      "with --window the text report's Read line gives the count of other-event rows as the rows outside the window (often '0 outside the window')"),
    m("fresh17", "f17_doc_planned_share_observed", "core/report/document.cpp",
      "pct(v.expected_share), signed_pp(v.deviation_pp)",
      "pct(v.observed_share), signed_pp(v.deviation_pp)",
      "the report document's split table (HTML, PDF, Markdown) shows the observed share in the 'Planned share' column"),
    # warehouse / base
    m("fresh17", "f17_sql_rank_across_kinds", "core/warehouse/sql.cpp",
      "ROW_NUMBER() OVER (PARTITION BY srm_unit, srm_kind ORDER BY",
      "ROW_NUMBER() OVER (PARTITION BY srm_unit ORDER BY",
      "with --event-col the warehouse query (--print-sql, --db) keeps only each unit's first event of any kind: units assigned "
      "before their exposure come out as assigned and never exposed (no bucket, no variant)"),
    m("fresh17", "f17_group_thousands_leading_comma", "core/base/text.cpp",
      "if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';",
      "if ((digits.size() - i) % 3 == 0) out += ',';",
      "numbers of 3, 6, 9 ... digits get a leading comma in the text report and documents (',821,588 units', ',100 rows read')"),
    # workbench
    m("fresh17", "f17_ui_session_thresholds_ignored", "ui/session.cpp",
      "    r.options.thresholds = settings.thresholds;\n",
      "",
      "the workbench ignores a session's (or its command line's) --warn-alpha/--severe-alpha: the health and header use 0.01/0.001"),
    m("fresh17", "f17_ui_prefs_dialog_default_value", "ui/preferencesdialog.cpp",
      "    m_concentration->setValue(current.priorConcentration);\n",
      "    m_concentration->setValue(AnalysisPreferences{}.priorConcentration);\n",
      "Preferences always opens at the default prior concentration (100), not the saved one; OK then resets a saved 10,000 to 100"),
    m("fresh17", "f17_ui_badge_segment_limited_yes", "ui/healthbadge.cpp",
      'const QString answer = s == srm::HealthState::Healthy ? tr("Yes")',
      'const QString answer = s == srm::HealthState::Healthy || s == srm::HealthState::SegmentLimited ? tr("Yes")',
      "the health badge answers 'Is exposure balanced? Yes' for an SRM inside segments (segment_limited)"),
    m("fresh17", "f17_ui_recent_appended", "ui/sessioncontroller.cpp",
      "    recent.prepend(path);\n",
      "    recent.append(path);\n",
      "File > Recent lists the file just opened last, and once eight are listed it drops the newest instead of the oldest"),
]

# ---- fresh18: written without reading the tests (only mutants.py, to avoid repeats), from the
# source itself, on lines no earlier round touched ----
MUTANTS += [
    # stats / diagnosis
    m("fresh18", "f18_t_interval_se_without_n", "core/stats/inference.cpp",
      "const double se = std::sqrt(variance / n);", "const double se = std::sqrt(variance);",
      "a mean metric's t interval uses the standard deviation instead of the standard error: intervals sqrt(n) times too wide "
      "(JSON group_metrics ci_low/ci_high, text and document Step 2, the workbench's metrics table)"),
    m("fresh18", "f18_welch_se_var1_over_n0", "core/stats/inference.cpp",
      "const double se2 = var0 / n0 + var1 / n1;", "const double se2 = var0 / n0 + var1 / n0;",
      "Welch's t-test divides the compared arm's variance by the control's n: a mean metric's p (and flag) is wrong when the arms differ in size"),
    m("fresh18", "f18_bic_from_start_unpenalized", "core/diagnosis/step1_time_pattern.cpp",
      "tp.bic_constant = -2 * f.ll1 + p * lnN;", "tp.bic_constant = -2 * f.ll1;",
      "the from_start model's BIC does not pay for its parameters: a split that follows the plan over time reads as time pattern "
      "from_start (with a change point at the start) instead of none"),
    m("fresh18", "f18_sequential_p_first_hour", "core/diagnosis/step1_time_pattern.cpp",
      "sq.log10_p_value = std::max(seq_log10.back(), -1e300);", "sq.log10_p_value = std::max(seq_log10.front(), -1e300);",
      "the sequential test's p is the first hour's, not the running minimum at the end (JSON sequential.p_value, "
      "'Sequential (anytime-valid) test: p =' in the text and document)"),
    m("fresh18", "f18_metric_control_against_itself", "core/diagnosis/step2_group_metrics.cpp",
      "        if (j == c) continue;\n", "",
      "the control is also compared with itself (p = 1): Holm counts one comparison too many, so with two arms a metric's p is doubled "
      "(and a metric just under alpha is no longer flagged)"),
    m("fresh18", "f18_verdict_near_distance_signed", "core/diagnosis/verdict.cpp",
      "<< hours(std::fabs(*f.near->distance_seconds)) << \" from it.\"", "<< hours(*f.near->distance_seconds) << \" from it.\"",
      "the verdict says a change before the change point is '-3.0 h from it' (negative hours) instead of '3.0 h from it'"),
    # ingest
    m("fresh18", "f18_side_file_leading_blanks_kept", "core/ingest/side_files.cpp",
      "            while (!s.empty() && (s.front() == ' ' || s.front() == '\\t')) s.erase(s.begin());\n", "",
      "change log and allocation history fields keep their leading blanks: 'a, b' headers (' kind', ' description') are not found, "
      "kinds read ' deployment', a weight ' 50' is refused"),
    m("fresh18", "f18_metric_last_row_only", "core/ingest/fold.cpp",
      "        acc += v;\n", "        acc = v;\n",
      "a unit's metric is its last row's value instead of the sum over its rows (a 0/1 metric: the last row, not 'any'; a mean metric: "
      "one row's value)"),
    m("fresh18", "f18_blank_lines_not_counted", "core/ingest/parse.cpp",
      "            ++c.blank;\n", "",
      "blank lines in the data are skipped but not counted (JSON input.blank_lines stays 0)"),
    m("fresh18", "f18_other_events_counted_without_units", "core/ingest/row_decoder_internal.hpp",
      "            if (r_.unit < 0) return;  // without unit ids nothing else uses the row\n", "",
      "event-level data without a unit column: rows of other event types (clicks, purchases) are counted as exposures of their variant"),
    # cli / pipeline
    m("fresh18", "f18_cli_dash_unknown_option", "core/cli/cli.cpp",
      "} else if (arg.size() > 1 && arg[0] == '-') {", "} else if (arg.size() > 0 && arg[0] == '-') {",
      "'srm-check -' (standard input, a pipe) is refused as the unknown option '-' (exit 64)"),
    m("fresh18", "f18_cli_table_with_file_accepted", "core/cli/cli.cpp",
      "    if (o.table) throw UsageError(\"--table is for --print-sql and --db\");\n", "",
      "--table with a FILE (no --print-sql or --db) is silently ignored instead of a usage error (64)"),
    m("fresh18", "f18_cli_file_and_counts_accepted", "core/cli/cli.cpp",
      "    if (o.request.file && o.counts) throw UsageError(\"give either a FILE or --counts, not both\");\n", "",
      "a FILE and --counts together: the file is analysed and --counts silently ignored, instead of a usage error (64)"),
    m("fresh18", "f18_counts_rows_read_zero", "core/pipeline/analysis.cpp",
      "    input.rows_read = observed.size();\n", "",
      "--counts: the report's input.rows_read is 0 instead of the number of variants given (JSON input.rows_read)"),
    # report
    m("fresh18", "f18_json_band_is_new_units_band", "core/report/json.cpp",
      "band[tl.variants[v]] = pt.band_pp[v];", "band[tl.variants[v]] = pt.new_band_pp[v];",
      "the JSON timeline's band_pp is the band of the point's own new units, not of the cumulative share (far too wide)"),
    m("fresh18", "f18_text_zero_more_rejected", "core/report/text.cpp",
      "    if (in.rows_rejected > shown)\n", "    if (in.rows_rejected >= shown)\n",
      "the text report says '... and 0 more rejected rows (all listed up to N in --json)' when every rejected row is listed "
      "(also for a file without rejected rows)"),
    m("fresh18", "f18_doc_severity_underscore", "core/report/charts_svg.cpp",
      "    std::replace(s.begin(), s.end(), '_', ' ');\n", "",
      "the report document's severity words keep the underscore: 'too_small' instead of 'too small' in the Step 4 tables and the "
      "breakdown chart (HTML, PDF, Markdown)"),
    m("fresh18", "f18_html_table_notes_dropped", "core/report/html.cpp",
      '        if (!t.note.empty()) o << "<p class=\\"table-note\\">" << html_escape(t.note) << "</p>\\n";\n', "",
      "the HTML report drops the tables' notes: the explanation's rest ('The rest: N units, p = ...'), '... and N more values', "
      "'... and N more rejected rows'"),
    # warehouse / simulate
    m("fresh18", "f18_sql_multi_any_kind", "core/warehouse/sql.cpp",
      "MAX(CASE WHEN srm_kind = 1 AND srm_vmin <> srm_vmax THEN 1 ELSE 0 END) AS srm_multi",
      "MAX(CASE WHEN srm_vmin <> srm_vmax THEN 1 ELSE 0 END) AS srm_multi",
      "the warehouse query (--print-sql, --db) flags srm_multi_variant from any kind of event: with --event-col a unit assigned in two "
      "variants but exposed in one counts as a variant jumper"),
    m("fresh18", "f18_sim_deployment_drop_all_browsers", "core/simulate/simulate.cpp",
      "Scenario::DeploymentDrop && treatment && info.browser == st.affected && arrival",
      "Scenario::DeploymentDrop && treatment && arrival",
      "srm-simulate's deployment_drop loses treatment exposures in every browser, not only the affected one: the SRM it makes is "
      "global, not localized to browser = Safari as its truth says"),
    # ui
    m("fresh18", "f18_ui_band_lower_positive", "ui/chartmodel.cpp",
      "band.lower.push_back(QPointF(ms(p.time), -p.band_pp[v]));", "band.lower.push_back(QPointF(ms(p.time), p.band_pp[v]));",
      "the drift chart's band has its lower edge at +band instead of -band: the shaded band collapses to a line above 0"),
    m("fresh18", "f18_ui_top_row_skips_pair", "ui/reportmodels.cpp",
      "for (const Part part : {Part::Explains, Part::PartOf})", "for (const Part part : {Part::Explains})",
      "Step 4's segments table starts at the top-ranked segment instead of a value that is part of an explaining pair (topRow)"),
    m("fresh18", "f18_ui_two_arm_presets_for_three", "ui/importdialog.cpp",
      "b->setEnabled(variants.size() == 2);", "b->setEnabled(variants.size() >= 2);",
      "the import dialog's 50/50 and 90/10 presets stay enabled for three variants (and then plan the third at 0)"),
    m("fresh18", "f18_ui_relocated_session_unmodified", "ui/sessioncontroller.cpp",
      "setModified(moved);  // relocated files are a change worth saving", "setModified(false);",
      "a session opened after locating its moved files is not marked modified: the new paths are lost without an unsaved-changes prompt"),
]

# ---- fresh19: written without reading the tests (only mutants.py, to avoid repeats), from the source itself, on
# ---- fresh19: lines no earlier round touched: mean metrics, two-arm timelines, zip/zstd/quoted input, --bucket/--delimiter, sessions ----
MUTANTS += [
    # stats / diagnosis
    m("fresh19", "f19_metric_sq_from_sum", "core/diagnosis/tally.cpp",
      "out.m_sq[m * k + j] += tally.m_sq[m * codes + c];", "out.m_sq[m * k + j] += tally.m_sum[m * codes + c];",
      "a mean metric's sum of squares per variant is its plain sum: the variance (t interval, Welch's test) is wrong for "
      "non-0/1 metrics (JSON group_metrics ci_low/ci_high and p_value, Step 2 tables; 0/1 metrics unaffected)"),
    m("fresh19", "f19_timeline_p_two_arms_missing", "core/diagnosis/step1_time_pattern.cpp",
      "if (total > 0 && planned_with_units >= 2) {", "if (total > 0 && planned_with_units > 2) {",
      "with two planned variants the timeline points get no SRM test: every point's p_value stays 1 (JSON timeline p_value, "
      "the p-value path chart flat at 0, the hover's 'SRM p = 1')"),
    m("fresh19", "f19_equal_split_shares_truncated", "core/diagnosis/input_summary.cpp",
      "v.observed_share * 100.0 + 0.5)", "v.observed_share * 100.0)",
      "the equal_split_assumed warning truncates the observed shares instead of rounding them ('control 62 %' for 62.7 %)"),
    m("fresh19", "f19_mirror_warning_units_are_rows", "core/diagnosis/input_summary.cpp",
      "group_thousands(ev.mirror_units_disagreeing) +", "group_thousands(ev.mirror_rows_disagreeing) +",
      "the variant_mirror_disagrees warning gives the disagreeing row count as its unit count ('12 rows (12 units)' when "
      "they are 4 units)"),
    m("fresh19", "f19_health_two_segments_is", "core/diagnosis/health.cpp",
      "several = names.size() > 1;", "several = names.size() > 2;",
      "a segment-limited SRM localized in two segments gets the headline '... a = x and b = y is out of balance' (singular)"),
    m("fresh19", "f19_funnel_detail_exposed_as_assigned", "core/diagnosis/checks.cpp",
      'pct(rate) + " of " + group_thousands(ev.funnel[j].first);', 'pct(rate) + " of " + group_thousands(ev.funnel[j].second);',
      "the funnel check's detail names the exposed units as the assigned ones ('control 90.000 % of 900' for 900 of 1,000)"),
    # ingest
    m("fresh19", "f19_zip_second_member_ignored", "core/ingest/source.cpp",
      "            if (next_member())\n"
      "                throw InputError(\"the zip file holds more than one file ('\" + member_ + \"', '\" + current_ +\n"
      "                                 \"', ...): extract the export to analyse and open it on its own\");\n",
      "",
      "a zip holding two CSV files is analysed from its first file only instead of refused (exit 65, 'holds more than one file')"),
    m("fresh19", "f19_zstd_truncated_accepted", "core/ingest/source.cpp",
      "                if (pending_ != 0) throw InputError(\"the zstd data ends early: the file is truncated\");\n", "",
      "a truncated .zst file is analysed as far as it goes instead of refused as truncated (exit 65)"),
    m("fresh19", "f19_mapped_zstd_read_as_text", "core/ingest/mapped_input.cpp",
      "    if (n >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd) return true;  // zstd\n", "",
      "a zstd-compressed file is memory-mapped and read as plain text instead of decompressed: .zst exports are refused as binary"),
    m("fresh19", "f19_quoted_field_keeps_closing_quote", "core/ingest/record_scanner_internal.hpp",
      "return closed ? std::string_view(start + 1, static_cast<std::size_t>(closed - start - 1))",
      "return closed ? std::string_view(start + 1, static_cast<std::size_t>(closed - start))",
      "quoted fields read by the fast scanner keep their closing quote: in a file of \"quoted\" values the variant 'control' "
      "comes out as 'control\"' (most rows) and 'control' (the last ones), so the variants split in two"),
    # cli / pipeline / app
    m("fresh19", "f19_cli_bucket_day_case", "core/cli/cli.cpp",
      'o.daily = lower(v) == "day";', 'o.daily = v == "day";',
      "--bucket DAY (or Day) is accepted but --print-sql / --db still bucket by hour"),
    m("fresh19", "f19_cli_delimiter_tab_word", "core/cli/cli.cpp",
      'else if (v == "tab" || v == "\\\\t" || v == "\\t")', 'else if (v == "\\\\t" || v == "\\t")',
      "--delimiter tab (the spelling --help gives) is refused as a usage error (64); only \\t works"),
    m("fresh19", "f19_counts_duplicate_accepted", "core/pipeline/analysis.cpp",
      "        if (std::any_of(observed.begin(), observed.end(), [&](const auto& v) { return v.first == name; }))\n"
      "            throw InputError(\"variant '\" + name + \"' is given twice\");\n",
      "",
      "--counts a=100,a=120,b=110 is tested with two variants named a instead of refused ('given twice', exit 65)"),
    # (the rule moved from app/srm_workbench_main.cpp into WorkbenchCommandLine::analysisRequest after round 19 ran)
    m("fresh19", "f19_workbench_prior_preference_overrides", "ui/commandline.cpp",
      "if (!prior_concentration_given) r.prior_concentration", "if (prior_concentration_given) r.prior_concentration",
      "the workbench's Preferences prior concentration replaces a --prior-concentration given on its command line, and "
      "without one the preference is ignored (the default 100 is used)"),
    # report
    m("fresh19", "f19_svg_sequential_path_is_cumulative", "core/report/charts_svg.cpp",
      "seq.emplace_back(f.px(t[i]), f.py(std::min(ymax, -tl.points[i].sequential_log10_p)));",
      "seq.emplace_back(f.px(t[i]), f.py(std::min(ymax, -tl.points[i].log10_p_value)));",
      "the report's p-value chart draws the sequential line from the cumulative chi-square p: both lines coincide (HTML, PDF)"),
    m("fresh19", "f19_markdown_numbered_from_0", "core/report/markdown.cpp",
      'o << i + 1 << ". "', 'o << i << ". "',
      "the Markdown report's numbered lists (the next steps) start at '0.'"),
    m("fresh19", "f19_doc_compression_inverted", "core/report/document.cpp",
      '(in.compression != "plain" ? ", " + in.compression : "")', '(in.compression == "plain" ? ", " + in.compression : "")',
      "the report document's 'What was read' says ', plain' for an uncompressed file and leaves out gzip/zstd/zip for a "
      "compressed one"),
    # warehouse / base
    m("fresh19", "f19_sql_bigquery_bucket_swapped", "core/warehouse/sql.cpp",
      '(daily ? ", DAY))" : ", HOUR))")', '(daily ? ", HOUR))" : ", DAY))")',
      "--print-sql bigquery buckets by day without --bucket day and by hour with it"),
    m("fresh19", "f19_epoch_ns_divided_by_million", "core/base/timeparse.cpp",
      "us = whole / 1000;", "us = whole / 1000000;",
      "epoch times in nanoseconds (19 digits) are read a thousand times too small (January 1970): such a time column is not "
      "recognised, or a --time-col of them puts every unit in 1970"),
    # ui
    m("fresh19", "f19_ui_session_checklist_notes_key", "ui/session.cpp",
      'it.value().toObject()["notes"].toString()}', 'it.value().toObject()["note"].toString()}',
      "a reopened session loses every checklist item's notes (the ticks stay; the notes are gone from the checklist and the report)"),
    m("fresh19", "f19_ui_session_db_port_not_saved", "ui/session.cpp",
      '        if (d.url.port) db["port"] = d.url.port;\n', "",
      "a session of a PostgreSQL source does not store its port: reopened, it connects to the default port (5432 / libpq's)"),
    m("fresh19", "f19_ui_input_encoding_line_end_swapped", "ui/summarypage.cpp",
      "QString::fromStdString(in.encoding),\n                        QString::fromStdString(in.line_end),",
      "QString::fromStdString(in.line_end),\n                        QString::fromStdString(in.encoding),",
      "the summary page's 'What was read' reads '..., header row, LF, utf-8 line ends' (encoding and line end swapped)"),
    m("fresh19", "f19_ui_hover_units_swapped", "ui/chartmodel.cpp",
      ".arg(formatCount(n), formatCount(fresh),", ".arg(formatCount(fresh), formatCount(n),",
      "the timeline hover says 'M units up to here, N in this hour' with the point's own and the cumulative units swapped"),
    m("fresh19", "f19_ui_export_without_reviewer_work", "ui/reportexport.cpp",
      'srm::DocumentContext{m_work(), QDateTime::currentSecsSinceEpoch(), "SRM Workbench"}',
      'srm::DocumentContext{{}, QDateTime::currentSecsSinceEpoch(), "SRM Workbench"}',
      "Export Report and Print leave out the reviewer's work: no checklist ticks or notes, 'No notes.' instead of the session's notes"),
]

# ---- fresh20: written without reading the tests (only mutants.py, to avoid repeats), from the source itself, on
# ---- fresh20: concentration/step states/explanation order/metric control/LR text/exact tolerance, variant-by-content, leading blank lines, NA times, mirror vs named dimension, --window start date, error line prefix, segment scope, headless session exit, text timeline, Markdown escaping, HTML lists, JSON BIC, DB URL options, simulate --browser, UI step 3/checklist/table copy/banner ----
MUTANTS += [
    # stats / diagnosis
    m("fresh20", "f20_concentration_last_dimension", "core/diagnosis/checks.cpp",
      "        best_log10 = d.log10_p_value;\n", "",
      "the concentration (no localization) is taken from the last dimension below the severe level with a top segment over 50 %, "
      "not the most significant one: with two such dimensions the verdict's 'It concentrates in X = v (N % of the imbalance in that "
      "dimension)' names the wrong dimension (and may name a less significant segment than Step 4's top one)"),
    m("fresh20", "f20_step4_state_segment_limited_warn", "core/diagnosis/health.cpp",
      "step4_bad && (severe || hs == HealthState::SegmentLimited)", "step4_bad && severe",
      "the navigator's Step 4 (JSON steps[id=step4].state) is 'warn' instead of 'severe' for an SRM only inside segments "
      "(segment_limited), and the workbench's Step 4 icon is yellow, not red"),
    m("fresh20", "f20_explanation_least_share_first", "core/diagnosis/explain.cpp",
      "return a.share_of_imbalance > b.share_of_imbalance;", "return a.share_of_imbalance < b.share_of_imbalance;",
      "a localized explanation of two or more segments lists the least explanatory first (JSON explanation.segments order, the "
      "explanation summary 'Removing A and B ...', the health headline 'explained by ...' and the verdict's first segment)"),
    m("fresh20", "f20_metrics_against_first_variant", "core/diagnosis/step2_group_metrics.cpp",
      "against_control_log10(gm.binary, n, sum, sum_sq, k, plan.control)", "against_control_log10(gm.binary, n, sum, sum_sq, k, 0)",
      "the group metrics are tested against the first variant instead of the control (--control, or a control-like name that is not "
      "listed first, e.g. --expected treatment=50,control=50): group_metrics[].p_value / adjusted_p_value / flag change while "
      "'test' still says 'against control'"),
    m("fresh20", "f20_at_point_lr_statistic_halved", "core/diagnosis/step1_time_pattern.cpp",
      "fmt(2 * (f.ll2 - f.ll0), 1)", "fmt(f.ll2 - f.ll0, 1)",
      "an at_point time pattern's evidence (JSON time_pattern.evidence, the text report's Step 1, the workbench's Step 1) gives "
      "'likelihood-ratio statistic against no change' as half its value (the log-likelihood gain, without the factor 2)"),
    m("fresh20", "f20_exact_multinomial_no_tie_tolerance", "core/stats/stats.cpp",
      "const double threshold = log_multinomial_pmf(observed, log_probs, log_n_fact) + std::log1p(1e-7);",
      "const double threshold = log_multinomial_pmf(observed, log_probs, log_n_fact);",
      "the exact multinomial test (3+ arms, an expected count below 5) loses its relative tolerance: outcomes exactly as likely as "
      "the observed one (its permutations, the observed one itself) are dropped by rounding, so srm.p_value can come out too small "
      "(e.g. --counts a=2,b=2,c=1 or a=1,b=2,c=3) and the severity rise"),
    # ingest
    m("fresh20", "f20_variant_by_content_control_half_strict", "core/ingest/roles.cpp",
      "if (p.control_like >= 1 && p.arm_like * 2 >= p.distinct) return true;",
      "if (p.control_like >= 1 && p.arm_like * 2 > p.distinct) return true;",
      "a variant column not named as one, holding 'control' and one arm of its own name (control / new_checkout), is no longer "
      "found by content: 'no usable variant column' (exit 65) instead of the report"),
    m("fresh20", "f20_leading_blank_lines_not_counted", "core/ingest/loader.cpp",
      "line += rec.line_breaks;\n            p = next;", "p = next;",
      "a file that starts with blank lines numbers every later line too low by their count: rejected rows' lines (JSON "
      "input.errors[].line, first_rejected_line_by_reason, 'rejected line N' in the text report, the --strict / bad-header message's line)"),
    m("fresh20", "f20_na_time_is_bad_time", "core/ingest/row_decoder_internal.hpp",
      "if (is_missing(trim(ts)))", "if (trim(ts).empty())",
      "a time written as NA / null / - / None is rejected as bad_time ('unparsable time 'NA'') instead of missing_time "
      "(JSON input.rejected_by_reason and first_rejected_line_by_reason keys, the rows_rejected warning)"),
    m("fresh20", "f20_mirror_named_dimension", "core/ingest/roles.cpp",
      "if (!is_free(i) || profiles_[i].distinct != vp.distinct || named(i, Role::Dimension)) continue;",
      "if (!is_free(i) || profiles_[i].distinct != vp.distinct) continue;",
      "a column named as a dimension (browser, country, ...) whose first rows happen to split along the arms is taken for a "
      "mirror of the variant: it leaves Step 4 (column role 'mirror', a variant_mirror warning) and feeds the "
      "variant_column_agreement check, which can fail the health (exit 2)"),
    # cli / pipeline
    m("fresh20", "f20_cli_window_start_date_day_end", "core/cli/cli.cpp",
      "o.request.window_start = side(v.substr(0, comma), false);", "o.request.window_start = side(v.substr(0, comma), true);",
      "--window with a bare START date (--window 2026-03-03,2026-03-05) starts at 23:59:59 of that day instead of 00:00: the day's "
      "traffic is left out (JSON window.start / scope.window.start, the SHOWING line, the counts of the window)"),
    m("fresh20", "f20_cli_error_line_1_unnamed", "core/cli/cli.cpp",
      "if (e.line() > 0) err <<", "if (e.line() > 1) err <<",
      "a bad-input error on line 1 (a malformed header, a change log or allocation history without its timestamp column, "
      "--strict on the first data line of a headerless file) loses its 'FILE:1: ' prefix on stderr (exit 65 stays)"),
    m("fresh20", "f20_refined_segment_not_in_scope", "core/pipeline/analysis.cpp",
      "    r.scope.segment = refinement.segment;\n", "",
      "a segment chosen in the workbench (diagnose_loaded with a refinement) is analysed but not recorded in the scope: the header "
      "hides 'Showing: ...' and its clear button, the scope line reads as all units, JSON scope.segment is missing"),
    m("fresh20", "f20_headless_session_exit_65", "app/srm_workbench_main.cpp",
      "            return srm::kExitUsage;\n        }\n        const int code",
      "            return srm::kExitBadInput;\n        }\n        const int code",
      "srm-workbench SESSION.srm.json without a display exits 65 (bad input) instead of the usage error 64 for 'a session needs the window'"),
    # report
    m("fresh20", "f20_text_timeline_last_point_dropped", "core/report/text.cpp",
      "if (i % step != 0 && i + 1 != tl.points.size()) continue;", "if (i % step != 0) continue;",
      "the text report's timeline table of more than 40 points no longer always ends with the last point: the final cumulative "
      "counts and p (the end of the test) are missing unless the count happens to fall on the step"),
    m("fresh20", "f20_markdown_line_start_inverted", "core/report/markdown.cpp",
      "bool line_start = !cell;", "bool line_start = cell;",
      "the Markdown report escapes a leading - + = in table cells ('\\-0.250 pp' in the split table's deviations) and no longer "
      "in paragraphs and list items, where a text starting with '-' or '=' can turn into a list item or a heading underline"),
    m("fresh20", "f20_html_numbered_as_bullets", "core/report/html.cpp",
      'const char* tag = b.kind == DocBlock::Kind::Numbered ? "ol" : "ul";', 'const char* tag = "ul";',
      "the HTML report's numbered lists (the verdict's next steps) are written as <ul> bullets instead of an <ol>"),
    m("fresh20", "f20_json_bic_at_point_gradual_swapped", "core/report/json.cpp",
      '{"at_point", tp.bic_step}, {"gradual", tp.bic_trend}', '{"at_point", tp.bic_trend}, {"gradual", tp.bic_step}',
      "the JSON's time_pattern.bic gives the gradual model's BIC as at_point and the at_point model's as gradual (the kind chosen "
      "and the evidence text are unchanged)"),
    # warehouse / simulate / base
    m("fresh20", "f20_db_url_options_kept_in_database", "core/warehouse/sql.cpp",
      "    if (const auto q = rest.find('?'); q != std::string_view::npos) rest = rest.substr(0, q);  // options: libpq's environment instead\n",
      "",
      "a PostgreSQL URL with options (postgresql://u@h/db?sslmode=require) names the database 'db?sslmode=require': --db connects "
      "to a database that does not exist (exit 69), and the source shown reads '.../db%3Fsslmode=require'"),
    m("fresh20", "f20_sim_browser_not_passed_on", "core/simulate/simulate_cli.cpp",
      '{"--browser", [&](const std::string& v) { spec.affected_browser = v; }},',
      '{"--browser", [&](const std::string& v) { (void)v; }},',
      "srm-simulate --browser is ignored: deployment_drop and segment_skew always hit Safari (the written exposures, --aggregated "
      "and --truth's explaining segment), and an unknown --browser is no longer refused"),
    # ui
    m("fresh20", "f20_ui_step3_summary_from_start", "ui/pages.cpp",
      "else if (!report.time_pattern.change_point || report.time_pattern.kind != srm::PatternKind::AtPoint)",
      "else if (!report.time_pattern.change_point)",
      "the workbench's Step 3 summary for a from_start pattern (its change point is the first bin) speaks of 'N changes within 24 h of the change "
      "point at <start>' instead of 'No change point was found, so no change is near one'"),
    m("fresh20", "f20_ui_checklist_fail_warn_swapped", "ui/pages.cpp",
      "                           .arg(fail)\n                           .arg(warn)",
      "                           .arg(warn)\n                           .arg(fail)",
      "the checklist page's summary swaps its counts: 'W failed, F to look at' (warned checks counted as failed and vice versa)"),
    m("fresh20", "f20_ui_copy_gap_one_short", "ui/tablecopy.cpp",
      "last >= 0 && gap < column; ++gap)", "last >= 0 && gap < column - 1; ++gap)",
      "copying a selection with a skipped column (Ctrl+C on cells A and C of a row) leaves out one empty field: C lands in B's "
      "column when pasted into a spreadsheet"),
    m("fresh20", "f20_ui_banner_do_not_trust_any_alert", "ui/healthheader.cpp",
      "(state == srm::HealthState::Severe ? tr(", "(state != srm::HealthState::Healthy ? tr(",
      "the red alert banner adds 'Do not trust this experiment's results until the cause is found.' for every alert (check failed, "
      "input problem, SRM inside segments), not only for a severe SRM"),
]

# ---- fresh21: written without reading the tests (only mutants.py, to avoid repeats), from the source itself, on
# ---- fresh21: Holm order, gradual BIC penalty, timeline exact test, explained is/are, midnight grid with untimed units, zero-zero unplanned, NULL/None missing, first rejected line, duplicate header roles, change log order, end-only --window, --counts order, .HTML report, workbench --counts, Markdown subheadings, document warnings, HTML note breaks, URL percent escape at the end, GMT times, UI Step 1 change point, checklist notes, moved session files, Step 2 summary, sample --expected ----
MUTANTS += [
    # statistics / diagnosis
    m("fresh21", "f21_holm_sorted_descending", "core/stats/inference.cpp",
      "[&](auto a, auto b) { return log10_p[a] < log10_p[b]; }",
      "[&](auto a, auto b) { return log10_p[a] > log10_p[b]; }",
      "Holm's adjustment ranks the p-values largest first: the most significant segment or metric gets the factor 1 instead of m, "
      "so the adjusted p-values of Step 2 and Step 4 (and which segments are flagged and ranked) change"),
    m("fresh21", "f21_gradual_bic_unpenalised", "core/diagnosis/step1_time_pattern.cpp",
      "tp.bic_trend = -2 * f.ll3 + p * lnN;",
      "tp.bic_trend = -2 * f.ll3;",
      "the gradual model's BIC leaves out its parameter price, so a balanced experiment with three or more time bins is reported "
      "with the time pattern 'gradual' instead of 'none'"),
    m("fresh21", "f21_timeline_points_exact_test", "core/diagnosis/step1_time_pattern.cpp",
      "    point_options.exact_below_expected = 0;  // the path uses the chi-square approximation\n",
      "",
      "the timeline's cumulative p-values switch to the exact test where a point's expected counts are below 5, so the early "
      "points' p (JSON timeline, text table, p-value chart) differ from the chi-square path"),
    m("fresh21", "f21_explained_is_are_wrong_count", "core/diagnosis/explain.cpp",
      '(ex.explained_segments.size() == 1 ? " is" : " are")',
      '(ex.segments.size() == 1 ? " is" : " are")',
      "the explanation's summary agrees its verb with the number of explaining segments, not of the flagged segments they explain: "
      "'browser = Safari and os = iOS is explained by it.'"),
    m("fresh21", "f21_midnight_grid_untimed_units", "core/diagnosis/time_grid.cpp",
      "midnights = ds.first_time[i] == kNoTime || ds.first_time[i] % (86400 * kUs) == 0;",
      "midnights = ds.first_time[i] % (86400 * kUs) == 0;",
      "a date-only export with units that have no exposure time (assigned only, or only other events) gets hourly bins instead "
      "of daily ones: the timeline, the time pattern and the sequential test change"),
    m("fresh21", "f21_zero_weight_zero_units_unplanned", "core/stats/stats.cpp",
      "        } else if (v.observed > 0) {",
      "        } else {",
      "a variant planned at weight 0 that received no units (--expected a=1,b=1,c=0) is reported as unplanned traffic "
      "('received 0 units') and makes the SRM severe"),
    # ingestion
    m("fresh21", "f21_null_none_not_missing", "core/ingest/values_internal.hpp",
      "    if (v.size() > 4) return false;",
      "    if (v.size() > 3) return false;",
      "'null', 'NULL' and 'None' are no longer missing values: a row with variant NULL becomes a variant of its own instead of "
      "being rejected as missing_variant, and a NULL time is a bad_time"),
    m("fresh21", "f21_first_rejected_line_chunk_start", "core/ingest/loader.cpp",
      "ds.rejected_by_reason.push_back({code, 0, next_line + c.rejected.first[why]});",
      "ds.rejected_by_reason.push_back({code, 0, next_line});",
      "the first line of each rejection reason is the line where the chunk starts, not the first rejected row's "
      "('(first on line 2)', JSON first_rejected_line_by_reason)"),
    m("fresh21", "f21_duplicate_header_roles_swapped", "core/ingest/loader.cpp",
      'the first is used as " + role_of(name)',
      'the first is used as " + role_of(unique)',
      "the duplicate_header warning gives the first column the later one's role: 'two columns are named 'variant': the first is "
      "used as ignore, ...' although the first is the variant"),
    m("fresh21", "f21_change_log_not_sorted", "core/ingest/side_files.cpp",
      "    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.time < b.time; });\n",
      "",
      "a change log whose rows are not in time order is listed in file order in Step 3 (text, JSON, reports, the workbench's table)"),
    # cli / pipeline
    m("fresh21", "f21_end_only_window_ignored", "core/pipeline/analysis.cpp",
      "const bool windowed = request.window_start || request.window_end;",
      "const bool windowed = request.window_start.has_value();",
      "srm-check --window ,END (an end without a start) analyses the whole file: the window is ignored"),
    m("fresh21", "f21_counts_reordered_by_plan", "core/pipeline/analysis.cpp",
      "plan_variants(observed, request.expected, {}, PlanOrder::AsGiven, true);",
      "plan_variants(observed, request.expected, {}, PlanOrder::ByPlan, true);",
      "--counts treatment=N,control=M lists the variants control first (or in --expected's order) instead of in the order given"),
    m("fresh21", "f21_report_extension_case_sensitive", "core/cli/cli.cpp",
      ': lower(path.substr(dot + 1));',
      ': path.substr(dot + 1);',
      "srm-check --report out.HTML (or .PDF, .MD) is refused with a usage error (exit 64): the extension is compared case-sensitively"),
    m("fresh21", "f21_workbench_counts_not_input", "core/cli/cli.cpp",
      "return o.request.file || o.counts || o.print_sql || o.db;",
      "return o.request.file || o.print_sql || o.db;",
      "srm-workbench --counts a=N,b=M is taken as naming no input: the sample file is added and the command line is refused "
      "('give either a FILE or --counts', exit 64)"),
    # reports
    m("fresh21", "f21_md_subheading_unescaped", "core/report/markdown.cpp",
      'o << "### " << markdown_escape(b.text)',
      'o << "### " << b.text',
      "the Markdown report's subheadings are not escaped: '### sdk_version: ...' and '### Where it breaks (not_applicable)' "
      "keep bare underscores (and a dimension named *x* turns into emphasis)"),
    m("fresh21", "f21_doc_lists_column_ignored_warnings", "core/report/document.cpp",
      '        if (w.code != "column_ignored") warnings.push_back(w.message);',
      "        warnings.push_back(w.message);",
      "the HTML, Markdown and PDF reports' Warnings under 'What was read' also list every ignored column "
      "('column x is not used: ...'), which the column table already explains"),
    m("fresh21", "f21_html_paragraph_breaks_lost", "core/report/html.cpp",
      'o << t.substr(start, nl - start) << "<br>";',
      'o << t.substr(start, nl - start) << "\\n";',
      "the HTML report runs a reviewer's multi-line notes (and any paragraph with line breaks) together: no <br> between the lines"),
    # warehouse / base
    m("fresh21", "f21_url_percent_escape_at_end", "core/warehouse/sql.cpp",
      "if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {",
      "if (s[i] == '%' && i + 3 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {",
      "a percent escape at the very end of a database URL part is not decoded: postgresql://u:secret%40@host/db logs in "
      "with the password 'secret%40', and postgresql://u@host/my%2Ddb%3F names the database 'my-db%3F'"),
    m("fresh21", "f21_gmt_zone_unparsable", "core/base/timeparse.cpp",
      'if (rest == "Z" || rest == "z" || rest == "UTC" || rest == "GMT" || rest.empty()) {',
      'if (rest == "Z" || rest == "z" || rest == "UTC" || rest.empty()) {',
      "times written '2026-03-01 10:00:00 GMT' are no longer read: the rows are rejected as bad_time (or the column is not "
      "found as the time)"),
    # ui
    m("fresh21", "f21_ui_step1_at_for_any_pattern", "ui/pages.cpp",
      "if (tp.change_point && tp.kind == srm::PatternKind::AtPoint) text += tr(\" at %1 UTC\")",
      "if (tp.change_point) text += tr(\" at %1 UTC\")",
      "the workbench's Step 1 heading says 'Time pattern: from start at <first hour> UTC' for a from_start pattern, as if it "
      "had a change point"),
    m("fresh21", "f21_ui_notes_editable_on_automated_checks", "ui/reportmodels.cpp",
      "if (manual && index.column() == Notes) f |= Qt::ItemIsEditable;",
      "if (index.column() == Notes) f |= Qt::ItemIsEditable;",
      "the checklist's Notes cell is editable on automated checks too: a note typed there is kept in the answers (session, "
      "exported report's Reviewer column) but never shown in the table"),
    m("fresh21", "f21_ui_moved_session_files_not_found", "ui/session.cpp",
      "return QFileInfo::exists(moved) ? QDir::cleanPath(moved) : path;",
      "return QFileInfo::exists(path) ? QDir::cleanPath(moved) : path;",
      "a session moved together with its data, change log and allocation files keeps the old absolute paths: opening it "
      "reports the files as missing instead of finding them beside the session"),
    m("fresh21", "f21_ui_step2_every_metric_differs", "ui/pages.cpp",
      "            if (m.flag) flagged << QString::fromStdString(m.metric);",
      "            flagged << QString::fromStdString(m.metric);",
      "the workbench's Step 2 summary says every metric 'differs between variants' (the SRM may be a symptom) even when no "
      "metric is flagged"),
    m("fresh21", "f21_ui_sample_expected_overrides_user", "ui/commandline.cpp",
      'if (!given(args, "--expected")) args.insert(args.end(), {"--expected", "control=50,treatment=50"});',
      'args.insert(args.end(), {"--expected", "control=50,treatment=50"});',
      "srm-workbench --expected control=60,treatment=40 (on the bundled sample) analyses it against 50/50 anyway: the sample's "
      "default allocation is appended after the user's and wins"),
]

# ---- fresh22: written without reading the tests (only mutants.py, to avoid repeats), from the source itself, on
# ---- fresh22: health percent rounding, BIC evidence order, scope units swapped, sample-size precision, exact multinomial n!, Dirichlet theta term, change kind default, metric 'y', epoch seconds threshold, headerless column numbering, .htm report, --db --max-dimension-values, pipeline --expected, workbench --segment, text expected rounding, next steps numbering, Markdown numeric alignment, JSON thresholds swapped, BigQuery window end, time zone offset sign, UI change distance unit, health tooltip columns, split chart shares, verdict type text order ----
MUTANTS += [
    # statistics / diagnosis
    m("fresh22", "f22_health_percent_whole", "core/diagnosis/health.cpp",
      "std::string percent(double share) { return pct(share, 1); }",
      "std::string percent(double share) { return pct(share, 0); }",
      "the health state's percentages lose their decimal: 'Input problem: 2 % of the rows ... were rejected' for 1.5 %, "
      "and a failed variant_jumping check's headline reads '6 % of units' instead of '5.6 %'"),
    m("fresh22", "f22_bic_evidence_at_point_gradual_swapped", "core/diagnosis/step1_time_pattern.cpp",
      '<< fmt(tp.bic_step, 1) << ", gradual " << fmt(tp.bic_trend, 1) << ".";',
      '<< fmt(tp.bic_trend, 1) << ", gradual " << fmt(tp.bic_step, 1) << ".";',
      "the time pattern's evidence sentence gives the gradual model's BIC after 'at_point' and the at_point model's after "
      "'gradual' (the kind chosen and the JSON bic object are unchanged)"),
    m("fresh22", "f22_scope_units_swapped", "core/diagnosis/model.cpp",
      'out += " · " + group_thousands(units_in_scope) + " of " + group_thousands(scope.units_total) + " units";',
      'out += " · " + group_thousands(scope.units_total) + " of " + group_thousands(units_in_scope) + " units";',
      "the scope description of a window or segment swaps its counts: '· 100,000 of 12,345 units' (the header's Showing:, "
      "SHOWING: in the text report, JSON scope.description)"),
    m("fresh22", "f22_sample_size_precision_2", "core/diagnosis/checks.cpp",
      "    d.precision(3);\n",
      "    d.precision(2);\n",
      "the sample_size check's detail prints the smallest expected count with 2 decimals instead of 3 and the detectable "
      "deviation with 2 significant digits instead of 3"),
    m("fresh22", "f22_exact_multinomial_without_n_factorial", "core/stats/stats.cpp",
      "out.log_p_value = std::min(0.0, e.log_total + log_n_fact);",
      "out.log_p_value = std::min(0.0, e.log_total);",
      "the enumerated exact multinomial test (three or more variants with an expected count below 5) leaves log n! out "
      "of its sum: its p-value is far too small, so a small balanced three-arm test is an SRM"),
    m("fresh22", "f22_dirichlet_bf_without_plan_term", "core/stats/inference.cpp",
      "if (theta[j] > 0) lbf += std::lgamma(alpha[j] + x[j]) - std::lgamma(alpha[j]) - x[j] * std::log(theta[j]);",
      "if (theta[j] > 0) lbf += std::lgamma(alpha[j] + x[j]) - std::lgamma(alpha[j]);",
      "the sequential test's Bayes factor leaves out the plan's likelihood (- x log theta): it never exceeds 1, so the "
      "anytime-valid p stays 1 and never alerts, even for a severe SRM"),
    # ingestion
    m("fresh22", "f22_change_kind_default_deployment", "core/ingest/side_files.cpp",
      'e.kind = k >= 0 ? f[static_cast<std::size_t>(k)] : "change";',
      'e.kind = k >= 0 ? f[static_cast<std::size_t>(k)] : "deployment";',
      "a change log without a kind column lists its changes as 'deployment' instead of 'change' (Step 3, the verdict's "
      "'The deployment ... is N h from it', JSON changes[].kind)"),
    m("fresh22", "f22_metric_y_not_true", "core/ingest/values_internal.hpp",
      'if (l == "true" || l == "yes" || l == "t" || l == "y") {',
      'if (l == "true" || l == "yes" || l == "t") {',
      "a metric value 'y' / 'Y' is no longer read as 1: the row is rejected as bad_metric ('... has 'y', not a number'), "
      "although 'n' still reads as 0"),
    m("fresh22", "f22_epoch_seconds_not_detected", "core/ingest/time_detect.cpp",
      "parse_number(v, &x) && x >= 1e9 && x < 1e20",
      "parse_number(v, &x) && x >= 1e10 && x < 1e20",
      "epoch times in seconds (1.7e9) are no longer recognised as epoch timestamps (only milliseconds and finer): an export "
      "with a column of epoch seconds is read without a time column"),
    m("fresh22", "f22_headerless_columns_from_0", "core/ingest/loader.cpp",
      'for (std::size_t i = 0; i < rec.fields.size(); ++i) names_.push_back("column_" + std::to_string(i + 1));',
      'for (std::size_t i = 0; i < rec.fields.size(); ++i) names_.push_back("column_" + std::to_string(i));',
      "a file without a header (--no-header or detected) names its columns column_0, column_1, ... instead of column_1, "
      "column_2, ...: --variant-col column_1 picks the wrong column, the roles listed are renumbered"),
    # cli / pipeline / app
    m("fresh22", "f22_report_htm_refused", "core/cli/cli.cpp",
      'if (ext == "html" || ext == "htm") return "html";',
      'if (ext == "html") return "html";',
      "srm-check --report out.htm is refused with a usage error (exit 64) instead of writing the HTML report"),
    m("fresh22", "f22_db_max_dimension_values_not_passed", "core/cli/cli.cpp",
      "    load.max_dimension_values = base.load.max_dimension_values;\n",
      "",
      "srm-check --db ... --max-dimension-values N ignores N when reading the query's result: a dimension with more than N "
      "values stays in the breakdown (the default 200 applies)"),
    m("fresh22", "f22_pipeline_expected_not_passed", "core/pipeline/analysis.cpp",
      "    dopt.expected = request.expected;\n",
      "",
      "an export analysed with --expected (srm-check FILE --expected a=60,b=40, the workbench) is tested against an equal "
      "split: the request's planned allocation never reaches the diagnosis (only --counts keeps it)"),
    m("fresh22", "f22_workbench_segment_ignored", "app/srm_workbench_main.cpp",
      "        if (cl.segment) window.lookAtSegment(*cl.segment);\n",
      "",
      "srm-workbench FILE --segment DIM=VALUE opens the whole experiment instead of the chosen segment"),
    # report
    m("fresh22", "f22_text_expected_whole_units", "core/report/text.cpp",
      "pad(fixed(v.expected, 1), 14, true)",
      "pad(fixed(v.expected, 0), 14, true)",
      "the text report's variant table shows the expected units rounded to whole units ('408536' instead of '408535.5')"),
    m("fresh22", "f22_text_next_steps_from_0", "core/report/text.cpp",
      "    int i = 1;\n",
      "    int i = 0;\n",
      "the text report numbers its next steps from 0 ('0. Find ...', '1. ...') instead of 1"),
    m("fresh22", "f22_md_numeric_columns_left_aligned", "core/report/markdown.cpp",
      '(c < t.numeric.size() && t.numeric[c] ? " ---: |" : " --- |")',
      '" --- |"',
      "the Markdown report's tables no longer right-align their numeric columns: every delimiter cell is '---' instead of "
      "'---:' under the counts, shares and p-values"),
    m("fresh22", "f22_json_thresholds_swapped", "core/report/json.cpp",
      '{{"warn", o.thresholds.warn}, {"severe", o.thresholds.severe}}',
      '{{"warn", o.thresholds.severe}, {"severe", o.thresholds.warn}}',
      "the JSON's srm.thresholds gives the severe alpha as warn and the warn alpha as severe (0.001 and 0.01 swapped); "
      "the severity itself is unchanged"),
    # warehouse / base
    m("fresh22", "f22_bigquery_window_end_last_second", "core/warehouse/sql.cpp",
      'if (q.window_end) add(t + " < TIMESTAMP_SECONDS(" + std::to_string(*q.window_end + 1) + ")");',
      'if (q.window_end) add(t + " < TIMESTAMP_SECONDS(" + std::to_string(*q.window_end) + ")");',
      "srm-check --print-sql bigquery --window START,END leaves out the events of END's last second (< END instead of "
      "< END + 1), unlike every other engine and the CSV reader"),
    m("fresh22", "f22_time_zone_offset_sign", "core/base/timeformat.cpp",
      "out = ((days * 86400 + f.hour * 3600 + f.minute * 60 + f.second) - f.offset) * 1000000 + f.frac_us;",
      "out = ((days * 86400 + f.hour * 3600 + f.minute * 60 + f.second) + f.offset) * 1000000 + f.frac_us;",
      "a time read through a layout with %z ('10:00:00 +0200', --time-format '... %z') adds its offset instead of "
      "subtracting it: the UTC time is off by twice the offset"),
    # ui
    m("fresh22", "f22_ui_change_distance_minutes", "ui/reportmodels.cpp",
      "formatNumber(*c.distance_seconds / 3600.0, 1, numberLocale(role))",
      "formatNumber(*c.distance_seconds / 60.0, 1, numberLocale(role))",
      "the workbench's Step 3 table shows a change's distance from the change point in minutes while labelling it hours "
      "('+180.0 h' for a change 3 h after), also in a saved or copied CSV"),
    m("fresh22", "f22_ui_tooltip_observed_expected_swapped", "ui/reportformat.cpp",
      "keep(formatCount(v.observed)),\n                         keep(formatNumber(v.expected, 1))",
      "keep(formatNumber(v.expected, 1)),\n                         keep(formatCount(v.observed))",
      "the health badge's tooltip puts each variant's expected units under 'observed' and its observed units under "
      "'expected'"),
    m("fresh22", "f22_ui_split_chart_expected_twice", "ui/summarypage.cpp",
      ".arg(QString::fromStdString(v.name), formatShare(v.observed_share),",
      ".arg(QString::fromStdString(v.name), formatShare(v.expected_share),",
      "the summary page's split chart labels each variant 'expected vs expected' ('50.000 % vs 50.000 %') instead of its "
      "observed share against the planned one"),
    m("fresh22", "f22_ui_verdict_type_text_order", "ui/summarypage.cpp",
      '"tracking (exposures are lost or added in one variant)",\n'
      '                                             "eligibility (who gets counted depends on the variant)",',
      '"eligibility (who gets counted depends on the variant)",\n'
      '                                             "tracking (exposures are lost or added in one variant)",',
      "the summary page's 'most likely type' names a tracking SRM 'eligibility (...)' and an eligibility SRM "
      "'tracking (...)' (the reports and JSON keep the right type)"),
]

# ---- fresh23: written without reading the tests (only mutants.py, to avoid repeats), from the source itself, on
# ---- fresh23: planned units with unplanned, signed max deviation, detectable deviation without 1-p, signed segment excess, rejected first line +1, sequential p of the previous bin, excluded dimension distinct count, change log 'message', event 'action', tab delimiter name, --db dimensions, window segment, .markdown report, workbench version text, text '+0.000', JSON min_practical_pp at 0, document deviation decimals, markdown verdict bold, BigQuery window start, shorten length, UI deviation decimals, checklist checkable, two bands for two variants, a legend entry per change marker ----
MUTANTS += [
    # core statistics / diagnosis
    m("fresh23", "f23_planned_units_with_unplanned", "core/stats/stats.cpp",
      "if (v.weight > 0.0) planned_units += v.observed;", "planned_units += v.observed;",
      "units of a variant planned at 0 % are counted among the planned variants' units, so every expected count is too large"),
    m("fresh23", "f23_max_deviation_signed", "core/stats/stats.cpp",
      "std::max(r.max_abs_deviation_pp, std::fabs(vr.deviation_pp));", "std::max(r.max_abs_deviation_pp, vr.deviation_pp);",
      "the largest absolute deviation ignores variants below their planned share"),
    m("fresh23", "f23_detectable_no_one_minus_p", "core/diagnosis/checks.cpp",
      "std::sqrt(p_min * (1.0 - p_min) / static_cast<double>(r.units)) * 100.0;",
      "std::sqrt(p_min / static_cast<double>(r.units)) * 100.0;",
      "the sample-size check's detectable deviation leaves out the (1 - p) factor of the binomial variance"),
    m("fresh23", "f23_segment_excess_signed", "core/diagnosis/step4_dimensions.cpp",
      "excess += std::fabs(static_cast<double>(sr.counts[j]) - e);", "excess += static_cast<double>(sr.counts[j]) - e;",
      "a segment's excess units are summed with their signs (cancelling out) instead of as absolute values"),
    m("fresh23", "f23_rejected_first_line_plus_one", "core/diagnosis/input_summary.cpp",
      '" (first on line " + std::to_string(r.first_line) + ")"', '" (first on line " + std::to_string(r.first_line + 1) + ")"',
      "the rows_rejected warning names the line after the first rejected one"),
    m("fresh23", "f23_timeline_sequential_previous_bin", "core/diagnosis/step1_time_pattern.cpp",
      "if (seq_log10) pt.sequential_log10_p = (*seq_log10)[b];",
      "if (seq_log10) pt.sequential_log10_p = (*seq_log10)[b > 0 ? b - 1 : 0];",
      "each timeline point carries the sequential p of the bin before it"),
    # ingestion
    m("fresh23", "f23_excluded_dimension_distinct", "core/ingest/fold.cpp",
      "info.distinct = info.values.size() + (s.global_dims[d].overflow() ? 1 : 0);", "info.distinct = info.values.size();",
      "an excluded dimension's distinct count leaves out the value that overflowed it (reports say one value fewer)"),
    m("fresh23", "f23_change_log_message_column", "core/ingest/side_files.cpp",
      '{"description", "desc", "summary", "message", "title", "name", "change"}',
      '{"description", "desc", "summary", "title", "name", "change"}',
      "a change log's 'message' column is no longer read as the description"),
    m("fresh23", "f23_event_action_name", "core/ingest/column_names.cpp",
      '{Role::Event, {"event_type", "event", "event_name", "action"}},', '{Role::Event, {"event_type", "event", "event_name"}},',
      "a column named 'action' is no longer the event-type column"),
    m("fresh23", "f23_tab_delimiter_described", "core/ingest/sniffer.cpp",
      r"""case '\t': return "\\t";""", r"""case '\t': return "tab";""",
      "a tab delimiter is reported as 'tab' instead of '\\t'"),
    # cli / pipeline / app
    m("fresh23", "f23_db_dimensions_not_passed", "core/cli/cli.cpp",
      "    load.dimensions = base.load.dimensions;\n", "",
      "--db (and the workbench's database source) ignore --dimensions when reading the query's result"),
    m("fresh23", "f23_window_segment_ignored", "core/pipeline/analysis.cpp",
      "    if (segment) part.options.segment = segment_of(*part.dataset, *segment);\n", "",
      "a window analysis of one segment analyses every unit of the window (the scope still names the segment)"),
    m("fresh23", "f23_report_markdown_extension", "core/cli/cli.cpp",
      'if (ext == "md" || ext == "markdown") return "markdown";', 'if (ext == "md") return "markdown";',
      "--report FILE.markdown is refused; only .md writes Markdown"),
    m("fresh23", "f23_workbench_version_text", "app/srm_workbench_main.cpp",
      'std::cout << "srm-workbench " << srm::version_string() << "\\n";',
      'std::cout << "srm-workbench version " << srm::version_string() << "\\n";',
      "srm-workbench --version prints 'srm-workbench version X' instead of 'srm-workbench X'"),
    # report
    m("fresh23", "f23_text_zero_deviation_sign", "core/report/text.cpp",
      "if (v.deviation_pp >= 0) dev.insert(dev.begin(), '+');", "if (v.deviation_pp > 0) dev.insert(dev.begin(), '+');",
      "the text report shows a zero deviation as '0.000 pp' instead of '+0.000 pp'"),
    m("fresh23", "f23_json_min_practical_at_zero", "core/report/json.cpp",
      'if (o.min_practical_pp > 0.0) j["min_practical_pp"] = o.min_practical_pp;',
      'if (o.min_practical_pp >= 0.0) j["min_practical_pp"] = o.min_practical_pp;',
      "the JSON report writes min_practical_pp = 0 when no practical threshold was given"),
    m("fresh23", "f23_document_segment_deviation_decimals", "core/report/document.cpp",
      'fixed(sg.max_deviation_pp, 2) + " pp"', 'fixed(sg.max_deviation_pp, 1) + " pp"',
      "the HTML/PDF/Markdown Step 4 tables round a segment's largest deviation to 1 decimal instead of 2"),
    m("fresh23", "f23_markdown_verdict_not_bold", "core/report/markdown.cpp",
      '(b.role == "verdict" ? "**" + kept + "**" : kept)', '(b.role == "warning" ? "**" + kept + "**" : kept)',
      "the Markdown report no longer puts the verdict in bold (and bolds warnings instead)"),
    # warehouse / base
    m("fresh23", "f23_bigquery_window_start_exclusive", "core/warehouse/sql.cpp",
      'add(t + " >= TIMESTAMP_SECONDS(" + std::to_string(*q.window_start) + ")");',
      'add(t + " > TIMESTAMP_SECONDS(" + std::to_string(*q.window_start) + ")");',
      "the BigQuery query leaves out events exactly at the window's start"),
    m("fresh23", "f23_shorten_one_long", "core/base/text.cpp",
      "std::size_t cut = max > 3 ? max - 3 : 0;", "std::size_t cut = max > 2 ? max - 2 : 0;",
      "a shortened name is one character longer than its limit (with the '...')"),
    # ui
    m("fresh23", "f23_ui_deviation_two_decimals", "ui/reportformat.cpp",
      'formatNumber(pp, 3, locale) + QStringLiteral(" pp")', 'formatNumber(pp, 2, locale) + QStringLiteral(" pp")',
      "the workbench shows deviations in pp with 2 decimals instead of 3 (tables, tooltips, copied CSV)"),
    m("fresh23", "f23_ui_automated_check_checkable", "ui/reportmodels.cpp",
      "if (manual && index.column() == Done) f |= Qt::ItemIsUserCheckable;", "if (index.column() == Done) f |= Qt::ItemIsUserCheckable;",
      "the checklist lets the reviewer tick automated checks as done, not only the manual questions"),
    m("fresh23", "f23_ui_two_bands_for_two_variants", "ui/chartmodel.cpp",
      "for (std::size_t v = 0; v < (k == 2 ? 1 : k); ++v) {", "for (std::size_t v = 0; v < k; ++v) {",
      "the drift chart draws two identical bands for a two-variant test instead of one"),
    m("fresh23", "f23_ui_change_marker_legend_each", "ui/chartmodel.cpp",
      'ChartModel::tr("change log entry"), tip, first);\n        first = false;',
      'ChartModel::tr("change log entry"), tip, first);',
      "every change-log marker of a chart gets its own legend entry instead of only the first"),
]

# ---- fresh24: written without reading the tests (only mutants.py, to avoid repeats), from the source itself, on
# ---- fresh24: phased test name, funnel table, blank lines, segment rest timeline, step 2 state, force-included units, pipe delimiter sniffing, BOM encoding label, multi_variant role name, mapping metrics, -h flag, help exit codes, change log ignored, workbench --help exit, Markdown '<', HTML subheadings, JSON weight, text CI unit, simulate '|' delimiter, %y century pivot, UI unplanned suffix, table copy line breaks, segment-limited label, Step 4 filter trim ----
MUTANTS += [
    # core statistics / diagnosis
    m("fresh24", "f24_phased_test_name", "core/stats/stats.cpp",
      'case TestKind::ChiSquarePhased: return "chi_square_phased";', 'case TestKind::ChiSquarePhased: return "chi_square";',
      "a phased chi-square test is reported (JSON test, UI) as a plain 'chi_square'"),
    m("fresh24", "f24_funnel_not_exposed_cell", "core/diagnosis/evidence.cpp",
      "table.push_back(static_cast<double>(assigned - exposed));", "table.push_back(static_cast<double>(assigned));",
      "the assignment -> exposure funnel test compares exposed with all assigned units instead of with the unexposed ones (wrong p)"),
    m("fresh24", "f24_blank_lines_not_summarised", "core/diagnosis/input_summary.cpp",
      "    in.blank_lines = ds.blank_lines;\n", "",
      "the report's input section always says 0 blank lines"),
    m("fresh24", "f24_segment_rest_includes_segment", "core/diagnosis/step4_dimensions.cpp",
      "rest[x] = counts.bins[x] - bins[x];", "rest[x] = counts.bins[x];",
      "a segment's 'rest' timeline counts every unit, the segment's own included"),
    m("fresh24", "f24_step2_flag_severe", "core/diagnosis/health.cpp",
      "state(!r.group_metrics.empty(), flagged, false)", "state(!r.group_metrics.empty(), flagged, flagged)",
      "a flagged group metric marks Step 2 severe instead of warn in the step statuses"),
    m("fresh24", "f24_included_units_dropped", "core/diagnosis/evidence.cpp",
      "    ev.included_units = tally.included;\n", "",
      "force-included units are never counted: the inclusion check always sees none"),
    # ingestion
    m("fresh24", "f24_sniff_no_pipe", "core/ingest/sniffer.cpp",
      r"""for (char c : {',', '\t', ';', '|'}) {""", r"""for (char c : {',', '\t', ';'}) {""",
      "a pipe-delimited file is no longer detected as such (read with another delimiter)"),
    m("fresh24", "f24_bom_encoding_label", "core/ingest/sniffer.cpp",
      'd.encoding = "utf-8 with BOM";', 'd.encoding = "utf-8";',
      "a file with a UTF-8 byte order mark is reported as plain 'utf-8'"),
    m("fresh24", "f24_multi_variant_role_name", "core/ingest/dataset.cpp",
      'case Role::MultiVariant: return "multi_variant";', 'case Role::MultiVariant: return "multi-variant";',
      "the multi-variant column's role is named 'multi-variant' instead of 'multi_variant' (JSON column_roles, text)"),
    m("fresh24", "f24_mapping_no_metrics", "core/ingest/dataset.cpp",
      "    for (const auto& x : metrics) m.metrics.push_back(x.name);\n", "",
      "the column mapping (JSON columns.metrics) lists no metric columns"),
    # cli / pipeline / app
    m("fresh24", "f24_cli_h_flag_dropped", "core/cli/cli.cpp",
      '{"-h", [&] { o.help = true; }},', "",
      "srm-check -h is an unknown option (exit 64) instead of showing the help"),
    m("fresh24", "f24_help_no_exit_codes", "core/cli/cli.cpp",
      "out << kUsageHead << kOptions << kReportOptions << kExitCodes;", "out << kUsageHead << kOptions << kReportOptions;",
      "srm-check --help no longer lists the exit codes"),
    m("fresh24", "f24_changes_file_ignored", "core/pipeline/analysis.cpp",
      "    if (request.changes_file) dopt.changes = read_change_log(*request.changes_file);\n", "",
      "--changes (and the workbench's change log) is ignored: Step 3 always says no change log was given"),
    m("fresh24", "f24_workbench_help_exit_usage", "app/srm_workbench_main.cpp",
      "        std::cout << srmui::workbenchUsage();\n        return 0;", "        std::cout << srmui::workbenchUsage();\n        return srm::kExitUsage;",
      "srm-workbench --help exits 64 instead of 0"),
    # report
    m("fresh24", "f24_markdown_lt_unescaped", "core/report/markdown.cpp",
      """case '<': out += "&lt;"; break;""", """case '<': out += '<'; break;""",
      "the Markdown report leaves '<' in data or notes unescaped (raw HTML gets through)"),
    m("fresh24", "f24_html_subheading_unescaped", "core/report/html.cpp",
      'o << "<h3>" << html_escape(b.text) << "</h3>', 'o << "<h3>" << b.text << "</h3>',
      "the HTML report's subheadings are not HTML-escaped"),
    m("fresh24", "f24_json_weight_is_share", "core/report/json.cpp",
      '{"weight", v.weight}', '{"weight", v.expected_share}',
      "the JSON report gives each variant's planned weight as its normalised share"),
    m("fresh24", "f24_text_rate_ci_low_fraction", "core/report/text.cpp",
      "fixed(v.ci_low * 100.0, 2)", "fixed(v.ci_low, 2)",
      "the text report's Step 2 shows a rate's lower confidence bound as a fraction instead of a percentage"),
    # warehouse / simulate / base
    m("fresh24", "f24_simulate_pipe_delimiter", "core/simulate/simulate_cli.cpp",
      'else if (v == "," || v == ";" || v == "|") spec.delimiter = v[0];', 'else if (v == "," || v == ";") spec.delimiter = v[0];',
      "srm-simulate --delimiter '|' is refused"),
    m("fresh24", "f24_two_digit_year_pivot", "core/base/timeformat.cpp",
      "f.year = v < 69 ? 2000 + v : 1900 + v;", "f.year = v < 50 ? 2000 + v : 1900 + v;",
      "a two-digit year 50-68 (%y) is read as 19xx instead of 20xx"),
    # ui
    m("fresh24", "f24_ui_unplanned_suffix", "ui/variantmodel.cpp",
      'case Name: return QString::fromStdString(v.name) + (v.unplanned ? tr(" (planned at 0 %)") : QString());',
      "case Name: return QString::fromStdString(v.name);",
      "the variant table no longer marks an unplanned variant '(planned at 0 %)'"),
    m("fresh24", "f24_ui_copy_keeps_line_breaks", "ui/tablecopy.cpp",
      r""".replace(QLatin1Char('\n'), QLatin1Char(' '))""", "",
      "copying table cells keeps a cell's line breaks, splitting one row over several lines"),
    m("fresh24", "f24_ui_segment_limited_label", "ui/reportformat.cpp",
      'case srm::HealthState::SegmentLimited: return QObject::tr("SRM inside segments");',
      'case srm::HealthState::SegmentLimited: return QObject::tr("SRM alert");',
      "the workbench labels a segment-limited report 'SRM alert' instead of 'SRM inside segments'"),
    m("fresh24", "f24_ui_step4_filter_untrimmed", "ui/step4page.cpp",
      "m_needle = needle.trimmed();", "m_needle = needle;",
      "the Step 4 segment filter with a leading or trailing space matches nothing"),
]

# ---- fresh25: written without reading the tests (only mutants.py, to avoid repeats), from the source itself, on
# ---- fresh25: severity word 'warn', zero planned weight refused, exact-test method reason, step 1 state without a pattern, no-SRM summary's segment clause, marginal in the localization summary, bad_hour reason code, change log 'type' column, allocation history 'start' column, --window end without a time column, --window with one side, --dimensions empty items, counts input header flag, workbench bad session exit, JSON rows outside the window, HTML list items unescaped, document equal-split warning, Markdown chart text alternative, backtick identifiers' backslash, srm-simulate date time format, UI rate scale, --palette light, one-second session window, header scope unescaped ----
MUTANTS += [
    # core statistics / diagnosis
    m("fresh25", "f25_severity_warn_word", "core/stats/stats.cpp",
      'case Severity::Warn: return "warn";', 'case Severity::Warn: return "warning";',
      "a warn-level SRM is named 'warning' instead of 'warn' (JSON severity, text report, UI)"),
    m("fresh25", "f25_zero_weight_refused", "core/stats/stats.cpp",
      "if (!std::isfinite(v.weight) || v.weight < 0.0)", "if (!std::isfinite(v.weight) || v.weight <= 0.0)",
      "a variant planned at weight 0 (left out of --expected, or seen in the data but not planned) is refused as an invalid weight"),
    m("fresh25", "f25_exact_method_no_reason", "core/stats/stats.cpp",
      '    m << ", because an expected count is below " << options.exact_below_expected;\n', "",
      "the exact test's method no longer says it was used because an expected count is below the threshold"),
    m("fresh25", "f25_step1_severe_without_pattern", "core/diagnosis/health.cpp",
      "kind != PatternKind::None, severe && kind != PatternKind::None),",
      "kind != PatternKind::None, severe),",
      "with a severe SRM but no time pattern, Step 1's state is 'severe' instead of 'ok'"),
    m("fresh25", "f25_verdict_segment_clause_inverted", "core/diagnosis/verdict.cpp",
      '(report.dimensions.empty() ? "" : ", and no segment of any dimension is out of balance")',
      '(report.dimensions.empty() ? ", and no segment of any dimension is out of balance" : "")',
      "the no-SRM verdict claims 'no segment of any dimension is out of balance' only when there are no dimensions"),
    m("fresh25", "f25_explain_summary_no_marginal", "core/diagnosis/explain.cpp",
      '(ex.segments[i].marginal ? ", marginal" : "")', '""',
      "the localization summary no longer marks a marginal segment '(N units, marginal)'"),
    # ingestion
    m("fresh25", "f25_bad_hour_reason_code", "core/ingest/parse.cpp",
      'case RejectReason::BadHour: return "bad_hour";', 'case RejectReason::BadHour: return "bad_time";',
      "rows rejected for a bad hour-of-day are counted under 'bad_time' instead of 'bad_hour' (JSON rejected_by_reason)"),
    m("fresh25", "f25_change_log_type_column", "core/ingest/side_files.cpp",
      '{"kind", "type", "category", "change_type"}', '{"kind", "category", "change_type"}',
      "a change log whose kind column is named 'type' is not read: every change's kind is 'change'"),
    m("fresh25", "f25_allocation_start_column", "core/ingest/side_files.cpp",
      '{"timestamp", "time", "date", "datetime", "ts", "start", "from"}', '{"timestamp", "time", "date", "datetime", "ts", "from"}',
      "an allocation history whose time column is named 'start' is refused (no timestamp column)"),
    m("fresh25", "f25_window_end_without_time", "core/ingest/loader.cpp",
      "if ((opt.window_start || opt.window_end) && roles.time < 0)", "if (opt.window_start && roles.time < 0)",
      "--window ,END on a file without a time column is silently ignored instead of refused (exit 65)"),
    # cli / pipeline / app
    m("fresh25", "f25_window_one_side_refused", "core/cli/cli.cpp",
      "if (!o.request.window_start && !o.request.window_end) throw", "if (!o.request.window_start || !o.request.window_end) throw",
      "--window START, or --window ,END (one side empty) is refused as a usage error"),
    m("fresh25", "f25_list_empty_items_kept", "core/cli/cli.cpp",
      "        if (!item.empty()) out.push_back(item);", "        out.push_back(item);",
      "--dimensions/--metrics with a trailing or doubled comma names an empty column and fails"),
    m("fresh25", "f25_counts_header_true", "core/pipeline/analysis.cpp",
      "    input.header = false;", "    input.header = true;",
      "for --counts the JSON input dialect says header: true"),
    m("fresh25", "f25_workbench_bad_session_exit_usage", "app/srm_workbench_main.cpp",
      "if (!window.openSession(*cl.session)) return srm::kExitBadInput;", "if (!window.openSession(*cl.session)) return srm::kExitUsage;",
      "srm-workbench with a session file that cannot be opened exits 64 instead of 65"),
    # report
    m("fresh25", "f25_json_outside_window_is_other_events", "core/report/json.cpp",
      'j["rows_outside_window"] = in.rows_outside_window;', 'j["rows_outside_window"] = in.rows_other_events;',
      "the JSON input's rows_outside_window gives the count of other event types"),
    m("fresh25", "f25_html_list_items_unescaped", "core/report/html.cpp",
      'for (const auto& i : b.items) o << "<li>" << html_escape(i) << "</li>";', 'for (const auto& i : b.items) o << "<li>" << i << "</li>";',
      "the HTML report's bullet and numbered items (findings, next steps, warnings) are not HTML-escaped"),
    m("fresh25", "f25_document_no_equal_split_warning", "core/report/document.cpp",
      '    if (in.expected_assumed_equal) s.blocks.push_back(paragraph("No planned allocation was given: an equal split is assumed.", "warning"));\n', "",
      "the HTML/Markdown/PDF report's input section no longer warns that an equal split was assumed"),
    m("fresh25", "f25_markdown_chart_no_alt", "core/report/markdown.cpp",
      '<< markdown_escape(b.chart.title) << ". " << markdown_escape(b.chart.alt) << "*\\n\\n";',
      '<< markdown_escape(b.chart.title) << "*\\n\\n";',
      "the Markdown report's chart lines lose their text alternative (only the title is left)"),
    # warehouse / simulate / base
    m("fresh25", "f25_backtick_backslash_unescaped", "core/warehouse/sql.cpp",
      '        else if (c == \'\\\\\' && e != SqlEngine::Databricks) out += "\\\\\\\\";\n', "",
      "a backslash in a BigQuery/ClickHouse column or table name is not escaped in --print-sql's backtick quoting"),
    m("fresh25", "f25_simulate_date_format_dropped", "core/simulate/simulate_cli.cpp",
      '{"date", TimeFormat::Date}};', "};",
      "srm-simulate --time-format date is refused as unknown (exit 64)"),
    # ui
    m("fresh25", "f25_ui_rate_not_percent", "ui/reportmodels.cpp",
      "const double scale = m.binary ? 100.0 : 1.0;", "const double scale = 1.0;",
      "the Step 2 metrics table shows a rate and its interval as fractions followed by '%'"),
    m("fresh25", "f25_ui_palette_light_refused", "ui/commandline.cpp",
      '*c.palette != QStringLiteral("dark") && *c.palette != QStringLiteral("light")', '*c.palette != QStringLiteral("dark")',
      "srm-workbench --palette light is refused as a usage error"),
    m("fresh25", "f25_ui_session_one_second_window", "ui/session.cpp",
      "std::abs(end) <= kLimit && start <= end &&", "std::abs(end) <= kLimit && start < end &&",
      "a session whose window starts and ends in the same second is refused as malformed"),
    m("fresh25", "f25_ui_scope_unescaped", "ui/healthheader.cpp",
      "QString::fromStdString(srm::describe_scope(report.scope, r.units)).toHtmlEscaped()",
      "QString::fromStdString(srm::describe_scope(report.scope, r.units))",
      "the header's 'Showing:' line does not HTML-escape the scope (a segment value with '<' or '&' is shown as markup)"),
]

# ---- fresh26: written without reading the tests (only mutants.py, to avoid repeats), from the source itself, on
# ---- fresh26: Monte Carlo standard error, step 3 without a change log, one-phase allocation history, mirror warning without disagreement, opposite skews, time pattern evidence text, date plus hour, allocation history order, UTF-16 BE, second time column, --print-sql error exit, --print-sql with a FILE, --expected naming no variant, workbench usage exit, HTML table headers, Markdown '&', JSON metric kind, text timeline heading, SQL multi-variant flag, CSV quote doubling, UI metric kind, checklist tick, UI SRM yes/no, UI left-out dimension count ----
MUTANTS += [
    # core statistics / diagnosis
    m("fresh26", "f26_mc_se_variance", "core/stats/stats.cpp",
      "out.standard_error = std::sqrt(out.p_value * (1.0 - out.p_value) / static_cast<double>(samples));",
      "out.standard_error = out.p_value * (1.0 - out.p_value) / static_cast<double>(samples);",
      "the Monte Carlo exact test reports the variance of its p-value as its standard error (no square root)"),
    m("fresh26", "f26_step3_always_applicable", "core/diagnosis/health.cpp",
      '{"step3", state(!r.changes.empty(), near, false)',
      '{"step3", state(true, near, false)',
      "step 3 shows ok instead of not_applicable when no change log was given"),
    m("fresh26", "f26_one_phase_allocation_warns", "core/diagnosis/checks.cpp",
      "if (ev.allocation_phases > 1) {",
      "if (ev.allocation_phases >= 1) {",
      "an allocation history of a single phase makes the allocation_change check warn of a mid-test change"),
    m("fresh26", "f26_mirror_warning_without_disagreement", "core/diagnosis/input_summary.cpp",
      "if (ev.mirror_column && ev.mirror_rows_disagreeing > 0)",
      "if (ev.mirror_column)",
      "a variant_mirror_disagrees input warning is given even when every row's mirror column agrees with its variant"),
    m("fresh26", "f26_opposite_skews_inverted", "core/diagnosis/verdict.cpp",
      "std::adjacent_find(towards.begin(), towards.end(), std::not_equal_to<>())",
      "std::adjacent_find(towards.begin(), towards.end(), std::equal_to<>())",
      "a segment-limited verdict calls segments skewing the same way opposite skews that cancel out, and opposite skews the same way"),
    m("fresh26", "f26_time_evidence_swapped", "core/diagnosis/diagnose.cpp",
      'ds.has_time ? "No exposure has a time." : "Needs a time column.";',
      'ds.has_time ? "Needs a time column." : "No exposure has a time.";',
      "step 1's not-applicable evidence says 'Needs a time column.' when there is one, and the other way round"),
    # ingestion
    m("fresh26", "f26_date_hour_not_combined", "core/ingest/roles.cpp",
      "        if (r.date_only) find_hour(col);\n", "",
      "a date-only time column no longer takes the hour of day from an hour column beside it (every unit lands at midnight)"),
    m("fresh26", "f26_allocation_history_unsorted", "core/ingest/side_files.cpp",
      "    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.start < b.start; });\n", "",
      "an allocation history whose rows are not in time order is used in file order (phases out of order)"),
    m("fresh26", "f26_utf16_be_not_named", "core/ingest/sniffer.cpp",
      "((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))",
      "(u[0] == 0xFF && u[1] == 0xFE)",
      "a big-endian UTF-16 file is no longer refused as UTF-16 (it falls through to the NUL-bytes message)"),
    m("fresh26", "f26_second_time_column_kept", "core/ingest/roles.cpp",
      '        if (static_cast<int>(i) != a_.time && p.iso == p.seen) return ignore(i, "a second time column");\n', "",
      "a second column of ISO times is no longer ignored as 'a second time column' (it becomes a dimension or is ignored for another reason)"),
    # cli / pipeline / app
    m("fresh26", "f26_print_sql_error_exit_65", "core/cli/cli.cpp",
      "err << \"srm-check: --print-sql: \" << e.what() << \"\\nTry 'srm-check --help'.\\n\";\n        return kExitUsage;",
      "err << \"srm-check: --print-sql: \" << e.what() << \"\\nTry 'srm-check --help'.\\n\";\n        return kExitBadInput;",
      "srm-check --print-sql with a name it cannot quote (or a reversed window) exits 65 instead of 64"),
    m("fresh26", "f26_print_sql_takes_file", "core/cli/cli.cpp",
      "    if (o.request.file || o.counts)\n",
      "    if (o.counts)\n",
      "srm-check --print-sql or --db with a FILE silently ignores the FILE instead of a usage error"),
    m("fresh26", "f26_expected_no_variant_bad_input", "core/pipeline/analysis.cpp",
      "throw UsageError(\"--expected names none of the data's variants",
      "throw InputError(\"--expected names none of the data's variants",
      "--expected naming none of the data's variants exits 65 (bad input) instead of 64 (usage)"),
    m("fresh26", "f26_workbench_usage_exit_65", "app/srm_workbench_main.cpp",
      "std::fprintf(stderr, \"srm-workbench: %s\\nTry 'srm-workbench --help'.\\n\", e.what());\n        return srm::kExitUsage;",
      "std::fprintf(stderr, \"srm-workbench: %s\\nTry 'srm-workbench --help'.\\n\", e.what());\n        return srm::kExitBadInput;",
      "srm-workbench with a wrong command line exits 65 instead of 64"),
    # report
    m("fresh26", "f26_html_table_header_unescaped", "core/report/html.cpp",
      'for (const auto& h : t.header) o << "<th scope=\\"col\\">" << html_escape(h) << "</th>";',
      'for (const auto& h : t.header) o << "<th scope=\\"col\\">" << h << "</th>";',
      "the HTML report's table headers (variant and metric names among them) are not HTML-escaped"),
    m("fresh26", "f26_markdown_ampersand_unescaped", "core/report/markdown.cpp",
      "        case '&': out += \"&amp;\"; break;\n", "",
      "the Markdown report leaves '&' unescaped (an entity-like name such as '&lt;' renders as '<')"),
    m("fresh26", "f26_json_metric_kind_swapped", "core/report/json.cpp",
      '{"kind", m.binary ? "rate" : "mean"}',
      '{"kind", m.binary ? "mean" : "rate"}',
      "the JSON group metrics call a binary metric 'mean' and a numeric one 'rate'"),
    m("fresh26", "f26_text_timeline_heading_swapped", "core/report/text.cpp",
      'pad(tl.resolution == TimeResolution::Day ? "Day ending" : "Hour ending", 20, false)',
      'pad(tl.resolution == TimeResolution::Day ? "Hour ending" : "Day ending", 20, false)',
      "the text report's timeline table is headed 'Hour ending' for daily points and 'Day ending' for hourly ones"),
    # warehouse / base
    m("fresh26", "f26_sql_vmax_min", "core/warehouse/sql.cpp",
      "MAX(srm_variant) OVER (PARTITION BY srm_unit, srm_kind) AS srm_vmax",
      "MIN(srm_variant) OVER (PARTITION BY srm_unit, srm_kind) AS srm_vmax",
      "the warehouse query's srm_multi_variant is always 0 (a unit's largest variant is taken as its smallest)"),
    m("fresh26", "f26_csv_quote_not_doubled", "core/base/text.cpp",
      "        if (c == '\"') q += '\"';\n", "",
      "a double quote inside a quoted CSV field is not doubled (the field ends early when read back)"),
    # ui
    m("fresh26", "f26_ui_metric_kind_swapped", "ui/reportmodels.cpp",
      '(m.binary ? tr(" (rate)") : tr(" (mean)"))',
      '(m.binary ? tr(" (mean)") : tr(" (rate)"))',
      "the Step 2 metrics table labels a binary metric '(mean)' and a numeric one '(rate)'"),
    m("fresh26", "f26_ui_checklist_tick_inverted", "ui/reportmodels.cpp",
      "a.done = value.toInt() == Qt::Checked;",
      "a.done = value.toInt() != Qt::Checked;",
      "ticking a manual checklist item records it as not done, and unticking as done"),
    m("fresh26", "f26_ui_srm_yes_no_swapped", "ui/summarypage.cpp",
      '.arg(report.verdict.srm ? tr("yes") : tr("no"))',
      '.arg(report.verdict.srm ? tr("no") : tr("yes"))',
      "the summary page's verdict line says 'SRM: no' for an SRM and 'SRM: yes' for none"),
    m("fresh26", "f26_ui_left_out_dimension_count", "ui/summarypage.cpp",
      ".arg(srm::dimension_value_limit(distinct));",  # was .arg(distinct > 0 ? distinct - 1 : 0), now one helper
      ".arg(distinct);",
      "the summary page says a left-out dimension has more than N distinct values with N one too high"),
]
