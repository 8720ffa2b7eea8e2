#include "srm/timeparse.hpp"

#include "srm/timeutil.hpp"

#include <cmath>
#include <cstring>

namespace srm {

namespace {

constexpr std::int64_t kUsPerSecond = 1'000'000;

bool digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly n digits at s[pos]; advances pos.
bool read_digits(std::string_view s, std::size_t& pos, int n, int& out)
{
    if (pos + static_cast<std::size_t>(n) > s.size()) return false;
    int v = 0;
    for (int i = 0; i < n; ++i) {
        const char c = s[pos + static_cast<std::size_t>(i)];
        if (!digit(c)) return false;
        v = v * 10 + (c - '0');
    }
    pos += static_cast<std::size_t>(n);
    out = v;
    return true;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m)
{
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// Days since the epoch of a date; exports are mostly in time order, so
// consecutive rows share the date and the last answer is kept per thread.
std::int64_t cached_days(int y, int mo, int d)
{
    thread_local int last_y = -1, last_mo = -1, last_d = -1;
    thread_local std::int64_t last_days = 0;
    if (y != last_y || mo != last_mo || d != last_d) {
        last_days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
        last_y = y;
        last_mo = mo;
        last_d = d;
    }
    return last_days;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::optional<std::int64_t> parse_iso(std::string_view s) noexcept
{
    std::size_t pos = 0;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (!read_digits(s, pos, 4, y)) return std::nullopt;
    if (pos >= s.size() || (s[pos] != '-' && s[pos] != '/')) return std::nullopt;
    const char dsep = s[pos++];
    if (!read_digits(s, pos, 2, mo) || pos >= s.size() || s[pos++] != dsep || !read_digits(s, pos, 2, d))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return std::nullopt;
    std::int64_t frac_us = 0;
    std::int64_t offset_s = 0;
    if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't' || s[pos] == ' ')) {
        ++pos;
        if (!read_digits(s, pos, 2, h) || pos >= s.size() || s[pos++] != ':' || !read_digits(s, pos, 2, mi))
            return std::nullopt;
        if (pos < s.size() && s[pos] == ':') {
            ++pos;
            if (!read_digits(s, pos, 2, sec)) return std::nullopt;
            if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
                ++pos;
                std::int64_t scale = 100000;
                const std::size_t start = pos;
                while (pos < s.size() && digit(s[pos])) {
                    if (scale > 0) frac_us += (s[pos] - '0') * scale;
                    scale /= 10;
                    ++pos;
                }
                if (pos == start) return std::nullopt;
            }
        }
        if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
        // Zone: Z, +hh:mm, +hhmm, +hh, " UTC", "UTC", " GMT"
        std::string_view rest = s.substr(pos);
        if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
        if (rest == "Z" || rest == "z" || rest == "UTC" || rest == "GMT" || rest.empty()) {
            // UTC
        } else if (rest.front() == '+' || rest.front() == '-') {
            const int sign = rest.front() == '+' ? 1 : -1;
            std::size_t p = 1;
            int oh = 0, om = 0;
            if (!read_digits(rest, p, 2, oh)) return std::nullopt;
            if (p < rest.size() && rest[p] == ':') ++p;
            if (p < rest.size() && !read_digits(rest, p, 2, om)) return std::nullopt;
            if (p != rest.size() || oh > 23 || om > 59) return std::nullopt;
            offset_s = sign * (oh * 3600 + om * 60);
        } else {
            return std::nullopt;
        }
    } else {
        std::string_view rest = s.substr(pos);
        if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
        if (!(rest.empty() || rest == "Z" || rest == "UTC")) return std::nullopt;
    }
    const std::int64_t days = cached_days(y, mo, d);
    const std::int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_s;
    return secs * kUsPerSecond + frac_us;
}

std::optional<std::int64_t> parse_epoch(std::string_view s) noexcept
{
    bool negative = false;
    std::size_t pos = 0;
    if (pos < s.size() && (s[pos] == '-' || s[pos] == '+')) negative = s[pos++] == '-';
    std::int64_t whole = 0;
    const std::size_t start = pos;
    while (pos < s.size() && digit(s[pos])) {
        if (whole > 922337203685477579LL) return std::nullopt;  // (INT64_MAX - 9) / 10
        whole = whole * 10 + (s[pos++] - '0');
    }
    if (pos == start) return std::nullopt;
    double frac = 0.0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        double scale = 0.1;
        const std::size_t fstart = pos;
        while (pos < s.size() && digit(s[pos])) {
            frac += (s[pos++] - '0') * scale;
            scale /= 10;
        }
        if (pos == fstart) return std::nullopt;
    }
    if (pos != s.size()) return std::nullopt;
    std::int64_t us = 0;
    if (whole < 100'000'000'000LL) {  // seconds
        us = whole * kUsPerSecond + static_cast<std::int64_t>(std::llround(frac * 1e6));
    } else if (whole < 100'000'000'000'000LL) {  // milliseconds
        us = whole * 1000 + static_cast<std::int64_t>(std::llround(frac * 1e3));
    } else if (whole < 100'000'000'000'000'000LL) {  // microseconds
        us = whole;
    } else {  // nanoseconds
        us = whole / 1000;
    }
    return negative ? -us : us;
}

}  // namespace

