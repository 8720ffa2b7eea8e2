// Timestamps in a given layout (strftime-style), for the date forms exports
// write that ISO 8601 parsing does not cover: 7/10/2020, 10.07.2020,
// 20200710, "Jul 10, 2020 3:04 PM", ... Times without a zone are UTC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace srm {

/// A compiled layout. Directives: %Y year (4 digits), %y (2 digits, 1969-2068),
/// %m month, %d %e day (1 or 2 digits), %H hour, %I hour (12-hour clock) with
/// %p AM/PM, %M minute, %S second, %f fraction of a second (1-9 digits),
/// %b %B month name, %a %A weekday name (read and ignored), %z zone offset
/// (Z, +hh, +hhmm, +hh:mm), %j day of the year, %s epoch seconds, %% a
/// percent sign; a space matches one or more blanks; other characters match
/// themselves. A layout without a year needs `default_year`.
class TimestampFormat {
public:
    /// Throws std::invalid_argument with a message for a bad layout.
    explicit TimestampFormat(std::string_view layout, std::optional<int> default_year = std::nullopt);

    /// Microseconds since the epoch, or false when the text does not fit.
    bool parse(std::string_view text, std::int64_t& us) const noexcept;
    std::optional<std::int64_t> parse(std::string_view text) const noexcept;

    const std::string& layout() const noexcept { return layout_; }
    /// Whether the layout has a time of day (an hour), not only a date.
    bool has_time_of_day() const noexcept { return has_hour_; }
    bool has_year() const noexcept { return has_year_; }

private:
    struct Item {
        char directive;  // 0: literal
        std::string literal;
    };
    std::string layout_;
    std::vector<Item> items_;
    std::optional<int> default_year_;
    bool has_hour_ = false, has_year_ = false;
};

/// The layouts tried when a time column is not ISO 8601 or epoch numbers,
/// most common first: day/month orders, dotted and compact dates, with and
/// without a time of day.
const std::vector<std::string>& common_timestamp_layouts();

}  // namespace srm
