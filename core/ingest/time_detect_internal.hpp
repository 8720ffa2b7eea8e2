// How a column's values are timestamps, if they are (internal to ingest):
// ISO 8601, epoch numbers, or one of the common layouts (7/10/2020,
// 10.07.2020, 20200710, ...), with the order of day and month told from the
// values.
#pragma once

#include "srm/timeformat.hpp"

#include <optional>
#include <string>
#include <vector>

namespace srm::detail {

struct TimeReading {
    std::optional<TimestampFormat> format;  ///< unset: ISO 8601 or epoch numbers
    bool date_only = false;                 ///< no time of day in the values
    std::string how;                        ///< "ISO 8601 times", "epoch timestamps", "dates as %m/%d/%Y"
};

struct TimeDetection {
    std::optional<TimeReading> reading;  ///< how every value reads, when one way does
    /// Layouts that all fit, when the values cannot tell them apart (day and
    /// month both 12 or less): the caller asks for --time-format.
    std::vector<std::string> ambiguous;
};

/// `values`: the column's non-missing values (the first rows, and more of
/// the file where they are needed to tell day from month). `share`: the
/// share of them that must read (below 1 for a column named as the time,
/// whose bad values are rejected row by row).
TimeDetection detect_time(const std::vector<std::string>& values, bool numbers_may_be_epoch, double share = 1.0);

/// Whether every value reads as a time in one way (or in either order of day
/// and month): what detect_time finds, without asking which.
bool reads_as_times(const std::vector<std::string>& values, bool numbers_may_be_epoch);

}  // namespace srm::detail

namespace srm::detail {

/// Of layouts that differ in the order of day and month, the one that reads
/// every value (more of the file than the first rows), if only one does.
std::optional<std::string> resolve_day_month(const std::vector<std::string>& layouts, const std::vector<std::string>& values);

}  // namespace srm::detail
