// The report model: everything `srm-check` prints and the workbench shows,
// as plain values. Mirrors resources/srm-report.schema.json. The diagnosis
// fills it; the report stage renders it.
#pragma once

#include "srm/dataset.hpp"
#include "srm/side_files.hpp"
#include "srm/stats.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace srm {

struct ColumnNote {
    std::string name;
    Role role = Role::Ignore;
    std::string reason;  ///< why the column got the role
};

/// What the input was: events or aggregated counts read from a file, or
/// counts given on the command line.
enum class InputShape { Events, Aggregated, Counts };
const char* to_string(InputShape s) noexcept;
InputShape input_shape(Shape s) noexcept;

struct InputSummary {
    std::string file;                ///< empty for counts given on the command line
    InputShape shape = InputShape::Counts;
    std::optional<std::string> delimiter;
    bool header = true;
    std::string encoding = "utf-8";
    std::uint64_t rows_read = 0;
    std::uint64_t rows_rejected = 0;
    std::vector<RowError> errors;
    ColumnMapping columns;
    std::vector<ColumnNote> column_roles;  ///< every column with its role and the reason
    std::string quote;
    std::string line_end;
    std::uint64_t rows_other_events = 0;
    std::uint64_t rows_outside_window = 0;
    std::uint64_t blank_lines = 0;
    /// Dimensions left out of the breakdown: (name, distinct values seen,
    /// one more than the limit: see dimension_value_limit).
    std::vector<std::pair<std::string, std::uint64_t>> excluded_dimensions;
    bool expected_assumed_equal = false;  ///< no allocation given: equal split assumed
    std::vector<InputWarning> warnings;   ///< what a reviewer must know about how the file was read
    std::vector<Dataset::Rejection> rejected_by_reason;
    std::string compression = "plain";    ///< plain, gzip, zstd, zip (member)
    std::uint64_t input_bytes = 0;
};

/// The most distinct values an excluded dimension may have had to be kept:
/// the loader stops counting one past it.
constexpr std::uint64_t dimension_value_limit(std::uint64_t distinct_seen) noexcept { return distinct_seen > 0 ? distinct_seen - 1 : 0; }

enum class CheckStatus { Pass, Warn, Fail, NotApplicable, Manual };
const char* to_string(CheckStatus s) noexcept;

struct Check {
    std::string id;
    std::string title;
    CheckStatus status = CheckStatus::NotApplicable;
    std::optional<double> value;
    std::string detail;
};

enum class SrmType { None, Allocation, Tracking, Eligibility, SegmentLimited, Unknown };
const char* to_string(SrmType t) noexcept;

struct Verdict {
    bool srm = false;
    SrmType type = SrmType::None;
    std::string summary;
    std::vector<std::string> next_steps;
};

/// Step 1's time patterns (seed 000): none, from the start, gradual, at a point.
enum class PatternKind { NotApplicable, None, FromStart, Gradual, AtPoint };
const char* to_string(PatternKind k) noexcept;

struct TimePattern {
    PatternKind kind = PatternKind::NotApplicable;
    std::optional<std::int64_t> change_point;  ///< seconds since the epoch, UTC
    std::string evidence;
    /// Penalised fit of each model (BIC; lower is better): none, constant
    /// offset (from_start), one change (at_point), linear trend (gradual).
    double bic_none = 0, bic_constant = 0, bic_step = 0, bic_trend = 0;
};

/// Step 1: cumulative units per variant by first exposure.
enum class TimeResolution { None, Hour, Day };
const char* to_string(TimeResolution r) noexcept;  ///< "", "hour", "day"
/// Seconds in a bin of the resolution (0 for None).
std::int64_t seconds_of(TimeResolution r) noexcept;

struct TimelinePoint {
    std::int64_t time = 0;                ///< end of the bin, seconds since the epoch
    std::vector<std::uint64_t> new_units;  ///< per variant, in this bin
    std::vector<std::uint64_t> cumulative;  ///< per variant, up to the end of this bin
    /// Per variant, the units the plan expects up to the end of this bin:
    /// each bin's units x the planned shares of its allocation phase.
    std::vector<double> expected_cumulative;
    std::vector<double> expected_new;     ///< per variant, the plan's units of `new_units`
    /// Per variant, the observed share minus the planned share in
    /// percentage points: of the cumulative units, and of this point's new
    /// units; with the half-width of the band the plan allows at the
    /// timeline's `band_level` (the normal approximation of the binomial
    /// share under the plan: z * sqrt(q (1 - q) / n) for planned share q).
    std::vector<double> deviation_pp, band_pp;
    std::vector<double> new_deviation_pp, new_band_pp;
    double p_value = 1.0;                 ///< SRM test of the cumulative counts
    double log10_p_value = 0.0;
    double sequential_log10_p = 0.0;      ///< anytime-valid p-value path (log10)
};

