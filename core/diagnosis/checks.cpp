// The support checklist (seed 001): automated checks from what the data
// shows, then the questions only the reviewer can answer.
#include "report_text_internal.hpp"
#include "steps_internal.hpp"

#include "srm/text.hpp"
#include "srm/timeutil.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace srm {

namespace detail {

std::string pct(double share, int decimals) { return format_fixed(share * 100.0, decimals) + " %"; }

std::string hours(double seconds) { return format_fixed(seconds / 3600.0, 1) + " h"; }

std::optional<Concentration> concentration(const Report& r)
{
    const Explanation& ex = r.explanation;
    if (ex.status == ExplanationStatus::Global || ex.status == ExplanationStatus::None) return std::nullopt;
    if (ex.status == ExplanationStatus::Localized) {
        std::string where;
        std::size_t n = 0;
        for (const auto& s : ex.segments) n += !s.marginal;
        for (std::size_t i = 0, shown = 0; i < ex.segments.size(); ++i) {
            if (ex.segments[i].marginal) continue;
            where += (shown == 0 ? "" : shown + 1 == n ? " and " : ", ") + describe_conditions(ex.segments[i].conditions);
            ++shown;
        }
        return Concentration{where, pct(ex.explained_share.value_or(0), 0) + " of the imbalance"};
    }
    std::optional<Concentration> best;
    double best_log10 = std::log10(r.options.thresholds.severe);
    for (const auto& d : r.dimensions) {
        if (d.log10_p_value >= best_log10 || d.segments.empty()) continue;
        const auto top = std::max_element(d.segments.begin(), d.segments.end(),
                                          [](const auto& a, const auto& b) { return a.share_of_imbalance < b.share_of_imbalance; });
        if (top->share_of_imbalance < 0.5 || top->severity == SegmentSeverity::TooSmall || top->severity == SegmentSeverity::Ok) continue;
        best_log10 = d.log10_p_value;
        best = Concentration{d.name + " = " + top->value, pct(top->share_of_imbalance, 0) + " of the imbalance in that dimension"};
    }
    return best;
}

namespace {

std::string time_text(std::int64_t t) { return format_iso8601(t); }

Check not_applicable(std::string id, std::string title, std::string needs)
{
    return Check{std::move(id), std::move(title), CheckStatus::NotApplicable, std::nullopt, std::move(needs)};
}

// The smallest share deviation (percentage points) of the smallest planned
// variant that the test would detect with 80 % power at the warn level:
// (z_{1-alpha/2} + z_{0.8}) * sqrt(p (1 - p) / n).
double detectable_deviation_pp(const SrmResult& r, const SrmThresholds& t)
{
    double p_min = 1.0;
    for (const auto& v : r.variants)
        if (v.expected_share > 0.0) p_min = std::min(p_min, v.expected_share);
    const boost::math::normal standard;
    const double z_alpha = boost::math::quantile(boost::math::complement(standard, t.warn / 2.0));
    const double z_power = boost::math::quantile(standard, 0.8);
    return (z_alpha + z_power) * std::sqrt(p_min * (1.0 - p_min) / static_cast<double>(r.units)) * 100.0;
}

Check sample_size_check(const SrmResult& r, const SrmThresholds& t)
{
    Check c{"sample_size", "Enough units for the SRM test to be meaningful", CheckStatus::Pass, static_cast<double>(r.units), {}};
    double min_expected = INFINITY;
    for (const auto& v : r.variants)
        if (v.expected_share > 0.0) min_expected = std::min(min_expected, v.expected);
    std::ostringstream d;
    d.precision(3);
    d << r.units << " units; the smallest expected count is " << std::fixed << min_expected << ". ";
    d.unsetf(std::ios::fixed);
    d << "At this size the test detects a share deviation of about " << detectable_deviation_pp(r, t) << " pp with 80 % power.";
    if (min_expected < 100.0) {
        c.status = CheckStatus::Warn;
        d << " Too few units for a reliable SRM verdict: a real imbalance may go unnoticed.";
    }
    c.detail = d.str();
    return c;
}

Check variant_jumping(const Report& report)
{
    const auto& ev = report.evidence;
    if (!(((ev.has_unit && report.input.shape == InputShape::Events) || ev.has_multi_variant) && ev.exposed_units > 0))
        return not_applicable("variant_jumping", "Units seen in more than one variant",
                              "Needs event-level data with a unit id column (user_id, device_id, ...) to see units in several variants, "
                              "or aggregated counts with the warehouse query's srm_multi_variant column (srm-check --print-sql).");
    const double share = static_cast<double>(ev.jumped_units) / static_cast<double>(ev.exposed_units);
    Check c{"variant_jumping", "Units seen in more than one variant", CheckStatus::Pass, share, {}};
    c.status = share >= 0.05 ? CheckStatus::Fail : share >= 0.01 ? CheckStatus::Warn : CheckStatus::Pass;
    c.detail = group_thousands(ev.jumped_units) + " of " + group_thousands(ev.exposed_units) + " units (" + pct(share) +
               ") were exposed to more than one variant; each is counted in the variant of its first exposure. "
               "Warn from 1 %, fail from 5 %.";
    if (c.status != CheckStatus::Pass) c.detail += " Look for logging in and out, regenerated device ids or a bucketing key that changes.";
    return c;
}

bool has_time(const Report& report) { return report.evidence.has_time || report.input.columns.time.has_value(); }

Check analysis_window(const Report& report)
{
    const auto& w = report.window;
    if (!(has_time(report) && w.traffic_start))
        return not_applicable("analysis_window", "Analysis window covers the whole time with traffic",
                              "Needs a time column to compare the analysed window with the span that had traffic.");
    Check c{"analysis_window", "Analysis window covers the whole time with traffic", CheckStatus::Pass, 1.0, {}};
    const auto ts = *w.traffic_start, te = *w.traffic_end;
    const bool narrower = (w.start && *w.start > ts) || (w.end && *w.end < te);
    if (!narrower) {
        c.detail = "The analysis covers all traffic, " + time_text(ts) + " to " + time_text(te) + ".";
        return c;
    }
    const std::int64_t ws = w.start.value_or(ts), we = w.end.value_or(te);
    const double covered = te > ts ? static_cast<double>(std::min(we, te) - std::max(ws, ts)) / static_cast<double>(te - ts) : 1.0;
    c.value = std::max(0.0, covered);
    c.status = CheckStatus::Warn;
    c.detail = "The analysis covers " + time_text(ws) + " to " + time_text(we) + ", but traffic ran from " + time_text(ts) + " to " +
               time_text(te) + " (" + pct(std::max(0.0, covered), 0) +
               " of the span). Units returning in the window favour the variant that brings them back.";
    if (w.whole_span)
        c.detail += " Over the whole span the SRM test gives p = " + format_p(w.whole_span->p_value, w.whole_span->log10_p_value) +
                    " (" + to_string(w.whole_span->severity) + ").";
    return c;
}

Check allocation_change(const Report& report, const std::optional<Concentration>& conc)
{
    const auto& ev = report.evidence;
    const auto& tp = report.time_pattern;
    if (ev.allocation_phases > 1) {
        std::string when;
        for (auto t : ev.allocation_changes) when += (when.empty() ? "" : ", ") + time_text(t);
        return Check{"allocation_change", "Traffic allocation unchanged during the test", CheckStatus::Warn,
                     static_cast<double>(ev.allocation_changes.size()),
                     "The allocation history changes the split at " + when +
                         ": the SRM test uses each phase's expectation (chi_square_phased). Changing the split "
                         "mid-test breaks comparisons across phases."};
    }
    if (!(has_time(report) && tp.kind != PatternKind::NotApplicable))
        return not_applicable("allocation_change", "Traffic allocation unchanged during the test",
                              "Needs a time column (or an allocation history) to see a shift in the split.");
    Check c{"allocation_change", "Traffic allocation unchanged during the test", CheckStatus::Pass, std::nullopt, {}};
    if (tp.kind == PatternKind::AtPoint && report.srm.srm() && !conc) {
        c.status = CheckStatus::Warn;
        c.detail = "The split shifts at " + time_text(*tp.change_point) +
                   " alike in every segment: a probable change of the traffic allocation. Give the allocation history "
                   "(the planned split by phase) to test each phase against its own plan.";
    } else {
        c.detail = ev.allocation_phases == 1 ? "One allocation phase in the history." : "No shift of the split at one moment that every segment shares.";
    }
    return c;
}

Check variant_added_removed(const Report& report)
{
    const auto& ev = report.evidence;
    const auto& r = report.srm;
    if (!(has_time(report) && report.window.traffic_start && !ev.variant_span.empty()))
        return not_applicable("variant_added_removed", "No variant added or removed mid-test",
                              "Needs a time column to see when each variant started and stopped receiving traffic.");
    Check c{"variant_added_removed", "No variant added or removed mid-test", CheckStatus::Pass, 0.0, {}};
    const double span = static_cast<double>(*report.window.traffic_end - *report.window.traffic_start);
    std::int64_t first = std::numeric_limits<std::int64_t>::max(), last = std::numeric_limits<std::int64_t>::min();
    for (const auto& [a, b] : ev.variant_span)
        if (a <= b) {
            first = std::min(first, a);
            last = std::max(last, b);
        }
    std::string problems;
    double worst = 0;
    for (std::size_t j = 0; j < ev.variant_span.size() && j < r.variants.size(); ++j) {
        const auto [a, b] = ev.variant_span[j];
        if (r.variants[j].weight <= 0 && r.variants[j].observed == 0) continue;
        if (a > b) {
            problems += " '" + r.variants[j].name + "' received no units at all.";
            worst = std::max(worst, span);
            continue;
        }
        if (static_cast<double>(a - first) > 0.1 * span) {
            problems += " '" + r.variants[j].name + "' starts at " + time_text(a) + ", " + hours(static_cast<double>(a - first)) +
                        " after the first variant.";
            worst = std::max(worst, static_cast<double>(a - first));
        }
        if (static_cast<double>(last - b) > 0.1 * span) {
            problems += " '" + r.variants[j].name + "' stops at " + time_text(b) + ", " + hours(static_cast<double>(last - b)) +
                        " before the last exposure.";
            worst = std::max(worst, static_cast<double>(last - b));
        }
    }
    c.value = worst / 3600.0;
    if (!problems.empty()) {
        c.status = CheckStatus::Fail;
        c.detail = "A variant receives traffic for only part of the test:" + problems;
    } else {
        c.detail = "Every variant receives traffic from the start to the end of the test (gaps over 10 % of the span would show).";
    }
    return c;
}

Check assignment_exposure_funnel(const Report& report)
{
    const auto& ev = report.evidence;
    const auto& r = report.srm;
    std::uint64_t assigned_total = 0;
    for (const auto& f : ev.funnel) assigned_total += f.first;
    if (!(ev.has_event && assigned_total > 0))
        return not_applicable("assignment_exposure_funnel", "Assignment to exposure conversion equal across variants",
                              "Needs an event-type column with assignment and exposure events.");
    Check c{"assignment_exposure_funnel", "Assignment to exposure conversion equal across variants", CheckStatus::Pass, 0.0, {}};
    std::string rates;
    double lo = 1, hi = 0;
    for (std::size_t j = 0; j < ev.funnel.size() && j < r.variants.size(); ++j) {
        if (ev.funnel[j].first == 0) continue;
        const double rate = static_cast<double>(ev.funnel[j].second) / static_cast<double>(ev.funnel[j].first);
        lo = std::min(lo, rate);
        hi = std::max(hi, rate);
        rates += (rates.empty() ? "" : ", ") + r.variants[j].name + " " + pct(rate) + " of " + group_thousands(ev.funnel[j].first);
    }
    c.value = (hi - lo) * 100.0;
    const auto sev = classify_log10(ev.funnel_log10_p, report.options.thresholds);
    c.status = sev == Severity::Severe ? CheckStatus::Fail : sev == Severity::Warn ? CheckStatus::Warn : CheckStatus::Pass;
    c.detail = "Exposed after assignment: " + rates + " (chi-square test of equal rates, p = " +
               format_p(ev.funnel_p_value, ev.funnel_log10_p) + ").";
    if (c.status != CheckStatus::Pass)
        c.detail += " Exposures go missing in one variant after a correct assignment: a tracking or eligibility loss.";
    return c;
}

Check individual_inclusions(const Report& report)
{
    const auto& ev = report.evidence;
    if (!(ev.has_inclusion && ev.exposed_units > 0))
        return not_applicable("individual_inclusions", "Few individually included (force-bucketed) units",
                              "Needs a flag column marking units that were included by hand (force_included, forced, ...).");
    const double share = static_cast<double>(ev.included_units) / static_cast<double>(ev.exposed_units);
    return Check{"individual_inclusions", "Few individually included (force-bucketed) units",
                 share > 0.01 ? CheckStatus::Warn : CheckStatus::Pass, share,
                 group_thousands(ev.included_units) + " units (" + pct(share) +
                     ") were included by hand rather than randomised; more than 1 % can skew the split."};
}

// A column that names the arm in its own words (landing_page) must agree
// with the variant: a row where it does not saw the other arm's experience.
Check variant_column_agreement(const Report& report)
{
    const auto& ev = report.evidence;
    const char* title = "The variant agrees with the column that mirrors it";
    if (!ev.mirror_column)
        return not_applicable("variant_column_agreement", title,
                              "No column mirrors the variant (such as a landing page named for each arm).");
    const double rows = static_cast<double>(report.input.rows_read ? report.input.rows_read : 1);
    const double share = static_cast<double>(ev.mirror_rows_disagreeing) / rows;
    Check c{"variant_column_agreement", title, CheckStatus::Pass, static_cast<double>(ev.mirror_rows_disagreeing), {}};
    std::string mapping;
    for (const auto& [variant, value] : ev.mirror_expected) mapping += (mapping.empty() ? "" : ", ") + variant + " = " + value;
    if (ev.mirror_rows_disagreeing == 0) {
        c.detail = "Every row's '" + *ev.mirror_column + "' matches its variant (" + mapping + ").";
        return c;
    }
    c.status = share >= 0.001 ? CheckStatus::Fail : CheckStatus::Warn;
    c.detail = group_thousands(ev.mirror_rows_disagreeing) + " rows (" + pct(share) + ", " + group_thousands(ev.mirror_units_disagreeing) +
               " units) show another arm in '" + *ev.mirror_column + "' than their variant (expected " + mapping +
               "): those units saw the other arm's experience, so the split of experiences is not the split of assignments. "
               "Fail from 0.1 % of rows.";
    return c;
}

// The support checklist's questions for the reviewer (seed 001).
const char* const kManualItems[][3] = {
    {"custom_exposure_event", "Platform exposure event rather than a custom one",
     "Is exposure logged by the platform when the variant is fetched, or by a custom event that may fire later or not at all in one variant?"},
    {"sticky_bucketing", "Sticky bucketing not toggled mid-test", "Was sticky bucketing switched on or off while the experiment ran?"},
    {"repeated_srm", "First experiment on this surface, or repeated SRMs",
     "Is this the first experiment on this surface? Repeated SRMs point to an instrumentation defect rather than chance."},
    {"identity_churn", "Logging in and out, regenerated ids",
     "Do users log in and out often, or are device ids regenerated on logout, so that one person is bucketed again?"},
    {"missing_exposure", "Same events but a missing exposure",
     "Are there units with the same sequence of events where one lacks the exposure event?"},
    {"fallback_variant", "Fallback variant not counted as exposure",
     "When the flag service does not answer in time, is the fallback (usually control) logged as an exposure?"},
    {"data_source", "Data source and platform",
     "Which path sends the events (platform SDK, a CDP such as Segment, batch upload)? Does it differ between variants or platforms?"},
};

}  // namespace

std::vector<Check> build_checks(const Report& report)
{
    const auto conc = concentration(report);
    std::vector<Check> checks;
    checks.push_back(variant_jumping(report));
    checks.push_back(analysis_window(report));
    checks.push_back(allocation_change(report, conc));
    checks.push_back(variant_added_removed(report));
    checks.push_back(assignment_exposure_funnel(report));
    checks.push_back(variant_column_agreement(report));
    checks.push_back(individual_inclusions(report));
    checks.push_back(sample_size_check(report.srm, report.options.thresholds));
    for (const auto& item : kManualItems) checks.push_back(Check{item[0], item[1], CheckStatus::Manual, std::nullopt, item[2]});
    return checks;
}

}  // namespace detail

}  // namespace srm
