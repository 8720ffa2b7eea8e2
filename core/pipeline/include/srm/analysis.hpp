// The pipeline: one way from "what the user gave" to a finished Report,
// shared by srm-check and the workbench's background jobs. A file is loaded
// once (load_analysis) and can then be diagnosed as a whole or for a window
// or segment of the loaded units (diagnose_loaded) without reading it again.
#pragma once

#include "srm/dataset.hpp"
#include "srm/diagnosis.hpp"
#include "srm/errors.hpp"
#include "srm/ingest.hpp"
#include "srm/report.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace srm {

struct AnalysisRequest {
    std::optional<std::string> file;  ///< an exposure export (CSV), or
    /// The export's bytes, already in memory (a database query's result as
    /// CSV): `file` then only names it in messages and the report.
    std::shared_ptr<const std::string> data;
    /// Produces `data` when the request is loaded, on the loading thread with
    /// its progress (negative: busy, the size unknown) and cancel flag (a
    /// database query: srm-check --db, Open from Database); the bytes are
    /// kept to read a window again.
    std::function<std::string(const ProgressFn& progress, const std::atomic<bool>* cancel)> fetch;
    std::vector<std::pair<std::string, double>> counts;  ///< units per variant
    /// Planned allocation; unset = an equal split over the variants found.
    std::optional<Weights> expected;
    std::optional<std::string> control;  ///< the arm the metrics compare against
    LoadOptions load;  ///< how to read `file` (progress and cancel are set by the pipeline)
    SrmOptions options;
    std::optional<std::string> changes_file;     ///< change log CSV (Step 3)
    std::optional<std::string> allocation_file;  ///< allocation history CSV
    /// Analysis window (seconds, UTC): only exposures inside it count, each
    /// unit in the variant of its first exposure there. The file is read
    /// twice: the whole span's SRM is reported for comparison.
    std::optional<std::int64_t> window_start, window_end;
    double near_change_hours = 24.0;
    std::uint64_t min_segment_units = 100;
    /// The sequential test's Dirichlet prior: alpha = C x planned shares
    /// (Lindon & Malek; Optimizely's ssrm defaults to 10,000).
    double prior_concentration = 100.0;
    bool localize = true;  ///< Step 4's explanation (off: not_applicable)
};

/// A request's file, loaded, with the diagnosis options its side files give.
struct LoadedAnalysis {
    AnalysisRequest request;
    std::shared_ptr<const Dataset> dataset;
    DiagnosisOptions options;
    std::uint64_t units_total = 0;  ///< exposed units of the whole file
};

/// The diagnosis options a request asks for (reads its change log and
/// allocation history; throws InputError for bad ones).
DiagnosisOptions diagnosis_options(const AnalysisRequest& request);

/// Loads the request's file (progress over the whole load). Throws
/// InputError for a file that cannot be used, Cancelled on cancel.
LoadedAnalysis load_analysis(const AnalysisRequest& request, const ProgressFn& progress = {},
                             const std::atomic<bool>* cancel = nullptr);

/// A window and/or segment of the loaded units.
struct Refinement {
    std::optional<std::pair<std::int64_t, std::int64_t>> window;  ///< seconds, by first exposure
    std::optional<std::pair<std::string, std::string>> segment;   ///< (dimension, value)
    bool operator==(const Refinement&) const = default;
};

/// Diagnoses loaded data, refined to a window and/or segment (the window by
/// first exposure: a quick preview of diagnose_window's exact answer).
/// Throws InputError for a segment the data does not have.
Report diagnose_loaded(const LoadedAnalysis& loaded, const Refinement& refinement = {});

/// The exact window, as srm-check --window counts it: the file read again
/// for the units with any exposure in [start, end] (seconds), each in the
/// variant of its first exposure there, beside the whole span's SRM; and,
/// with a segment, only its units. An open side is the traffic's start or end.
Report diagnose_window(const LoadedAnalysis& whole, std::optional<std::int64_t> start, std::optional<std::int64_t> end,
                       const std::optional<std::pair<std::string, std::string>>& segment = std::nullopt, const ProgressFn& progress = {},
                       const std::atomic<bool>* cancel = nullptr);

/// Throws InputError for data that cannot be analysed, Cancelled on cancel.
Report analyse(const AnalysisRequest& request, const ProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr);

/// Exposed units per variant of a dataset with the planned weights, as the
/// SRM test takes them (the plan as plan_variants() makes it, in data order).
std::vector<VariantInput> variant_counts(const Dataset& ds, const std::optional<Weights>& expected);

}  // namespace srm
