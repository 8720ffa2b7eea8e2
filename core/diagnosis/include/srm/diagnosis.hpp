// The diagnosis: the four steps of seed 000 over a loaded dataset (or over
// counts alone), then the checklist and the verdict. The driver
// (diagnose.cpp) runs named steps, one file each: plan, tally, Step 1 time
// pattern, Step 2 group metrics, Step 3 changes, Step 4 dimensions, checks,
// verdict.
#pragma once

#include "srm/dataset.hpp"
#include "srm/report.hpp"
#include "srm/side_files.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace srm {

/// Planned weights by variant name (relative; normalised by the test).
using Weights = std::vector<std::pair<std::string, double>>;

/// The variants an SRM test compares, from the observed counts and the
/// planned allocation: planned variants absent from the data count 0,
/// observed variants the plan leaves out get weight 0, no plan means an
/// equal split (a single variant then cannot be tested).
struct VariantPlan {
    std::vector<std::string> names;
    std::vector<std::uint64_t> observed;       ///< per name
    std::vector<std::vector<double>> weights;  ///< per phase (one without a history), per name; not normalised
    bool assumed_equal = false;
};
enum class PlanOrder {
    AsGiven,  ///< the observed order, then planned-only variants
    ByPlan,   ///< as the plan names them; else a control-like variant first, the rest by name
};
/// Throws InputError for a plan that cannot be tested (one variant and no
/// plan, a bad weight, with `planned_must_be_observed` a planned variant
/// without a count).
VariantPlan plan_variants(const std::vector<std::pair<std::string, std::uint64_t>>& observed, const std::optional<Weights>& expected,
                          const std::vector<AllocationPhase>& phases, PlanOrder order, bool planned_must_be_observed);
/// The index of `control` among `names`; throws UsageError naming the
/// variants there are when it is none of them (`--control`).
std::size_t control_index(const std::vector<std::string>& names, const std::string& control);

/// A dataset that was loaded for a window only (`srm-check --window`): the
/// window, the span the whole file had traffic in, and the SRM over it.
struct LoadedWindow {
    std::optional<std::int64_t> start, end;                  ///< seconds
    std::optional<std::int64_t> traffic_start, traffic_end;  ///< seconds
    std::optional<SrmResult> whole_span;
};

struct DiagnosisOptions {
    SrmOptions srm;
    std::optional<Weights> expected;
    std::vector<AllocationPhase> allocation;  ///< empty: one phase with `expected`
    /// The arm the metrics compare against; unset: found by name (control,
    /// baseline, no e-mail, ...), else the first in the plan.
    std::optional<std::string> control;
    std::vector<ChangeEntry> changes;
    /// Only units whose first exposure lies in the window (loaded-data window).
    std::optional<std::int64_t> window_start, window_end;  ///< seconds
    /// Only units of one segment: (dimension index, value code).
    std::optional<std::pair<std::size_t, std::uint16_t>> segment;
    /// Set when the dataset itself was read for a window.
    std::optional<LoadedWindow> loaded_window;
    double near_change_hours = 24.0;
    std::uint64_t min_segment_units = 100;
    double dirichlet_concentration = 100.0;
    double metric_alpha = 0.05;
    /// Step 4's root-cause localization (explanation); off leaves it
    /// not_applicable (a benchmark's baseline).
    bool localize = true;
};

/// Runs every step on the dataset and returns the report (input, SRM, time
/// pattern, sequential test, metrics, changes, dimensions, checks, verdict).
/// Throws InputError when the data cannot be tested.
Report diagnose_dataset(const Dataset& ds, const DiagnosisOptions& options);

/// The report for counts alone: the SRM test, the checklist and the verdict.
Report diagnose_counts(const std::vector<VariantInput>& variants, const InputSummary& input, const SrmOptions& options);

/// The report's input section for a loaded dataset.
InputSummary summarise_input(const Dataset& ds);

/// The (dimension index, value code) of a segment named in a report, if the
/// dataset has it.
std::optional<std::pair<std::size_t, std::uint16_t>> find_segment(const Dataset& ds, const std::string& dimension,
                                                                  const std::string& value);

}  // namespace srm
