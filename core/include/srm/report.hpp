// The report model: everything `srm-check` prints and the workbench shows,
// as plain values. Mirrors resources/srm-report.schema.json.
#pragma once

#include "srm/stats.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace srm {

struct ColumnMapping {
    std::optional<std::string> time;
    std::optional<std::string> unit;
    std::string variant;
    std::optional<std::string> count;
    std::optional<std::string> event;
    std::vector<std::string> dimensions;
    std::vector<std::string> metrics;
};

struct RowError {
    std::uint64_t line = 0;  ///< 1-based physical line, the header being line 1
    std::string message;
};

struct ColumnNote {
    std::string name;
    std::string role;    ///< time, unit, variant, count, event, dimension, metric, inclusion, ignore
    std::string reason;  ///< why the column got the role
};

struct InputSummary {
    std::string file;                ///< empty for counts given on the command line
    std::string shape = "counts";    ///< events | aggregated | counts
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
    /// Dimensions left out of the breakdown: (name, distinct values seen).
    std::vector<std::pair<std::string, std::uint64_t>> excluded_dimensions;
    bool expected_assumed_equal = false;  ///< no allocation given: equal split assumed
};

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

struct TimePattern {
    std::string kind = "not_applicable";  ///< none | from_start | gradual | at_point | not_applicable
    std::optional<std::int64_t> change_point;  ///< seconds since the epoch, UTC
    std::string evidence;
};

struct Report {
    std::string tool_version;
    InputSummary input;
    SrmResult srm;
    SrmOptions options;
    TimePattern time_pattern;
    std::vector<Check> checks;
    Verdict verdict;
};

/// Builds the checklist and verdict for the data the report holds.
void diagnose(Report& report);

/// The report as JSON text following resources/srm-report.schema.json.
std::string to_json(const Report& report, int indent = 2);
/// The report as a reviewer's plain-text summary.
std::string to_text(const Report& report);

/// Formats a p-value for people: "1.82e-06", "0.0123", or "< 1e-300" style
/// from log10 where the double underflows.
std::string format_p(double p, double log10_p);

}  // namespace srm
