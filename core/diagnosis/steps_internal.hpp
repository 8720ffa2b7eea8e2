// The diagnosis' named steps and the values they hand on (internal to the
// diagnosis stage). diagnose.cpp is the driver:
//
//   make_time_grid   bins of first exposure, allocation phases, time strata
//   tally_units      one pass over the units, by the dataset's variant codes
//   make_plan        the report's variants, their order and planned shares
//   count_by_variant the tally in the report's variants
//   gather_evidence  what the checklist needs from event-level data
//   test_plan        the SRM test (phased with an allocation history)
//   step1_*          timeline, sequential test, time pattern
//   step2_*          group metrics
//   step3_*          changes near the change point
//   step4_*          dimensions and ranked segments
//   build_checks, decide_verdict
#pragma once

#include "srm/diagnosis.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace srm::detail {

constexpr std::int64_t kUs = 1000000;

/// Bins of first exposure (hours, days for tests over two years), the
/// allocation phase of each bin and the time strata of Step 4's
/// independence test (days, weeks for tests over 120 days).
struct TimeGrid {
    bool have_span = false;
    std::int64_t bin0 = 0, bin_width = 3600;  ///< seconds
    std::size_t n_bins = 0;
    std::vector<std::int64_t> phase_start;  ///< seconds; one phase from -inf without a history
    std::size_t n_phases = 1;
    std::vector<std::size_t> bin_phase;
    std::vector<std::uint32_t> bin_stratum;
    std::vector<std::size_t> n_strata;  ///< per dataset dimension: 1, or the number of strata
    std::int64_t span_us = 0;           ///< last minus first first-exposure time
};
TimeGrid make_time_grid(const Dataset& ds, const DiagnosisOptions& opt);

/// Units per cell of the dimensions' cross product (the cells that occur),
/// by variant code and allocation phase: what the localization searches.
/// A cell's key is the mixed-radix number of its dimension codes (a missing
/// value is code `values`). Dimensions are taken with the fewest values
/// first while the product of their radices stays under kMaxCubeProduct;
/// the rest are left out.
constexpr std::uint64_t kMaxCubeProduct = 1ULL << 22;
/// The counters of all dimensions counted by bin (per thread), for the
/// segments' timelines; dimensions are taken in dataset order while they fit.
constexpr std::uint64_t kMaxSegmentBins = 1ULL << 21;
struct Cube {
    /// The dimensions have too many values for the cube to be counted with
    /// the tally: it is built after the plan, with each dimension's most
    /// deviating values kept and the rest pooled (build_coarse_cube).
    bool coarse = false;
    /// Per cube dimension, the dataset code of each cube code (empty: the same).
    std::vector<std::vector<std::uint16_t>> value_of;
    std::vector<std::uint32_t> dims;    ///< dataset dimension indices
    std::vector<std::uint64_t> stride;  ///< per cube dimension
    std::vector<std::uint32_t> radix;   ///< values + 1 (missing)
    std::vector<std::uint32_t> left_out;  ///< dataset dimensions not in the cube
    std::uint64_t product = 1;
    std::size_t codes = 0, phases = 1;
    std::vector<std::uint64_t> keys;    ///< [cell]
    std::vector<std::uint64_t> counts;  ///< [cell * codes + c]
    std::vector<std::uint64_t> phase;   ///< [cell * phases + p], with more than one phase
    std::size_t cells() const { return keys.size(); }
    std::uint32_t code(std::size_t cell, std::size_t cd) const { return static_cast<std::uint32_t>((keys[cell] / stride[cd]) % radix[cd]); }
};

/// Units counted by the dataset's variant codes (c), after the window and
/// segment filters.
struct Tally {
    std::vector<std::uint64_t> counts;       ///< [c]
    std::vector<std::uint64_t> bins;         ///< [bin * codes + c]
    std::vector<std::uint64_t> phase_units;  ///< [phase]
    std::vector<std::uint64_t> funnel_assigned, funnel_exposed;  ///< [c]
    /// Per dimension: units [value * codes + c], phase totals [value * phases + phase]
    /// and, where there are strata, [(value * strata + stratum) * codes + c].
    std::vector<std::vector<std::uint64_t>> seg_counts, seg_phase, seg_strata;
    /// Per dimension counted by bin (those that fit kMaxSegmentBins; the
    /// others empty): [(value * (bins + 1) + bin) * codes + c], the last
    /// bin the units without a time. Its strata, phases and totals are
    /// summed from it.
    std::vector<std::vector<std::uint64_t>> seg_bins;
    std::vector<double> m_n, m_sum, m_sq;  ///< [metric * codes + c]
    std::vector<std::int64_t> span_min, span_max;  ///< us, [c]
    std::uint64_t exposed = 0, jumped = 0, included = 0, disagreed = 0;
    Cube cube;
};
Tally tally_units(const Dataset& ds, const TimeGrid& grid, const DiagnosisOptions& opt);
/// The cube over dimensions with many values: per dimension its values by
/// how far they deviate from the plan (`gain[d][code]`, higher first), as
/// many kept as the cube's size allows, the rest pooled as one unsearched
/// value. One pass over the dataset with the window and segment filters.
Cube build_coarse_cube(const Dataset& ds, const TimeGrid& grid, const DiagnosisOptions& opt, const std::vector<std::vector<double>>& gain);

