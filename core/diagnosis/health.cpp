// The health state: the one answer every view shows, decided here once
// from the input, the SRM test, the segments and the checks; and the
// status of each step of the diagnosis as the navigator shows it.
#include "report_text_internal.hpp"
#include "steps_internal.hpp"

#include "srm/text.hpp"

#include <array>
#include <cstdio>

namespace srm::detail {

namespace {

// The automated checks whose failure invalidates the split, whatever the
// SRM test says (unplanned traffic is a finding of the test itself).
constexpr std::array<const char*, 3> kInvalidating = {"variant_jumping", "assignment_exposure_funnel", "variant_column_agreement"};

std::string percent(double share) { return pct(share, 1); }

// Why the input cannot carry a verdict, if it cannot: any rejected row of
// aggregated counts (each may hold many units), more than 1 % of rows of
// event-level data.
std::optional<std::string> input_problem(const Report& r)
{
    const auto& in = r.input;
    if (in.rows_rejected == 0 || in.shape == InputShape::Counts) return std::nullopt;
    if (in.shape == InputShape::Aggregated)
        return group_thousands(in.rows_rejected) + " aggregated row" + (in.rows_rejected == 1 ? " was" : "s were") +
               " rejected, and each may hold many units: the counts are not the experiment's";
    const double share = static_cast<double>(in.rows_rejected) / static_cast<double>(in.rows_read);
    if (share <= 0.01) return std::nullopt;
    return percent(share) + " of the rows (" + group_thousands(in.rows_rejected) + " of " + group_thousands(in.rows_read) +
           ") were rejected, more than 1 %";
}

std::vector<const Check*> failed_checks(const Report& r)
{
    std::vector<const Check*> out;
    for (const auto& c : r.checks)
        for (const char* id : kInvalidating)
            if (c.id == id && c.status == CheckStatus::Fail) out.push_back(&c);
    return out;
}

std::string p_text(const SrmResult& s) { return "p = " + format_p(s.p_value, s.log10_p_value); }

// What a failed check found, in a few words.
std::string failure_phrase(const Check& c)
{
    const double v = c.value.value_or(0.0);
    if (c.id == "variant_jumping") return percent(v) + " of units were seen in more than one variant";
    if (c.id == "assignment_exposure_funnel") {
        return "the share of assigned units that were exposed differs by " + format_fixed(v, 1) + " pp between variants";
    }
    if (c.id == "variant_column_agreement") return group_thousands(static_cast<std::uint64_t>(v)) + " rows show another arm than their variant";
    return c.title;
}

}  // namespace

Health decide_health(const Report& r)
{
    Health h;
    const auto problem = input_problem(r);
    const auto failed = failed_checks(r);
    const bool localized = r.explanation.status == ExplanationStatus::Localized;
    const bool segments = !r.ranked_segments.empty() || localized;
    // Where: the localization's segments, else Step 4's top segment.
    std::string where;
    bool several = false;
    if (localized) {
        std::vector<std::string> names;
        for (const auto& sg : r.explanation.segments)
            if (!sg.marginal) names.push_back(describe_conditions(sg.conditions));
        if (names.size() > 3) {
            const std::size_t more = names.size() - 3;
            names.resize(3);
            names.push_back(std::to_string(more) + " more");
        }
        for (std::size_t i = 0; i < names.size(); ++i) where += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
        several = names.size() > 1;
    } else if (!r.ranked_segments.empty()) {
        where = r.ranked_segments.front().dimension + " = " + r.ranked_segments.front().value;
    }
    if (problem) h.reasons.push_back("Input: " + *problem + ".");
    if (r.srm.severity != Severity::Ok)
        h.reasons.push_back(std::string(r.srm.severity == Severity::Severe ? "Severe" : "Warn-level") + " SRM: the split differs from the plan (" +
                            p_text(r.srm) + ").");
    for (const auto& f : r.srm.findings) h.reasons.push_back("Unplanned traffic: " + f + ".");
    if (r.srm.severity != Severity::Ok && r.input.expected_assumed_equal)
        h.reasons.push_back("No planned allocation was given: the test assumes an equal split.");
    for (const Check* c : failed) h.reasons.push_back("Failed check: " + c->title + ". " + c->detail);
    if (localized)
        for (const auto& sg : r.explanation.segments)
            h.reasons.push_back((sg.marginal ? "Marginally off inside " : "Out of balance inside ") + describe_conditions(sg.conditions) + " (" +
                                group_thousands(sg.units) + " units, p = " + format_p(sg.p_value, sg.log10_p_value) + ").");
    else if (segments && r.srm.severity == Severity::Ok)
        h.reasons.push_back("Out of balance inside " + where + " (adjusted p = " +
                            format_p(r.ranked_segments.front().adjusted_p_value, r.ranked_segments.front().log10_adjusted_p_value) + ").");
    if (localized)
        h.reasons.push_back("The rest (" + group_thousands(r.explanation.remaining_units) + " units) matches the plan (p = " +
                            format_p(r.explanation.remaining.p_value, r.explanation.remaining.log10_p_value) + ").");
    else if (r.explanation.status == ExplanationStatus::Global && r.srm.severity != Severity::Ok)
        h.reasons.push_back("Spread over every segment: no small set of segments explains it.");
    if (problem) {
        h.state = HealthState::InputProblem;
        h.headline = "Input problem: " + *problem + ". The test cannot be trusted as it stands.";
    } else if (r.srm.severity == Severity::Severe) {
        h.state = HealthState::Severe;
        h.headline = "Severe SRM: the traffic split does not match the plan (" + p_text(r.srm) + ")" + (localized ? ", explained by " + where : "") + ".";
    } else if (!failed.empty()) {
        h.state = HealthState::CheckFailed;
        h.headline = "The split cannot be trusted: " + failure_phrase(*failed.front()) + ".";
    } else if (r.srm.severity == Severity::Warn) {
        h.state = HealthState::Warn;
        h.headline = "SRM alert: the traffic split differs from the plan (" + p_text(r.srm) + ")" + (localized ? ", explained by " + where : "") + ".";
    } else if (segments) {
        h.state = HealthState::SegmentLimited;
        h.headline = "SRM inside segments: " + where + (several ? " are" : " is") +
                     " out of balance though the total matches the plan.";
    } else {
        h.state = HealthState::Healthy;
        h.headline = "Balanced: the traffic split matches the plan (" + p_text(r.srm) + ").";
    }
    return h;
}

std::vector<StepStatus> step_statuses(const Report& r)
{
    const bool severe = r.srm.severity == Severity::Severe;
    auto state = [](bool applicable, bool bad, bool worse) {
        return !applicable ? StepState::NotApplicable : worse ? StepState::Severe : bad ? StepState::Warn : StepState::Ok;
    };
    bool flagged = false, near = false, fail = false, warn = false;
    for (const auto& m : r.group_metrics) flagged = flagged || m.flag;
    for (const auto& c : r.changes) near = near || c.near_change_point;
    for (const auto& c : r.checks) {
        fail = fail || c.status == CheckStatus::Fail;
        warn = warn || c.status == CheckStatus::Warn;
    }
    const auto kind = r.time_pattern.kind;
    const HealthState hs = r.health.state;
    const bool unhealthy = hs != HealthState::Healthy;
    const bool step4_bad = !r.ranked_segments.empty() || r.explanation.status == ExplanationStatus::Localized;
    return {
        {"step1", state(kind != PatternKind::NotApplicable, kind != PatternKind::None, severe && kind != PatternKind::None),
         to_string(kind)},
        {"step2", state(!r.group_metrics.empty(), flagged, false), flagged ? "a metric differs" : "no metric differs"},
        {"step3", state(!r.changes.empty(), near, false), near ? "a change near the break" : "no change near the break"},
        {"step4", state(!r.dimensions.empty(), step4_bad, step4_bad && (severe || hs == HealthState::SegmentLimited)),
         r.explanation.status == ExplanationStatus::Localized ? "explained by " + std::to_string(r.explanation.segments.size()) +
                                                                    (r.explanation.segments.size() == 1 ? " segment" : " segments")
         : r.explanation.status == ExplanationStatus::Global ? "spread over every segment"
         : r.ranked_segments.empty()                          ? "no segment out of balance"
                                                              : "segments out of balance"},
        {"checklist", state(true, warn || fail, fail), fail ? "a check failed" : warn ? "a check warns" : "no check fails"},
        {"summary", state(true, unhealthy, unhealthy && hs != HealthState::Warn), to_string(hs)},
    };
}

}  // namespace srm::detail