struct Timeline {
    TimeResolution resolution = TimeResolution::None;  ///< of the points
    std::vector<std::string> variants;     ///< names, in the SRM table's order
    std::vector<double> expected_share;    ///< planned share per variant (last phase; the points carry the phased expectation)
    std::vector<TimelinePoint> points;
    std::optional<std::int64_t> traffic_start, traffic_end;  ///< seconds
    double band_level = 0.99;  ///< coverage of the points' bands under the plan
};

struct SequentialTest {
    bool applicable = false;
    double p_value = 1.0;
    double log10_p_value = 0.0;
    std::optional<std::int64_t> first_alert;  ///< seconds; when p first fell below the warn level
    double concentration = 100.0;             ///< Dirichlet prior alpha = concentration * planned shares
};

/// Step 2.
struct MetricVariant {
    std::string name;
    double rate = 0.0;  ///< share of units with the event (0/1 metrics) or mean (numeric)
    std::uint64_t n = 0;
    double ci_low = 0.0, ci_high = 0.0;  ///< 95 % interval
};

struct GroupMetric {
    std::string metric;
    bool binary = true;
    std::string test;  ///< two-proportion z-test or Welch's t-test, against the first variant
    std::vector<MetricVariant> variants;
    double p_value = 1.0;           ///< smallest pairwise p (Holm within the metric)
    double adjusted_p_value = 1.0;  ///< Holm across metrics
    bool flag = false;
};

/// Step 3.
struct ChangeResult {
    ChangeEntry change;
    std::optional<double> distance_seconds;  ///< change time minus change point
    bool near_change_point = false;
};

/// Step 4.
enum class SegmentSeverity { Ok, Warn, Severe, TooSmall };
const char* to_string(SegmentSeverity s) noexcept;
SegmentSeverity segment_severity(Severity s) noexcept;

struct SegmentResult {
    std::string value;
    std::vector<std::uint64_t> counts;  ///< per variant
    std::uint64_t units = 0;
    double p_value = 1.0, log10_p_value = 0.0;
    double adjusted_p_value = 1.0, log10_adjusted_p_value = 0.0;
    SegmentSeverity severity = SegmentSeverity::Ok;
    double share_of_imbalance = 0.0;
    double max_deviation_pp = 0.0;  ///< largest share deviation from the plan
    /// The segment's units over time and the rest of the units' (the other
    /// values and the units without one), on the report timeline's points;
    /// without a time column, or for a dimension whose values x bins are too
    /// many to count by bin (DimensionResult::timelines), no points.
    Timeline timeline, rest_timeline;
};

struct DimensionResult {
    std::string name;
    double p_value = 1.0;  ///< chi-square test of independence: does the split differ across values?
    double log10_p_value = 0.0;
    std::vector<SegmentResult> segments;
    bool timelines = false;  ///< whether the segments carry their timelines
};

struct RankedSegment {
    std::string dimension, value;
    double adjusted_p_value = 1.0, log10_adjusted_p_value = 0.0;
    double share_of_imbalance = 0.0;
};

/// A segment of the localization: a value of one dimension, or a
/// conjunction of values of several (dimension, value), in dataset order.
using Conditions = std::vector<std::pair<std::string, std::string>>;
/// "browser = Safari", "browser = Chrome ∧ sdk_version = 3.2.0".
std::string describe_conditions(const Conditions& conditions);

enum class ExplanationStatus { Localized, Global, None, NotApplicable };
const char* to_string(ExplanationStatus s) noexcept;

/// A near-equivalent explanation and why it was not chosen.
struct SegmentAlternative {
    Conditions conditions;
    std::string reason;
};

struct ExplainingSegment {
    Conditions conditions;
    std::uint64_t units = 0;
    std::vector<std::uint64_t> counts;  ///< per variant, in the report's order
    std::vector<double> observed_shares;
    std::vector<double> expected_shares;  ///< the plan's, for the segment's units (each allocation phase's)
    double share_of_imbalance = 0.0;  ///< of the excess units |observed - expected| over the segments and the rest
    double p_value = 1.0, log10_p_value = 0.0;  ///< likelihood-ratio test of the segment's units against the plan
    std::optional<std::int64_t> change_point;   ///< seconds: where the split broke at a point inside the segment
    std::vector<SegmentAlternative> alternatives;
    /// Not significant after the search's multiplicity: taken only because
    /// the rest was still off the plan without it (by chance, or a weak cause).
    bool marginal = false;
};

/// Root-cause localization: the smallest set of segments whose removal
/// leaves the rest consistent with the plan (its certificate: `remaining`).
struct Explanation {
    ExplanationStatus status = ExplanationStatus::NotApplicable;
    std::vector<ExplainingSegment> segments;  ///< most explanatory first; empty unless localized
    SrmResult remaining;                       ///< the SRM test on the units outside the segments
    std::uint64_t remaining_units = 0;
    std::vector<double> remaining_observed_shares, remaining_expected_shares;  ///< per variant
    std::optional<double> explained_share;     ///< of the overall imbalance, when localized
    /// Step 4's flagged single segments the set explains (balanced outside it).
    std::vector<Conditions> explained_segments;
    std::vector<std::string> dimensions_left_out;  ///< too many combinations to search with the others
    std::string summary;  ///< the explanation in a sentence or two
};

