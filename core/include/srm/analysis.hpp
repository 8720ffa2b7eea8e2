// One entry point from "what the user gave" to a finished Report, shared by
// srm-check and the workbench's background job.
#pragma once

#include "srm/dataset.hpp"
#include "srm/ingest.hpp"
#include "srm/report.hpp"

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace srm {

struct AnalysisRequest {
    std::optional<std::string> file;  ///< an exposure export (CSV), or
    std::vector<std::pair<std::string, double>> counts;  ///< units per variant
    /// Planned allocation; unset = an equal split over the variants found.
    std::optional<std::vector<std::pair<std::string, double>>> expected;
    LoadOptions load;  ///< how to read `file` (progress and cancel are set by analyse)
    SrmOptions options;
    std::optional<std::string> changes_file;     ///< change log CSV (Step 3)
    std::optional<std::string> allocation_file;  ///< allocation history CSV
    /// Analysis window (seconds, UTC): only exposures inside it count, each
    /// unit in the variant of its first exposure there. The file is read
    /// twice: the whole span's SRM is reported for comparison.
    std::optional<std::int64_t> window_start, window_end;
    double near_change_hours = 24.0;
    std::uint64_t min_segment_units = 100;
};

/// Fraction done in [0, 1]; called from the working thread.
using ProgressFn = std::function<void(double)>;

/// Thrown when the cancel flag was raised during analyse().
struct Cancelled : std::exception {
    const char* what() const noexcept override { return "analysis cancelled"; }
};

/// The SRM test's input from a dataset: exposed units per variant, with the
/// planned weights (variants planned but absent count 0; variants present
/// but not planned get weight 0). Throws InputError for a single variant
/// with no allocation naming others.
std::vector<VariantInput> variant_counts(const Dataset& ds,
                                         const std::optional<std::vector<std::pair<std::string, double>>>& expected,
                                         bool* assumed_equal = nullptr);

/// The report's input section for a loaded dataset.
InputSummary summarise_input(const Dataset& ds);

struct DiagnosisOptions;
/// The diagnosis options a request asks for (reads its change log and
/// allocation history; throws InputError for bad ones).
DiagnosisOptions diagnosis_options(const AnalysisRequest& request);

/// Throws InputError for data that cannot be analysed, Cancelled on cancel.
Report analyse(const AnalysisRequest& request, const ProgressFn& progress = {},
               const std::atomic<bool>* cancel = nullptr);

}  // namespace srm