/// The report's variants (j) in their order and the planned shares per phase.
struct Plan {
    std::vector<std::string> names;
    std::vector<int> j_of_code;                    ///< dataset variant code -> j, or -1
    std::vector<std::vector<double>> phase_share;  ///< [phase][j], normalised
    bool assumed_equal = false;
    std::size_t control = 0;  ///< the arm the metrics compare against
    std::size_t k() const { return names.size(); }
};
Plan make_plan(const Dataset& ds, const Tally& tally, const DiagnosisOptions& opt);

/// The tally by report variant.
struct Counts {
    std::vector<std::uint64_t> units;  ///< [j]
    std::vector<std::uint64_t> bins;   ///< [bin * k + j]
    std::vector<std::vector<std::uint64_t>> segments;  ///< per dimension [value * k + j]
    /// Per dimension counted by bin: [(value * bins + bin) * k + j] (empty for the others).
    std::vector<std::vector<std::uint64_t>> segment_bins;
    std::vector<double> m_n, m_sum, m_sq;  ///< [metric * k + j]
};
Counts count_by_variant(const Dataset& ds, const Tally& tally, const Plan& plan, const TimeGrid& grid);

Evidence gather_evidence(const Dataset& ds, const Tally& tally, const Plan& plan, const DiagnosisOptions& opt);

/// The SRM test of the counts against the plan (each phase's units x its
/// shares with an allocation history).
SrmResult test_plan(const Counts& counts, const Plan& plan, const Tally& tally, const TimeGrid& grid, const SrmOptions& options);

// Step 1.
/// The anytime-valid p-value path per bin (log10), filling `out`.
std::vector<double> step1_sequential(const Counts& counts, const Plan& plan, const TimeGrid& grid, double concentration,
                                     const SrmThresholds& thresholds, SequentialTest& out);
/// The display points (hourly up to three days, else daily), filling `timeline.points`.
void step1_timeline(const Counts& counts, const Plan& plan, const TimeGrid& grid, const std::vector<double>& sequential_log10,
                    const SrmOptions& options, Timeline& timeline);
/// The display points of units counted by bin ([bin * k + j]); with
/// `sequential_log10` the anytime-valid path, else 0 (segments).
void timeline_points(const std::uint64_t* bins, const Plan& plan, const TimeGrid& grid, const std::vector<double>* sequential_log10,
                     const SrmOptions& options, Timeline& timeline);
/// The time pattern: four deviation models fitted by maximum likelihood, chosen by BIC.
TimePattern step1_time_pattern(const Counts& counts, const Plan& plan, const TimeGrid& grid);

// Step 2.
std::vector<GroupMetric> step2_group_metrics(const Dataset& ds, const Counts& counts, const Plan& plan, double alpha);

// Step 3.
std::vector<ChangeResult> step3_changes(const std::vector<ChangeEntry>& changes, const TimePattern& pattern, double near_hours);

// Step 4.
struct Step4 {
    std::vector<DimensionResult> dimensions;
    std::vector<RankedSegment> ranked;
};
Step4 step4_dimensions(const Dataset& ds, const Tally& tally, const Counts& counts, const Plan& plan, const TimeGrid& grid,
                       const DiagnosisOptions& opt);

/// Step 4's localization: the smallest set of segments whose removal leaves
/// the rest consistent with the plan (explain.cpp).
Explanation step4_explain(const Dataset& ds, const Tally& tally, const Plan& plan, const TimeGrid& grid, const DiagnosisOptions& opt,
                          const Step4& step4, Severity overall);
/// A pattern of (dataset dimension, value code) conditions.
using Pattern = std::vector<std::pair<std::uint32_t, std::uint16_t>>;
/// Per pattern, the units per first-exposure bin and report variant
/// [bin * k + j] of the units it matches and no earlier pattern does (one
/// pass over the dataset, the window and segment filters applied).
std::vector<std::vector<std::uint64_t>> pattern_bins(const Dataset& ds, const TimeGrid& grid, const Plan& plan, const DiagnosisOptions& opt,
                                                     const std::vector<Pattern>& patterns);

// Checklist, health, verdict and step statuses, from what the report holds.
std::vector<Check> build_checks(const Report& report);
Health decide_health(const Report& report);
Verdict decide_verdict(const Report& report);
std::vector<StepStatus> step_statuses(const Report& report);
/// What the counts add to what the reader said about the input.
void add_input_warnings(Report& report);

}  // namespace srm::detail
