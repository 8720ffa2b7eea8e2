#include "srm/report.hpp"

#include "srm/timeutil.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <sstream>

namespace srm {

const char* to_string(CheckStatus s) noexcept
{
    switch (s) {
    case CheckStatus::Pass: return "pass";
    case CheckStatus::Warn: return "warn";
    case CheckStatus::Fail: return "fail";
    case CheckStatus::NotApplicable: return "not_applicable";
    case CheckStatus::Manual: return "manual";
    }
    return "not_applicable";
}

const char* to_string(SrmType t) noexcept
{
    switch (t) {
    case SrmType::None: return "none";
    case SrmType::Allocation: return "allocation";
    case SrmType::Tracking: return "tracking";
    case SrmType::Eligibility: return "eligibility";
    case SrmType::SegmentLimited: return "segment_limited";
    case SrmType::Unknown: return "unknown";
    }
    return "unknown";
}

namespace {

Check not_applicable(std::string id, std::string title, std::string needs)
{
    return Check{std::move(id), std::move(title), CheckStatus::NotApplicable, std::nullopt, std::move(needs)};
}

Check manual(std::string id, std::string title, std::string question)
{
    return Check{std::move(id), std::move(title), CheckStatus::Manual, std::nullopt, std::move(question)};
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
    Check c{"sample_size", "Enough units for the SRM test to be meaningful", CheckStatus::Pass,
            static_cast<double>(r.units), {}};
    double min_expected = INFINITY;
    for (const auto& v : r.variants)
        if (v.expected_share > 0.0) min_expected = std::min(min_expected, v.expected);
    std::ostringstream d;
    d.precision(3);
    d << r.units << " units; the smallest expected count is " << std::fixed << min_expected << ". ";
    d.unsetf(std::ios::fixed);
    d << "At this size the test detects a share deviation of about " << detectable_deviation_pp(r, t)
      << " pp with 80 % power.";
    if (min_expected < 100.0) {
        c.status = CheckStatus::Warn;
        d << " Too few units for a reliable SRM verdict: a real imbalance may go unnoticed.";
    }
    c.detail = d.str();
    return c;
}

}  // namespace

namespace {

std::string pct(double share, int decimals = 2)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f %%", decimals, share * 100.0);
    return buf;
}

std::string hours(double seconds)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f h", seconds / 3600.0);
    return buf;
}

// Where the imbalance concentrates: the dimension whose split differs most
// clearly across its values (independence p below the severe level) and in
// it the value holding at least half of the dimension's excess units.
struct Concentration {
    std::string dimension, value;
    double share = 0;
};

std::optional<Concentration> concentration(const Report& r)
{
    std::optional<Concentration> best;
    double best_log10 = std::log10(r.options.thresholds.severe);
    for (const auto& d : r.dimensions) {
        if (d.log10_p_value >= best_log10 || d.segments.empty()) continue;
        const auto top = std::max_element(d.segments.begin(), d.segments.end(),
                                          [](const auto& a, const auto& b) { return a.share_of_imbalance < b.share_of_imbalance; });
        if (top->share_of_imbalance < 0.5 || top->severity == "too_small" || top->severity == "ok") continue;
        best_log10 = d.log10_p_value;
        best = Concentration{d.name, top->value, top->share_of_imbalance};
    }
    return best;
}