// The common export form, "YYYY-MM-DDTHH:MM:SS[.fff...](Z|+00:00)", read at
// fixed positions; anything else goes through the general parser.
// What follows the seconds of "YYYY-MM-DDTHH:MM:SS": an optional fraction
// and a UTC zone (Z, +00:00 or none). The fraction in microseconds, or
// nothing when the rest is something else.
static std::optional<std::int64_t> utc_fraction(std::string_view s) noexcept
{
    std::size_t pos = 19;
    std::int64_t frac_us = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::int64_t scale = 100000;
        const std::size_t start = pos;
        while (pos < s.size() && digit(s[pos])) {
            frac_us += (s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == start) return std::nullopt;
    }
    const std::string_view zone = s.substr(pos);
    if (!(zone == "Z" || zone.empty() || zone == "+00:00")) return std::nullopt;
    return frac_us;
}

static std::optional<std::int64_t> parse_fixed_iso(std::string_view s) noexcept
{
    if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
        return std::nullopt;
    // Rows in time order share the hour: reuse "YYYY-MM-DDTHH:" when it is the
    // same as the previous row's and read only minutes, seconds and fraction.
    thread_local char last_hour[14] = {};
    thread_local std::int64_t last_hour_seconds = -1;
    if (last_hour_seconds >= 0 && std::memcmp(last_hour, s.data(), 14) == 0) {
        const int m1 = s[14] - '0', m2 = s[15] - '0', s1 = s[17] - '0', s2 = s[18] - '0';
        if (m1 >= 0 && m1 <= 5 && m2 >= 0 && m2 <= 9 && s1 >= 0 && s1 <= 6 && s2 >= 0 && s2 <= 9) {
            const int mi = m1 * 10 + m2, sec = s1 * 10 + s2;
            if (sec <= 60)
                if (const auto frac_us = utc_fraction(s)) return (last_hour_seconds + mi * 60 + sec) * kUsPerSecond + *frac_us;
        }
    }
    static constexpr int kDigits[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};
    int v[14];
    for (int i = 0; i < 14; ++i) {
        const int d = s[static_cast<std::size_t>(kDigits[i])] - '0';
        if (d < 0 || d > 9) return std::nullopt;
        v[i] = d;
    }
    const int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], mo = v[4] * 10 + v[5], d = v[6] * 10 + v[7];
    const int h = v[8] * 10 + v[9], mi = v[10] * 10 + v[11], sec = v[12] * 10 + v[13];
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    const auto frac_us = utc_fraction(s);
    if (!frac_us) return std::nullopt;
    const std::int64_t hour_seconds = cached_days(y, mo, d) * 86400 + h * 3600;
    std::memcpy(last_hour, s.data(), 14);
    last_hour_seconds = hour_seconds;
    return (hour_seconds + mi * 60 + sec) * kUsPerSecond + *frac_us;
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) noexcept
{
    const std::string_view s = trim(text);
    if (auto fast = parse_fixed_iso(s)) return fast;
    if (s.size() >= 10 && digit(s[0]) && (s[4] == '-' || s[4] == '/')) return parse_iso(s);
    if (s.empty()) return std::nullopt;
    return parse_epoch(s);
}

bool looks_like_iso_time(std::string_view text) noexcept
{
    const std::string_view s = trim(text);
    return s.size() >= 10 && digit(s[0]) && (s[4] == '-' || s[4] == '/') && parse_iso(s).has_value();
}

}  // namespace srm
