// Names of the report model's enumerations, as the JSON contract spells them.
#include "srm/report.hpp"

#include "srm/text.hpp"
#include "srm/timeutil.hpp"

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

const char* to_string(InputShape s) noexcept
{
    switch (s) {
    case InputShape::Events: return "events";
    case InputShape::Aggregated: return "aggregated";
    case InputShape::Counts: return "counts";
    }
    return "counts";
}

InputShape input_shape(Shape s) noexcept { return s == Shape::Aggregated ? InputShape::Aggregated : InputShape::Events; }

const char* to_string(PatternKind k) noexcept
{
    switch (k) {
    case PatternKind::NotApplicable: return "not_applicable";
    case PatternKind::None: return "none";
    case PatternKind::FromStart: return "from_start";
    case PatternKind::Gradual: return "gradual";
    case PatternKind::AtPoint: return "at_point";
    }
    return "not_applicable";
}

const char* to_string(TimeResolution r) noexcept
{
    switch (r) {
    case TimeResolution::None: return "";
    case TimeResolution::Hour: return "hour";
    case TimeResolution::Day: return "day";
    }
    return "";
}

std::int64_t seconds_of(TimeResolution r) noexcept
{
    return r == TimeResolution::Hour ? 3600 : r == TimeResolution::Day ? 86400 : 0;
}

const char* to_string(SegmentSeverity s) noexcept
{
    switch (s) {
    case SegmentSeverity::Ok: return "ok";
    case SegmentSeverity::Warn: return "warn";
    case SegmentSeverity::Severe: return "severe";
    case SegmentSeverity::TooSmall: return "too_small";
    }
    return "ok";
}

const char* to_string(ExplanationStatus s) noexcept
{
    switch (s) {
    case ExplanationStatus::Localized: return "localized";
    case ExplanationStatus::Global: return "global";
    case ExplanationStatus::None: return "none";
    case ExplanationStatus::NotApplicable: return "not_applicable";
    }
    return "not_applicable";
}

std::string describe_conditions(const Conditions& conditions)
{
    std::string out;
    for (const auto& [dimension, value] : conditions) out += (out.empty() ? "" : " \u2227 ") + dimension + " = " + value;
    return out;
}

SegmentSeverity segment_severity(Severity s) noexcept
{
    return s == Severity::Severe ? SegmentSeverity::Severe : s == Severity::Warn ? SegmentSeverity::Warn : SegmentSeverity::Ok;
}

const char* to_string(HealthState s) noexcept
{
    switch (s) {
    case HealthState::Healthy: return "healthy";
    case HealthState::Warn: return "warn";
    case HealthState::Severe: return "severe";
    case HealthState::SegmentLimited: return "segment_limited";
    case HealthState::InputProblem: return "input_problem";
    case HealthState::CheckFailed: return "check_failed";
    }
    return "healthy";
}

int exit_code_of(HealthState s) noexcept
{
    switch (s) {
    case HealthState::Healthy: return 0;
    case HealthState::Warn:
    case HealthState::Severe:
    case HealthState::SegmentLimited: return 1;
    case HealthState::CheckFailed: return 2;
    case HealthState::InputProblem: return 65;
    }
    return 0;
}

const char* to_string(StepState s) noexcept
{
    switch (s) {
    case StepState::NotApplicable: return "none";
    case StepState::Ok: return "ok";
    case StepState::Warn: return "warn";
    case StepState::Severe: return "severe";
    }
    return "none";
}

std::string describe_scope(const Scope& scope, std::uint64_t units_in_scope)
{
    if (scope.all()) return "All " + group_thousands(units_in_scope) + " units";
    std::string out;
    if (scope.window) {
        auto minute = [](std::int64_t t) {
            std::string s = format_iso8601(t);  // 2026-03-08T23:25:00Z
            return s.substr(0, 10) + " " + s.substr(11, 5);
        };
        out += std::string(scope.exact_window ? "Window " : "Window (preview, by first exposure) ") + minute(scope.window->first) + " – " +
               minute(scope.window->second) + " UTC";
    }
    if (scope.segment) out += (out.empty() ? "Segment " : " · segment ") + scope.segment->first + " = " + scope.segment->second;
    out += " · " + group_thousands(units_in_scope) + " of " + group_thousands(scope.units_total) + " units";
    return out;
}

}  // namespace srm
