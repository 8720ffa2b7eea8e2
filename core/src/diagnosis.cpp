#include "srm/report.hpp"

#include <boost/math/distributions/normal.hpp>
#include <cmath>
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

void diagnose(Report& report)
{
    const auto& r = report.srm;
    const auto& cols = report.input.columns;
    const bool has_unit = cols.unit.has_value();
    const bool has_time = cols.time.has_value();

    auto& checks = report.checks;
    checks.clear();
    checks.push_back(not_applicable("variant_jumping", "Units seen in more than one variant",
        has_unit ? "" : "Needs event-level data with a unit id column (user_id, device_id, ...) to see units in several variants."));
    checks.push_back(not_applicable("analysis_window", "Analysis window covers the whole time with traffic",
        has_time ? "" : "Needs a time column to compare the analysed window with the span that had traffic."));
    checks.push_back(not_applicable("allocation_change", "Traffic allocation unchanged during the test",
        has_time ? "" : "Needs a time column (or an allocation history, --allocation) to see a shift in the split."));
    checks.push_back(not_applicable("variant_added_removed", "No variant added or removed mid-test",
        has_time ? "" : "Needs a time column to see when each variant started and stopped receiving traffic."));
    checks.push_back(not_applicable("assignment_exposure_funnel", "Assignment to exposure conversion equal across variants",
        "Needs an event-type column with assignment and exposure events."));
    checks.push_back(not_applicable("individual_inclusions", "Few individually included (force-bucketed) units",
        "Needs a flag column marking units that were included by hand."));
    checks.push_back(sample_size_check(r, report.options.thresholds));
    checks.push_back(manual("custom_exposure_event", "Platform exposure event rather than a custom one",
        "Is exposure logged by the platform when the variant is fetched, or by a custom event that may fire later or not at all in one variant?"));
    checks.push_back(manual("sticky_bucketing", "Sticky bucketing not toggled mid-test",
        "Was sticky bucketing switched on or off while the experiment ran?"));
    checks.push_back(manual("repeated_srm", "First experiment on this surface, or repeated SRMs",
        "Is this the first experiment on this surface? Repeated SRMs point to an instrumentation defect rather than chance."));
    checks.push_back(manual("identity_churn", "Logging in and out, regenerated ids",
        "Do users log in and out often, or are device ids regenerated on logout, so that one person is bucketed again?"));
    checks.push_back(manual("missing_exposure", "Same events but a missing exposure",
        "Are there units with the same sequence of events where one lacks the exposure event?"));
    checks.push_back(manual("fallback_variant", "Fallback variant not counted as exposure",
        "When the flag service does not answer in time, is the fallback (usually control) logged as an exposure?"));
    checks.push_back(manual("data_source", "Data source and platform",
        "Which path sends the events (platform SDK, a CDP such as Segment, batch upload)? Does it differ between variants or platforms?"));

    auto& v = report.verdict;
    v = Verdict{};
    v.srm = r.srm();
    std::ostringstream s;
    if (!v.srm) {
        v.type = SrmType::None;
        s << "No sample ratio mismatch: the observed split is consistent with the planned allocation (p = "
          << format_p(r.p_value, r.log10_p_value) << ").";
        v.next_steps = {"The traffic split gives no reason to distrust the experiment's results."};
    } else {
        bool unplanned = false;
        for (const auto& vr : r.variants) unplanned = unplanned || vr.unplanned;
        s << "Sample ratio mismatch (" << to_string(r.severity) << ", p = " << format_p(r.p_value, r.log10_p_value)
          << "): the observed split differs from the planned allocation by up to "
          << std::round(r.max_abs_deviation_pp * 1000.0) / 1000.0 << " percentage points.";
        if (unplanned) {
            v.type = SrmType::Allocation;
            s << " Units reached a variant planned at 0 %, so assignment itself does not follow the plan.";
        } else {
            v.type = SrmType::Unknown;
            s << " Variant totals alone cannot tell an allocation defect from a tracking or eligibility loss;"
                 " event-level data (time, unit id, dimensions) lets the diagnosis locate it.";
        }
        if (!r.practically_significant)
            s << " The largest deviation is below the practical threshold of " << report.options.min_practical_pp
              << " pp: statistically but not practically significant.";
        v.next_steps = {
            "Find the root cause first: it decides whether any of the results can still be used.",
            "Fix the cause, then discard this run and re-run the experiment with the same design and a new randomization seed.",
            "Do not try to repair the collected data at the analysis stage: re-running is the rigorous remedy.",
        };
    }
    v.summary = s.str();
}

}  // namespace srm