struct WindowInfo {
    std::optional<std::int64_t> start, end;                  ///< analysed window (seconds)
    std::optional<std::int64_t> traffic_start, traffic_end;  ///< span that had traffic
    /// The SRM over the whole span, when the analysis is limited to a window.
    std::optional<SrmResult> whole_span;
};

/// Facts from event-level data that the checklist uses.
struct Evidence {
    bool has_time = false, has_unit = false, has_event = false, has_inclusion = false;
    bool has_multi_variant = false;  ///< aggregated counts that say which units were in several variants
    std::uint64_t exposed_units = 0;
    std::uint64_t jumped_units = 0;
    std::uint64_t included_units = 0;
    /// Assignment -> exposure funnel per variant: (assigned, exposed of them).
    std::vector<std::pair<std::uint64_t, std::uint64_t>> funnel;
    double funnel_p_value = 1.0, funnel_log10_p = 0.0;
    /// First and last first-exposure per variant (seconds), and the span.
    std::vector<std::pair<std::int64_t, std::int64_t>> variant_span;
    std::size_t allocation_phases = 0;
    std::vector<std::int64_t> allocation_changes;  ///< phase starts after the first (seconds)
    /// The variant-mirror column (landing_page = old_page/new_page) and
    /// where it names another arm than the variant.
    std::optional<std::string> mirror_column;
    std::vector<std::pair<std::string, std::string>> mirror_expected;
    std::uint64_t mirror_rows_disagreeing = 0, mirror_units_disagreeing = 0;
    /// Rows that repeat the id of an earlier row (rows that count, less units).
    std::uint64_t repeated_rows = 0;
};

/// The one answer every view shows (badge, banner, navigator, Summary,
/// reports, srm-check's exit code).
enum class HealthState { Healthy, Warn, Severe, SegmentLimited, InputProblem, CheckFailed };
const char* to_string(HealthState s) noexcept;

struct Health {
    HealthState state = HealthState::Healthy;
    std::string headline;
    std::vector<std::string> reasons;
};

/// srm-check's exit code for a health state: 0 healthy; 1 an SRM (warn,
/// severe, only inside segments); 2 a failed check that invalidates the
/// split; 65 input too damaged to trust the test.
int exit_code_of(HealthState s) noexcept;

/// The status of a diagnosis step as the navigator shows it.
enum class StepState { NotApplicable, Ok, Warn, Severe };
const char* to_string(StepState s) noexcept;
struct StepStatus {
    std::string id;  ///< step1, step2, step3, step4, checklist, summary
    StepState state = StepState::NotApplicable;
    std::string note;  ///< why, in a few words
};

/// What a report covers: every unit, or a window and/or a segment of them.
struct Scope {
    std::optional<std::pair<std::int64_t, std::int64_t>> window;  ///< seconds, UTC
    std::optional<std::pair<std::string, std::string>> segment;   ///< (dimension, value)
    /// The window's units as srm-check --window counts them (any exposure in
    /// the window, in the variant of the first one there); false for a quick
    /// preview on loaded data (units first exposed in the window).
    bool exact_window = true;
    std::uint64_t units_total = 0;  ///< units of the whole data
    bool all() const { return !window && !segment; }
};
/// "Window 2026-03-08 23:25 – 2026-03-12 19:06 UTC · segment browser = Safari · 3,724 of 14,315 units",
/// or "All 14,315 units".
std::string describe_scope(const Scope& scope, std::uint64_t units_in_scope);

/// The reviewer's work on a report: checklist answers and notes.
struct ReviewerWork {
    struct Answer {
        std::string id;
        bool done = false;
        std::string notes;
    };
    std::vector<Answer> answers;
    std::string notes;
    bool empty() const { return answers.empty() && notes.empty(); }
};

struct Report {
    std::string tool_version;
    InputSummary input;
    SrmResult srm;
    SrmOptions options;
    WindowInfo window;
    Timeline timeline;
    SequentialTest sequential;
    TimePattern time_pattern;
    std::vector<GroupMetric> group_metrics;
    std::vector<ChangeResult> changes;
    double near_change_hours = 24.0;
    std::vector<DimensionResult> dimensions;
    std::vector<RankedSegment> ranked_segments;
    Explanation explanation;
    std::uint64_t min_segment_units = 100;
    Evidence evidence;
    std::vector<Check> checks;
    Verdict verdict;
    Health health;
    std::vector<StepStatus> steps;
    Scope scope;
};

}  // namespace srm
