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
    m("issue17", "cli_near_hours", CLI, "o.request.near_change_hours = static_cast<double>(positive(\"--near-hours\", v, 24 * 365));",
      "(void)positive(\"--near-hours\", v, 24 * 365);", "--near-hours not passed on"),
    m("issue17", "cli_min_segment", CLI, "o.request.min_segment_units = positive(\"--min-segment-units\", v, 1000000000);",
      "(void)positive(\"--min-segment-units\", v, 1000000000);", "--min-segment-units not passed on"),
    m("issue17", "cli_max_dim_values", CLI, "o.request.load.max_dimension_values = positive(\"--max-dimension-values\", v, 65000);",
      "(void)positive(\"--max-dimension-values\", v, 65000);", "--max-dimension-values not passed on"),
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
    m("fresh2", "cli_delimiter", CLI, "if (v == \",\" || v == \";\" || v == \"|\") o.request.load.delimiter = v[0];",
      "if (v == \",\" || v == \";\" || v == \"|\") o.request.load.delimiter = ',';", "--delimiter ; read as ,"),
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
