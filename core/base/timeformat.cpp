#include "srm/timeformat.hpp"

#include "srm/timeutil.hpp"

#include <array>
#include <stdexcept>

namespace srm {

namespace {

constexpr std::array<const char*, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<const char*, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::array<const char*, 12> kMonthNames = {"january", "february", "march", "april", "may", "june",
                                                     "july", "august", "september", "october", "november", "december"};
constexpr std::array<const char*, 7> kDayNames = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_ci(std::string_view s, std::size_t at, const char* word)
{
    std::size_t i = 0;
    for (; word[i]; ++i)
        if (at + i >= s.size() || lower_ascii(s[at + i]) != word[i]) return false;
    return true;
}

// Reads min..max digits at `at`.
bool digits(std::string_view s, std::size_t& at, int min, int max, long long& out)
{
    out = 0;
    int n = 0;
    while (n < max && at < s.size() && s[at] >= '0' && s[at] <= '9') {
        out = out * 10 + (s[at] - '0');
        ++at;
        ++n;
    }
    return n >= min;
}

// A month or weekday name, full or abbreviated; returns its index or -1.
template <std::size_t N>
int name_at(std::string_view s, std::size_t& at, const std::array<const char*, N>& full, const std::array<const char*, N>& abbr)
{
    for (std::size_t i = 0; i < N; ++i)
        if (starts_with_ci(s, at, full[i])) {
            at += std::char_traits<char>::length(full[i]);
            return static_cast<int>(i);
        }
    for (std::size_t i = 0; i < N; ++i)
        if (starts_with_ci(s, at, abbr[i])) {
            at += 3;
            if (at < s.size() && s[at] == '.') ++at;
            return static_cast<int>(i);
        }
    return -1;
}

bool zone(std::string_view s, std::size_t& at, long long& offset_s)
{
    offset_s = 0;
    if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
        ++at;
        return true;
    }
    if (starts_with_ci(s, at, "utc") || starts_with_ci(s, at, "gmt")) {
        at += 3;
        return true;
    }
    if (at >= s.size() || (s[at] != '+' && s[at] != '-')) return false;
    const int sign = s[at] == '-' ? -1 : 1;
    ++at;
    long long hh = 0, mm = 0;
    if (!digits(s, at, 2, 2, hh)) return false;
    if (at < s.size() && s[at] == ':') ++at;
    if (at < s.size() && s[at] >= '0' && s[at] <= '9' && !digits(s, at, 2, 2, mm)) return false;
    if (hh > 23 || mm > 59) return false;
    offset_s = sign * (hh * 3600 + mm * 60);
    return true;
}

}  // namespace

TimestampFormat::TimestampFormat(std::string_view layout, std::optional<int> default_year)
    : layout_(layout), default_year_(default_year)
{
    if (layout.empty()) throw std::invalid_argument("the time format is empty");
    static const std::string kDirectives = "YymdeHIpMSfbBaAzjs";
    for (std::size_t i = 0; i < layout.size(); ++i) {
        if (layout[i] != '%') {
            if (items_.empty() || items_.back().directive != 0) items_.push_back({0, {}});
            items_.back().literal += layout[i];
            continue;
        }
        if (++i >= layout.size()) throw std::invalid_argument("the time format '" + layout_ + "' ends with a lone %");
        const char d = layout[i];
        if (d == '%') {
            if (items_.empty() || items_.back().directive != 0) items_.push_back({0, {}});
            items_.back().literal += '%';
            continue;
        }
        if (kDirectives.find(d) == std::string::npos)
            throw std::invalid_argument(std::string("the time format '") + layout_ + "' has an unknown directive %" + d);
        items_.push_back({d, {}});
        if (d == 'H' || d == 'I' || d == 's') has_hour_ = true;
        if (d == 'Y' || d == 'y' || d == 's') has_year_ = true;
    }
    if (!has_year_ && !default_year_)
        throw std::invalid_argument("the time format '" + layout_ + "' has no year (%Y): give the year with --time-year");
}

std::optional<std::int64_t> TimestampFormat::parse(std::string_view text) const noexcept
{
    std::int64_t us = 0;
    if (!parse(text, us)) return std::nullopt;
    return us;
}

