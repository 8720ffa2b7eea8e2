#include "time_detect_internal.hpp"

#include "srm/text.hpp"
#include "srm/timeparse.hpp"

#include <algorithm>

namespace srm::detail {

namespace {

// Layouts that differ only in the order of day and month are one question.
std::string swapped_day_month(const std::string& layout)
{
    std::string s = layout;
    const auto m = s.find("%m"), d = s.find("%d");
    if (m == std::string::npos || d == std::string::npos) return {};
    s[m + 1] = 'd';
    s[d + 1] = 'm';
    return s;
}

bool plausible_year(std::int64_t us)
{
    // 1990 to 2100: a compact date like 20200710 is not a count.
    return us >= 631152000LL * 1000000 && us < 4102444800LL * 1000000;
}

}  // namespace

TimeDetection detect_time(const std::vector<std::string>& values, bool numbers_may_be_epoch, double share)
{
    TimeDetection out;
    if (values.empty()) return out;
    std::size_t iso = 0, date_only = 0, epoch = 0;
    for (const auto& v : values) {
        double x = 0;
        if (looks_like_iso_time(v)) {
            ++iso;
            if (v.size() == 10) ++date_only;
        } else if (numbers_may_be_epoch && parse_number(v, &x) && x >= 1e9 && x < 1e20 && v.find_first_of(".eE") == std::string::npos) {
            ++epoch;
        }
    }
    const auto enough = [&](std::size_t n) { return static_cast<double>(n) >= share * static_cast<double>(values.size()); };
    if (enough(iso)) {
        out.reading = TimeReading{std::nullopt, date_only == iso, "ISO 8601 times"};
        return out;
    }
    if (enough(epoch)) {
        out.reading = TimeReading{std::nullopt, false, "epoch timestamps"};
        return out;
    }
    // The common layouts that read every value as a plausible date.
    std::vector<std::string> fits;
    for (const auto& layout : common_timestamp_layouts()) {
        const TimestampFormat f(layout);
        const auto n = static_cast<std::size_t>(std::count_if(values.begin(), values.end(), [&](const std::string& v) {
            std::int64_t us = 0;
            return f.parse(v, us) && plausible_year(us);
        }));
        if (n > 0 && enough(n)) fits.push_back(layout);
    }
    if (fits.empty()) return out;
    const std::string first = fits.front();
    const std::string other = swapped_day_month(first);
    if (!other.empty() && std::find(fits.begin(), fits.end(), other) != fits.end()) {
        out.ambiguous = {first, other};
        return out;
    }
    const TimestampFormat chosen(first);
    out.reading = TimeReading{chosen, !chosen.has_time_of_day(), "dates as " + first};
    return out;
}

bool reads_as_times(const std::vector<std::string>& values, bool numbers_may_be_epoch)
{
    const TimeDetection d = detect_time(values, numbers_may_be_epoch);
    return d.reading.has_value() || !d.ambiguous.empty();
}

std::optional<std::string> resolve_day_month(const std::vector<std::string>& layouts, const std::vector<std::string>& values)
{
    std::vector<std::string> fit;
    for (const auto& layout : layouts) {
        const TimestampFormat f(layout);
        if (std::all_of(values.begin(), values.end(), [&](const std::string& v) { return f.parse(v).has_value(); })) fit.push_back(layout);
    }
    if (fit.size() == 1) return fit.front();
    return std::nullopt;
}

}  // namespace srm::detail
