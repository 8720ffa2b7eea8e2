// The verdict: SRM yes or no, its most likely type (allocation, tracking,
// eligibility, segment-limited, unknown) with the evidence sentence, and the
// next steps of seed 000.
#include "report_text_internal.hpp"
#include "steps_internal.hpp"

#include "srm/text.hpp"
#include "srm/timeutil.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>

namespace srm::detail {

namespace {

std::string time_text(std::int64_t t) { return format_iso8601(t); }

// The facts the verdict weighs.
struct Facts {
    explicit Facts(const Report& r) : report(r) {}
    const Report& report;
    bool overall = false, unplanned = false;
    std::optional<Concentration> conc;
    std::vector<std::string> flagged;   // flagged group metrics
    const ChangeResult* near = nullptr;  // the change nearest to the change point, when near
    CheckStatus status(const char* id) const
    {
        for (const auto& c : report.checks)
            if (c.id == id) return c.status;
        return CheckStatus::NotApplicable;
    }
};

Facts gather(const Report& report)
{
    Facts f(report);
    f.overall = report.srm.srm();
    for (const auto& vr : report.srm.variants) f.unplanned = f.unplanned || vr.unplanned;
    f.conc = concentration(report);
    for (const auto& m : report.group_metrics)
        if (m.flag) f.flagged.push_back(m.metric);
    for (const auto& c : report.changes)
        if (c.near_change_point && (!f.near || std::fabs(*c.distance_seconds) < std::fabs(*f.near->distance_seconds))) f.near = &c;
    return f;
}

// A cause: the type, the sentences that explain it and the first next step.
struct Cause {
    SrmType type = SrmType::Unknown;
    std::string text, first_step;
};

Cause at_point_cause(const Facts& f)
{
    const auto& tp = f.report.time_pattern;
    std::ostringstream s;
    Cause c;
    s << " It starts at " << time_text(*tp.change_point) << ".";
    if (f.conc) {
        c.type = SrmType::Tracking;
        s << " It concentrates in " << f.conc->where << " (" << f.conc->share_text << "): a change that breaks exposure logging there.";
    } else {
        c.type = SrmType::Allocation;
        s << " Every segment shifts alike: a probable change of the traffic allocation or of bucketing.";
    }
    if (f.near)
        s << " The " << f.near->change.kind << " '" << f.near->change.description << "' at " << time_text(f.near->change.time) << " is "
          << hours(std::fabs(*f.near->distance_seconds)) << " from it.";
    c.first_step = f.near ? "Start with the " + f.near->change.kind + " '" + f.near->change.description + "' near the change point" +
                                (f.conc ? " and how it affects " + f.conc->where : std::string()) + "."
                          : "Find what was deployed or reconfigured around " + time_text(*tp.change_point) + ".";
    c.text = s.str();
    return c;
}

Cause gradual_cause(const Facts& f)
{
    std::ostringstream s;
    Cause c;
    if (f.conc && f.flagged.empty()) {
        c.type = SrmType::Tracking;
        s << " It grows over time and concentrates in " << f.conc->where << " (" << f.conc->share_text
          << "), with no group metric differing: exposures are lost there in one variant.";
        c.first_step = "Check exposure logging for " + f.conc->where + " and what changed for it during the test.";
    } else {
        c.type = SrmType::Eligibility;
        s << " It grows steadily over time: units drop out of one variant before they are counted.";
        if (!f.flagged.empty()) {
            s << " The group metric";
            for (const auto& m : f.flagged) s << " '" << m << "'";
            s << " differs between variants: the SRM is a symptom of the variant's experience, not of the randomisation.";
        }
        c.first_step = "Look for crashes, errors or slow loads in the variant that loses units; the SRM is their symptom.";
    }
    c.text = s.str();
    return c;
}

Cause other_cause(const Facts& f)
{
    const auto& report = f.report;
    const auto& ev = report.evidence;
    Cause c;
    if (report.time_pattern.kind == PatternKind::FromStart) {
        if (f.conc) {
            c.type = SrmType::Tracking;
            c.text = " It is there from the start and concentrates in " + f.conc->where + " (" + f.conc->share_text +
                     "): exposure is not recorded alike there.";
            c.first_step = "Check how the variants are exposed and logged for " + f.conc->where + ".";
        } else {
            c.type = SrmType::Allocation;
            c.text = " It is there from the start, alike in every segment: a bucketing defect or a configuration error.";
            c.first_step = "Check the bucketing code and the experiment's configuration (hashing key, salt, allocation).";
        }
    } else if (f.conc) {
        c.type = SrmType::Tracking;
        c.text = " It concentrates in " + f.conc->where + " (" + f.conc->share_text + ").";
        c.first_step = "Check exposure logging for " + f.conc->where + ".";
    } else {
        c.type = SrmType::Unknown;
        if (!ev.has_time && !ev.has_unit && report.dimensions.empty())
            c.text = " Variant totals alone cannot tell an allocation defect from a tracking or eligibility loss;"
                     " event-level data (time, unit id, dimensions) lets the diagnosis locate it.";
        else
            c.text = " The data does not point to one cause; work through the checklist.";
    }
    return c;
}

// The variant a segment over-represents against the plan (index into the
// report's variants).
std::size_t over_represented(const std::vector<double>& observed, const std::vector<double>& expected)
{
    std::size_t best = 0;
    for (std::size_t i = 1; i < observed.size() && i < expected.size(); ++i)
        if (observed[i] - expected[i] > observed[best] - expected[best]) best = i;
    return best;
}

// Why a segment-limited SRM does not show in the total: the segments skew
// towards different variants and cancel out, or the skew of one segment (or
// of several alike) is too small a part of the traffic.
std::string segment_limited_text(const Report& report)
{
    std::vector<std::size_t> towards;
    if (report.explanation.status == ExplanationStatus::Localized) {
        for (const auto& sg : report.explanation.segments) towards.push_back(over_represented(sg.observed_shares, sg.expected_shares));
    } else {
        std::vector<double> plan;
        for (const auto& v : report.srm.variants) plan.push_back(v.expected_share);
        for (const auto& rs : report.ranked_segments)
            for (const auto& d : report.dimensions)
                for (const auto& sg : d.segments)
                    if (d.name == rs.dimension && sg.value == rs.value && sg.units > 0) {
                        std::vector<double> shares;
                        for (auto c : sg.counts) shares.push_back(static_cast<double>(c) / static_cast<double>(sg.units));
                        towards.push_back(over_represented(shares, plan));
                    }
    }
    const bool opposite = std::adjacent_find(towards.begin(), towards.end(), std::not_equal_to<>()) != towards.end();
    if (opposite) return " Opposite skews in different segments cancel out in the total; results for those segments cannot be trusted.";
    if (towards.size() <= 1)
        return " The skew is confined to that segment, too small a part of the traffic to show in the total; results for that segment cannot be trusted.";
    return " The segments skew the same way but are too small a part of the traffic to show in the total; results for those segments cannot be trusted.";
}

// The most likely cause of an SRM, in order of how directly the data shows it.
Cause likely_cause(const Facts& f)
{
    const auto& report = f.report;
    const std::string where = f.conc ? f.conc->where
                              : report.ranked_segments.empty() ? std::string()
                                                               : report.ranked_segments.front().dimension + " = " + report.ranked_segments.front().value;
    if (f.unplanned)
        return {SrmType::Allocation, " Units reached a variant planned at 0 %, so assignment itself does not follow the plan.",
                "Check the experiment's configuration: which targeting or default sends units to the unplanned variant?"};
    if (!f.overall)
        return {SrmType::SegmentLimited, segment_limited_text(report),
                "Look at what differs for " + where +
                    ": redirects, consent, caching or SDK versions that treat the variants differently there."};
    const auto funnel = f.status("assignment_exposure_funnel");
    if (funnel == CheckStatus::Fail || funnel == CheckStatus::Warn)
        return {SrmType::Tracking,
                " Of the units assigned, a smaller share is exposed in one variant: exposures are lost after assignment.",
                "Compare the exposure logging of the variants: does the exposure event fire at the same moment and under the same conditions in each?"};
    if (report.time_pattern.kind == PatternKind::AtPoint) return at_point_cause(f);
    if (report.time_pattern.kind == PatternKind::Gradual) return gradual_cause(f);
    return other_cause(f);
}

std::string srm_sentence(const Report& report, bool overall)
{
    const auto& r = report.srm;
    std::ostringstream s;
    if (overall) {
        s << "Sample ratio mismatch (" << to_string(r.severity) << ", p = " << format_p(r.p_value, r.log10_p_value)
          << "): the observed split differs from the planned allocation by up to "
          << std::round(r.max_abs_deviation_pp * 1000.0) / 1000.0 << " percentage points.";
    } else if (report.explanation.status == ExplanationStatus::Localized) {
        s << "The overall split looks fine (p = " << format_p(r.p_value, r.log10_p_value) << "), but it is out of balance inside "
          << describe_conditions(report.explanation.segments.front().conditions) << " (p = "
          << format_p(report.explanation.segments.front().p_value, report.explanation.segments.front().log10_p_value) << ")"
          << (report.explanation.segments.size() > 1 ? " and other segments" : "") << ".";
    } else {
        const auto& top = report.ranked_segments.front();
        s << "The overall split looks fine (p = " << format_p(r.p_value, r.log10_p_value) << "), but it is out of balance inside "
          << top.dimension << " = " << top.value << " (adjusted p = " << format_p(top.adjusted_p_value, top.log10_adjusted_p_value) << ").";
    }
    return s.str();
}

}  // namespace

Verdict decide_verdict(const Report& report)
{
    const auto& r = report.srm;
    Verdict v;
    const Facts f = gather(report);
    v.srm = f.overall || !report.ranked_segments.empty() || report.explanation.status == ExplanationStatus::Localized;
    if (!v.srm) {
        v.type = SrmType::None;
        v.summary = "No sample ratio mismatch: the observed split is consistent with the planned allocation (p = " +
                    format_p(r.p_value, r.log10_p_value) + ")" +
                    (report.dimensions.empty() ? "" : ", and no segment of any dimension is out of balance") + ".";
        const HealthState hs = report.health.state;
        if (hs == HealthState::InputProblem || hs == HealthState::CheckFailed) {
            v.summary += " " + report.health.headline;
            v.next_steps = {hs == HealthState::InputProblem
                                ? "Fix the rejected rows (their lines and reasons are listed with the input) and run the check again: "
                                  "until then the counts are not the experiment's."
                                : "Resolve the failed check first: it invalidates the split whatever the SRM test says.",
                            "Find the root cause first: it decides whether any of the results can still be used."};
        } else {
            v.next_steps = {"The traffic split gives no reason to distrust the experiment's results."};
        }
        return v;
    }
    const Cause cause = likely_cause(f);
    v.type = cause.type;
    std::ostringstream s;
    s << srm_sentence(report, f.overall) << cause.text;
    if (report.explanation.status == ExplanationStatus::Localized && f.conc)
        s << " Without " << f.conc->where << ", the other " << group_thousands(report.explanation.remaining_units) << " units match the plan (p = "
          << format_p(report.explanation.remaining.p_value, report.explanation.remaining.log10_p_value) << ").";
    else if (report.explanation.status == ExplanationStatus::Global && f.overall)
        s << " No small set of segments explains it: the imbalance is spread over all of them.";
    if (f.status("variant_jumping") == CheckStatus::Fail) s << " Many units saw more than one variant.";
    if (!r.practically_significant)
        s << " The largest deviation is below the practical threshold of " << report.options.min_practical_pp
          << " pp: statistically but not practically significant.";
    v.summary = s.str();
    if (!cause.first_step.empty()) v.next_steps.push_back(cause.first_step);
    v.next_steps.push_back("Find the root cause first: it decides whether any of the results can still be used.");
    v.next_steps.push_back("Fix the cause, then discard this run and re-run the experiment with the same design and a new randomization seed.");
    v.next_steps.push_back("Do not try to repair the collected data at the analysis stage: re-running is the rigorous remedy.");
    return v;
}

}  // namespace srm::detail