namespace {

// The fields a layout's directives read.
struct Fields {
    long long year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, frac_us = 0, offset = 0, yday = 0, epoch = 0;
    bool pm = false, twelve = false, has_epoch = false;
};

// A literal of the layout at `at`: a space matches one or more blanks.
bool literal(std::string_view s, std::size_t& at, const std::string& lit)
{
    for (char c : lit) {
        if (c == ' ') {
            if (at >= s.size() || (s[at] != ' ' && s[at] != '\t')) return false;
            while (at < s.size() && (s[at] == ' ' || s[at] == '\t')) ++at;
        } else {
            if (at >= s.size() || lower_ascii(s[at]) != lower_ascii(c)) return false;
            ++at;
        }
    }
    return true;
}

bool am_pm(std::string_view s, std::size_t& at, Fields& f)
{
    for (const char* w : {"am", "pm", "a.m.", "p.m."})
        if (starts_with_ci(s, at, w)) {
            f.pm = lower_ascii(s[at]) == 'p';
            at += std::char_traits<char>::length(w);
            return true;
        }
    return false;
}

bool fraction(std::string_view s, std::size_t& at, Fields& f)
{
    const std::size_t from = at;
    long long v = 0;
    if (!digits(s, at, 1, 9, v)) return false;
    for (std::size_t n = at - from; n < 6; ++n) v *= 10;
    for (std::size_t n = at - from; n > 6; --n) v /= 10;
    f.frac_us = v;
    return true;
}

// One directive's field at `at`.
bool directive(char d, std::string_view s, std::size_t& at, Fields& f)
{
    long long v = 0;
    switch (d) {
    case 'Y': return digits(s, at, 4, 4, f.year);
    case 'y':
        if (!digits(s, at, 2, 2, v)) return false;
        f.year = v < 69 ? 2000 + v : 1900 + v;
        return true;
    case 'm': return digits(s, at, 1, 2, f.month);
    case 'e':
        while (at < s.size() && s[at] == ' ') ++at;
        return digits(s, at, 1, 2, f.day);
    case 'd': return digits(s, at, 1, 2, f.day);
    case 'H': return digits(s, at, 1, 2, f.hour);
    case 'I': f.twelve = true; return digits(s, at, 1, 2, f.hour);
    case 'p': return am_pm(s, at, f);
    case 'M': return digits(s, at, 1, 2, f.minute);
    case 'S': return digits(s, at, 1, 2, f.second);
    case 'f': return fraction(s, at, f);
    case 'b':
    case 'B': {
        const int m = name_at(s, at, kMonthNames, kMonths);
        f.month = m + 1;
        return m >= 0;
    }
    case 'a':
    case 'A': return name_at(s, at, kDayNames, kDays) >= 0;
    case 'z': return zone(s, at, f.offset);
    case 'j': return digits(s, at, 1, 3, f.yday) && f.yday >= 1 && f.yday <= 366;
    case 's': f.has_epoch = true; return digits(s, at, 1, 12, f.epoch);
    default: return false;
    }
}

// Microseconds since the epoch of the fields, or false for an impossible date.
bool to_epoch_us(Fields f, std::int64_t& out)
{
    if (f.has_epoch) {
        out = f.epoch * 1000000 + f.frac_us;
        return true;
    }
    if (f.twelve) {
        if (f.hour < 1 || f.hour > 12) return false;
        f.hour = f.hour % 12 + (f.pm ? 12 : 0);
    }
    if (f.month < 1 || f.month > 12 || f.hour > 23 || f.minute > 59 || f.second > 60) return false;
    static constexpr int kDaysIn[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (f.year % 4 == 0 && f.year % 100 != 0) || f.year % 400 == 0;
    std::int64_t days = 0;
    if (f.yday > 0) {
        if (f.yday > (leap ? 366 : 365)) return false;
        days = days_from_civil(f.year, 1, 1) + f.yday - 1;
    } else {
        const int dim = kDaysIn[f.month - 1] + (f.month == 2 && leap ? 1 : 0);
        if (f.day < 1 || f.day > dim) return false;
        days = days_from_civil(f.year, static_cast<unsigned>(f.month), static_cast<unsigned>(f.day));
    }
    out = ((days * 86400 + f.hour * 3600 + f.minute * 60 + f.second) - f.offset) * 1000000 + f.frac_us;
    return true;
}

}  // namespace

bool TimestampFormat::parse(std::string_view s, std::int64_t& out) const noexcept
{
    Fields f;
    f.year = default_year_.value_or(1970);
    std::size_t at = 0;
    for (const auto& item : items_)
        if (!(item.directive == 0 ? literal(s, at, item.literal) : directive(item.directive, s, at, f))) return false;
    return at == s.size() && to_epoch_us(f, out);
}

const std::vector<std::string>& common_timestamp_layouts()
{
    static const std::vector<std::string> kLayouts = [] {
        std::vector<std::string> out;
        const char* dates[] = {"%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%m-%d-%Y", "%d-%m-%Y", "%Y/%m/%d", "%Y%m%d",
                               "%m/%d/%y", "%d/%m/%y", "%d.%m.%y", "%d-%b-%Y", "%d %b %Y", "%b %d, %Y", "%b %d %Y",
                               "%a, %d %b %Y", "%a %b %d %Y"};
        const char* times[] = {"", " %H:%M", " %H:%M:%S", " %H:%M:%S.%f", " %I:%M %p", " %I:%M:%S %p", " %H:%M:%S %z",
                               "T%H:%M:%S", "T%H:%M:%S%z"};
        for (const char* t : times)
            for (const char* d : dates) out.push_back(std::string(d) + t);
        return out;
    }();
    return kLayouts;
}

}  // namespace srm
