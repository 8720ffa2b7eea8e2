// What the first rows show about each column (internal to ingest): the
// role detection reads these profiles, never the raw sample again.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace srm::detail {

struct ColumnProfile {
    std::string name, norm;  ///< header name, and normalised
    std::size_t index = 0;
    std::size_t seen = 0, missing = 0;  ///< non-missing and missing values (NA, null, empty, ...)
    std::size_t numeric = 0, integer = 0, zero_one = 0, boolean_words = 0;
    std::size_t iso = 0, iso_date_only = 0, epoch = 0;
    double min = 0, max = 0;
    std::size_t distinct = 0;   ///< distinct non-missing values
    std::vector<std::pair<std::string, std::size_t>> top;  ///< the most frequent values (up to 64) with their counts
    std::size_t arm_like = 0, control_like = 0;            ///< distinct values that read like arms / like the control
    bool row_number = false;    ///< whole numbers rising by one from row to row
    std::size_t min_len = 0, max_len = 0;

    bool all(std::size_t n) const { return seen > 0 && n == seen; }
    bool is_numeric() const { return all(numeric); }
    bool is_integer() const { return all(integer); }
    /// 0/1 or true/false, yes/no, t/f, y/n.
    bool is_flag() const { return all(zero_one + boolean_words); }
    double distinct_share() const { return seen ? static_cast<double>(distinct) / static_cast<double>(seen) : 0.0; }
};

/// Profiles every column of the sample (rows of names.size() fields).
std::vector<ColumnProfile> profile_columns(const std::vector<std::string>& names, const std::vector<std::vector<std::string>>& sample);

}  // namespace srm::detail
