// The diagnosis engine: the four steps of seed 000 over a loaded dataset.
#pragma once

#include "srm/dataset.hpp"
#include "srm/report.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace srm {

/// One phase of the planned allocation, from `start` (seconds) on.
struct AllocationPhase {
    std::int64_t start = 0;
    std::vector<std::pair<std::string, double>> weights;
};

/// Reads a change log CSV (timestamp, kind, description). Throws InputError
/// with the line number of a bad row.
std::vector<ChangeEntry> read_change_log(const std::string& path);
/// Reads an allocation history CSV (timestamp, then one weight column per variant).
std::vector<AllocationPhase> read_allocation_history(const std::string& path);

struct DiagnosisOptions {
    SrmOptions srm;
    std::optional<std::vector<std::pair<std::string, double>>> expected;
    std::vector<AllocationPhase> allocation;  ///< empty: one phase with `expected`
    std::vector<ChangeEntry> changes;
    /// Only units whose first exposure lies in the window (loaded-data window).
    std::optional<std::int64_t> window_start, window_end;  ///< seconds
    /// Only units of one segment: (dimension index, value code).
    std::optional<std::pair<std::size_t, std::uint16_t>> segment;
    double near_change_hours = 24.0;
    std::uint64_t min_segment_units = 100;
    double dirichlet_concentration = 100.0;
    double metric_alpha = 0.05;
};

/// Runs every step on the dataset and returns the report (input, SRM, time
/// pattern, sequential test, metrics, changes, dimensions, checks, verdict).
/// Throws InputError when the data cannot be tested.
Report diagnose_dataset(const Dataset& ds, const DiagnosisOptions& options);

/// The (dimension index, value code) of a segment named in a report, if the
/// dataset has it.
std::optional<std::pair<std::size_t, std::uint16_t>> find_segment(const Dataset& ds, const std::string& dimension,
                                                                  const std::string& value);

/// Holm's step-down adjustment of log10 p-values (returns adjusted log10 p).
std::vector<double> holm_log10(const std::vector<double>& log10_p);

}  // namespace srm
