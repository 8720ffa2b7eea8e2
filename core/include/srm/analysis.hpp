// One entry point from "what the user gave" to a finished Report, shared by
// srm-check and the workbench's background job.
#pragma once

#include "srm/report.hpp"

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace srm {

struct AnalysisRequest {
    std::optional<std::string> file;  ///< a data file, or
    std::vector<std::pair<std::string, double>> counts;  ///< units per variant
    /// Planned allocation; unset = the file's weights, else an equal split.
    std::optional<std::vector<std::pair<std::string, double>>> expected;
    SrmOptions options;
};

/// Fraction done in [0, 1]; called from the working thread.
using ProgressFn = std::function<void(double)>;

/// Thrown when the cancel flag was raised during analyse().
struct Cancelled : std::exception {
    const char* what() const noexcept override { return "analysis cancelled"; }
};

/// Throws InputError for data that cannot be analysed, Cancelled on cancel.
Report analyse(const AnalysisRequest& request, const ProgressFn& progress = {},
               const std::atomic<bool>* cancel = nullptr);

}  // namespace srm