void funnel_test(Evidence& ev)
{
    std::vector<std::pair<double, double>> rows;  // (exposed, not exposed)
    double exposed = 0, missing = 0;
    for (const auto& [assigned, exp] : ev.funnel) {
        if (assigned == 0) continue;
        rows.emplace_back(static_cast<double>(exp), static_cast<double>(assigned - exp));
        exposed += static_cast<double>(exp);
        missing += static_cast<double>(assigned - exp);
    }
    ev.funnel_p_value = 1.0;
    ev.funnel_log10_p = 0.0;
    if (rows.size() < 2 || exposed == 0 || missing == 0) return;
    const double total = exposed + missing;
    double chi2 = 0;
    for (const auto& [e, m] : rows) {
        const double n = e + m;
        const double ee = n * exposed / total, em = n * missing / total;
        chi2 += (e - ee) * (e - ee) / ee + (m - em) * (m - em) / em;
    }
    ev.funnel_log10_p = log_chi_square_sf(chi2, static_cast<double>(rows.size() - 1)) / std::log(10.0);
    ev.funnel_p_value = std::pow(10.0, ev.funnel_log10_p);
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

void diagnose(Report& report)
{
    const auto& r = report.srm;
    auto& ev = report.evidence;
    const auto& th = report.options.thresholds;
    const bool events = report.input.shape == "events";
    const bool has_time = ev.has_time || report.input.columns.time.has_value();
    const auto conc = concentration(report);
    const auto& tp = report.time_pattern;
    auto time_text = [](std::int64_t t) { return format_iso8601(t); };

    auto& checks = report.checks;
    checks.clear();

    // variant_jumping
    if (ev.has_unit && events && ev.exposed_units > 0) {
        const double share = static_cast<double>(ev.jumped_units) / static_cast<double>(ev.exposed_units);
        Check c{"variant_jumping", "Units seen in more than one variant", CheckStatus::Pass, share, {}};
        c.status = share >= 0.05 ? CheckStatus::Fail : share >= 0.01 ? CheckStatus::Warn : CheckStatus::Pass;
        c.detail = std::to_string(ev.jumped_units) + " of " + std::to_string(ev.exposed_units) + " units (" + pct(share) +
                   ") were exposed to more than one variant; each is counted in the variant of its first exposure. "
                   "Warn from 1 %, fail from 5 %.";
        if (c.status != CheckStatus::Pass)
            c.detail += " Look for logging in and out, regenerated device ids or a bucketing key that changes.";
        checks.push_back(std::move(c));
    } else {
        checks.push_back(not_applicable("variant_jumping", "Units seen in more than one variant",
            "Needs event-level data with a unit id column (user_id, device_id, ...) to see units in several variants."));
    }

    // analysis_window
    if (has_time && report.window.traffic_start) {
        Check c{"analysis_window", "Analysis window covers the whole time with traffic", CheckStatus::Pass, 1.0, {}};
        const auto ts = *report.window.traffic_start, te = *report.window.traffic_end;
        const bool narrower = (report.window.start && *report.window.start > ts) || (report.window.end && *report.window.end < te);
        if (narrower) {
            const std::int64_t ws = report.window.start.value_or(ts), we = report.window.end.value_or(te);
            const double covered = te > ts ? static_cast<double>(std::min(we, te) - std::max(ws, ts)) / static_cast<double>(te - ts) : 1.0;
            c.value = std::max(0.0, covered);
            c.status = CheckStatus::Warn;
            c.detail = "The analysis covers " + time_text(ws) + " to " + time_text(we) + ", but traffic ran from " +
                       time_text(ts) + " to " + time_text(te) + " (" + pct(std::max(0.0, covered), 0) +
                       " of the span). Units returning in the window favour the variant that brings them back.";
            if (report.window.whole_span)
                c.detail += " Over the whole span the SRM test gives p = " +
                            format_p(report.window.whole_span->p_value, report.window.whole_span->log10_p_value) + " (" +
                            to_string(report.window.whole_span->severity) + ").";
        } else {
            c.detail = "The analysis covers all traffic, " + time_text(ts) + " to " + time_text(te) + ".";
        }
        checks.push_back(std::move(c));
    } else {
        checks.push_back(not_applicable("analysis_window", "Analysis window covers the whole time with traffic",
            "Needs a time column to compare the analysed window with the span that had traffic."));
    }

    // allocation_change
    if (ev.allocation_phases > 1) {
        std::string when;
        for (auto t : ev.allocation_changes) when += (when.empty() ? "" : ", ") + time_text(t);
        checks.push_back(Check{"allocation_change", "Traffic allocation unchanged during the test", CheckStatus::Warn,
                               static_cast<double>(ev.allocation_changes.size()),
                               "The allocation history changes the split at " + when +
                                   ": the SRM test uses each phase's expectation (chi_square_phased). Changing the split "
                                   "mid-test breaks comparisons across phases."});
    } else if (has_time && tp.kind != "not_applicable") {
        Check c{"allocation_change", "Traffic allocation unchanged during the test", CheckStatus::Pass, std::nullopt, {}};
        if (tp.kind == "at_point" && r.srm() && !conc) {
            c.status = CheckStatus::Warn;
            c.detail = "The split shifts at " + time_text(*tp.change_point) +
                       " alike in every segment: a probable change of the traffic allocation. Give the allocation history "
                       "(--allocation) to test each phase against its own plan.";
        } else {
            c.detail = ev.allocation_phases == 1 ? "One allocation phase in the history."
                                                 : "No shift of the split at one moment that every segment shares.";
        }
        checks.push_back(std::move(c));
    } else {
        checks.push_back(not_applicable("allocation_change", "Traffic allocation unchanged during the test",
            "Needs a time column (or an allocation history, --allocation) to see a shift in the split."));
    }

    // variant_added_removed
    if (has_time && report.window.traffic_start && !ev.variant_span.empty()) {
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
        checks.push_back(std::move(c));
    } else {
        checks.push_back(not_applicable("variant_added_removed", "No variant added or removed mid-test",
            "Needs a time column to see when each variant started and stopped receiving traffic."));
    }

    // assignment_exposure_funnel
    std::uint64_t assigned_total = 0;
    for (const auto& f : ev.funnel) assigned_total += f.first;
    if (ev.has_event && assigned_total > 0) {
        funnel_test(ev);
        Check c{"assignment_exposure_funnel", "Assignment to exposure conversion equal across variants", CheckStatus::Pass, 0.0, {}};
        std::string rates;
        double lo = 1, hi = 0;
        for (std::size_t j = 0; j < ev.funnel.size() && j < r.variants.size(); ++j) {
            if (ev.funnel[j].first == 0) continue;
            const double rate = static_cast<double>(ev.funnel[j].second) / static_cast<double>(ev.funnel[j].first);
            lo = std::min(lo, rate);
            hi = std::max(hi, rate);
            rates += (rates.empty() ? "" : ", ") + r.variants[j].name + " " + pct(rate) + " of " +
                     std::to_string(ev.funnel[j].first);
        }
        c.value = (hi - lo) * 100.0;
        const auto sev = classify_log10(ev.funnel_log10_p, th);
        c.status = sev == Severity::Severe ? CheckStatus::Fail : sev == Severity::Warn ? CheckStatus::Warn : CheckStatus::Pass;
        c.detail = "Exposed after assignment: " + rates + " (chi-square test of equal rates, p = " +
                   format_p(ev.funnel_p_value, ev.funnel_log10_p) + ").";
        if (c.status != CheckStatus::Pass)
            c.detail += " Exposures go missing in one variant after a correct assignment: a tracking or eligibility loss.";
        checks.push_back(std::move(c));
    } else {
        checks.push_back(not_applicable("assignment_exposure_funnel", "Assignment to exposure conversion equal across variants",
            "Needs an event-type column with assignment and exposure events."));
    }

    // individual_inclusions
    if (ev.has_inclusion && ev.exposed_units > 0) {
        const double share = static_cast<double>(ev.included_units) / static_cast<double>(ev.exposed_units);
        checks.push_back(Check{"individual_inclusions", "Few individually included (force-bucketed) units",
                               share > 0.01 ? CheckStatus::Warn : CheckStatus::Pass, share,
                               std::to_string(ev.included_units) + " units (" + pct(share) +
                                   ") were included by hand rather than randomised; more than 1 % can skew the split."});
    } else {
        checks.push_back(not_applicable("individual_inclusions", "Few individually included (force-bucketed) units",
            "Needs a flag column marking units that were included by hand (force_included, forced, ...)."));
    }

    checks.push_back(sample_size_check(r, th));
    for (const auto& item : kManualItems) checks.push_back(manual(item[0], item[1], item[2]));

    // --- Verdict ---------------------------------------------------------
    auto& v = report.verdict;
    v = Verdict{};
    const bool overall = r.srm();
    const bool segments = !report.ranked_segments.empty();
    bool unplanned = false;
    for (const auto& vr : r.variants) unplanned = unplanned || vr.unplanned;
    auto check_status = [&](const char* id) {
        for (const auto& c : checks)
            if (c.id == id) return c.status;
        return CheckStatus::NotApplicable;
    };
    std::vector<std::string> flagged;
    for (const auto& m : report.group_metrics)
        if (m.flag) flagged.push_back(m.metric);
    const ChangeResult* near = nullptr;
    for (const auto& c : report.changes)
        if (c.near_change_point && (!near || std::fabs(*c.distance_seconds) < std::fabs(*near->distance_seconds))) near = &c;

    std::ostringstream s;
    v.srm = overall || segments;
    if (!v.srm) {
        v.type = SrmType::None;
        s << "No sample ratio mismatch: the observed split is consistent with the planned allocation (p = "
          << format_p(r.p_value, r.log10_p_value) << ")";
        if (!report.dimensions.empty()) s << ", and no segment of any dimension is out of balance";
        s << ".";
        v.next_steps = {"The traffic split gives no reason to distrust the experiment's results."};
        v.summary = s.str();
        return;
    }
    if (overall)
        s << "Sample ratio mismatch (" << to_string(r.severity) << ", p = " << format_p(r.p_value, r.log10_p_value)
          << "): the observed split differs from the planned allocation by up to "
          << std::round(r.max_abs_deviation_pp * 1000.0) / 1000.0 << " percentage points.";
    else
        s << "The overall split looks fine (p = " << format_p(r.p_value, r.log10_p_value) << "), but it is out of balance inside "
          << report.ranked_segments.front().dimension << " = " << report.ranked_segments.front().value << " (adjusted p = "
          << format_p(report.ranked_segments.front().adjusted_p_value, report.ranked_segments.front().log10_adjusted_p_value)
          << ").";
    std::string first_step;
    if (unplanned) {
        v.type = SrmType::Allocation;
        s << " Units reached a variant planned at 0 %, so assignment itself does not follow the plan.";
        first_step = "Check the experiment's configuration: which targeting or default sends units to the unplanned variant?";
    } else if (!overall) {
        v.type = SrmType::SegmentLimited;
        s << " Opposite skews in different segments cancel out in the total; results for those segments cannot be trusted.";
        first_step = "Look at what differs for " + report.ranked_segments.front().dimension + " = " +
                     report.ranked_segments.front().value + ": redirects, consent, caching or SDK versions that treat the variants differently there.";
    } else if (check_status("assignment_exposure_funnel") == CheckStatus::Fail || check_status("assignment_exposure_funnel") == CheckStatus::Warn) {
        v.type = SrmType::Tracking;
        s << " Assignment is balanced but fewer assigned units are exposed in one variant: exposures are lost after assignment.";
        first_step = "Compare the exposure logging of the variants: does the exposure event fire at the same moment and under the same conditions in each?";
    } else if (tp.kind == "at_point") {
        s << " It starts at " << time_text(*tp.change_point) << ".";
        if (conc) {
            v.type = SrmType::Tracking;
            s << " It concentrates in " << conc->dimension << " = " << conc->value << " (" << pct(conc->share, 0)
              << " of the imbalance in that dimension): a change that breaks exposure logging there.";
        } else {
            v.type = SrmType::Allocation;
            s << " Every segment shifts alike: a probable change of the traffic allocation or of bucketing.";
        }
        if (near)
            s << " The " << near->change.kind << " '" << near->change.description << "' at " << time_text(near->change.time)
              << " is " << hours(std::fabs(*near->distance_seconds)) << " from it.";
        first_step = near ? "Start with the " + near->change.kind + " '" + near->change.description + "' near the change point" +
                                (conc ? " and how it affects " + conc->dimension + " = " + conc->value : std::string()) + "."
                          : "Find what was deployed or reconfigured around " + time_text(*tp.change_point) + ".";
    } else if (tp.kind == "gradual" && conc && flagged.empty()) {
        v.type = SrmType::Tracking;
        s << " It grows over time and concentrates in " << conc->dimension << " = " << conc->value << " ("
          << pct(conc->share, 0) << " of the imbalance in that dimension), with no group metric differing: exposures are "
          << "lost there in one variant.";
        first_step = "Check exposure logging for " + conc->dimension + " = " + conc->value + " and what changed for it during the test.";
    } else if (tp.kind == "gradual") {
        v.type = SrmType::Eligibility;
        s << " It grows steadily over time: units drop out of one variant before they are counted.";
        if (!flagged.empty()) {
            s << " The group metric";
            for (const auto& f : flagged) s << " '" << f << "'";
            s << " differs between variants: the SRM is a symptom of the variant's experience, not of the randomisation.";
        }
        first_step = "Look for crashes, errors or slow loads in the variant that loses units; the SRM is their symptom.";
    } else if (tp.kind == "from_start") {
        if (conc) {
            v.type = SrmType::Tracking;
            s << " It is there from the start and concentrates in " << conc->dimension << " = " << conc->value
              << ": exposure is not recorded alike there.";
            first_step = "Check how the variants are exposed and logged for " + conc->dimension + " = " + conc->value + ".";
        } else {
            v.type = SrmType::Allocation;
            s << " It is there from the start, alike in every segment: a bucketing defect or a configuration error.";
            first_step = "Check the bucketing code and the experiment's configuration (hashing key, salt, allocation).";
        }
    } else if (conc) {
        v.type = SrmType::Tracking;
        s << " It concentrates in " << conc->dimension << " = " << conc->value << ".";
        first_step = "Check exposure logging for " + conc->dimension + " = " + conc->value + ".";
    } else {
        v.type = SrmType::Unknown;
        if (!ev.has_time && !ev.has_unit && report.dimensions.empty())
            s << " Variant totals alone cannot tell an allocation defect from a tracking or eligibility loss;"
                 " event-level data (time, unit id, dimensions) lets the diagnosis locate it.";
        else
            s << " The data does not point to one cause; work through the checklist.";
    }
    if (check_status("variant_jumping") == CheckStatus::Fail) s << " Many units saw more than one variant.";
    if (!r.practically_significant)
        s << " The largest deviation is below the practical threshold of " << report.options.min_practical_pp
          << " pp: statistically but not practically significant.";
    v.summary = s.str();
    if (!first_step.empty()) v.next_steps.push_back(first_step);
    v.next_steps.push_back("Find the root cause first: it decides whether any of the results can still be used.");
    v.next_steps.push_back("Fix the cause, then discard this run and re-run the experiment with the same design and a new randomization seed.");
    v.next_steps.push_back("Do not try to repair the collected data at the analysis stage: re-running is the rigorous remedy.");
}

}  // namespace srm
