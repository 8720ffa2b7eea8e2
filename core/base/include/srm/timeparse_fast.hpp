// The fast path of the timestamp parser, inline for the loader's hot loop:
// the common export form "YYYY-MM-DDTHH:MM:SS[.fff...](Z|+00:00)" read at
// fixed positions. parse_timestamp() (timeparse.cpp) falls back to the
// general ISO and epoch parsers.
#pragma once

#include "srm/timeutil.hpp"

#include <cstdint>
#include <cstring>
#include <string_view>

namespace srm::detail {

constexpr std::int64_t kUsPerSecond = 1'000'000;

inline bool digit(char c) { return c >= '0' && c <= '9'; }

inline bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

inline int days_in_month(int y, int m)
{
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// Days since the epoch of a date; exports are mostly in time order, so
// consecutive rows share the date and the last answer is kept per thread.
inline std::int64_t cached_days(int y, int mo, int d)
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

// The common export form, "YYYY-MM-DDTHH:MM:SS[.fff...](Z|+00:00)", read at
// fixed positions; anything else goes through the general parser. These
// return -1 for "not this form" (no std::optional on the hot path: returning
// one through memory stalls store forwarding).

// What follows the seconds: an optional fraction and a UTC zone (Z, +00:00
// or none). The fraction in microseconds, or -1 when the rest is something else.
[[gnu::always_inline]] inline std::int64_t utc_fraction(const char* s, std::size_t n) noexcept
{
    // The commonest form first: milliseconds and Z.
    if (n == 24 && s[19] == '.' && s[23] == 'Z' && digit(s[20]) && digit(s[21]) && digit(s[22]))
        return ((s[20] - '0') * 100 + (s[21] - '0') * 10 + (s[22] - '0')) * 1000;
    std::size_t pos = 19;
    std::int64_t frac_us = 0;
    if (pos < n && s[pos] == '.') {
        ++pos;
        // Digits past the sixth (below a microsecond) are dropped.
        static constexpr std::int64_t kScale[7] = {1000000, 100000, 10000, 1000, 100, 10, 1};
        const std::size_t start = pos;
        int kept = 0;
        for (; pos < n && digit(s[pos]); ++pos)
            if (kept < 6) {
                frac_us = frac_us * 10 + (s[pos] - '0');
                ++kept;
            }
        if (pos == start) return -1;
        frac_us *= kScale[kept];
    }
    const std::size_t rest = n - pos;
    if (rest == 0 || (rest == 1 && s[pos] == 'Z') || (rest == 6 && std::memcmp(s + pos, "+00:00", 6) == 0)) return frac_us;
    return -1;
}

[[gnu::always_inline]] inline bool parse_fixed_iso(std::string_view text, std::int64_t& out) noexcept
{
    const char* s = text.data();
    const std::size_t n = text.size();
    if (n < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':') return false;
    // Rows in time order share the hour: reuse "YYYY-MM-DDTHH:" when it is the
    // same as the previous row's and read only minutes, seconds and fraction.
    thread_local char last_hour[14] = {};
    thread_local std::int64_t last_hour_seconds = -1;
    if (last_hour_seconds >= 0 && std::memcmp(last_hour, s, 14) == 0) {
        const int m1 = s[14] - '0', m2 = s[15] - '0', s1 = s[17] - '0', s2 = s[18] - '0';
        if (m1 >= 0 && m1 <= 5 && m2 >= 0 && m2 <= 9 && s1 >= 0 && s1 <= 6 && s2 >= 0 && s2 <= 9) {
            const int mi = m1 * 10 + m2, sec = s1 * 10 + s2;
            const std::int64_t frac_us = utc_fraction(s, n);
            if (sec <= 60 && frac_us >= 0) {
                out = (last_hour_seconds + mi * 60 + sec) * kUsPerSecond + frac_us;
                return true;
            }
        }
    }
    static constexpr int kDigits[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};
    int v[14];
    for (int i = 0; i < 14; ++i) {
        const int d = s[kDigits[i]] - '0';
        if (d < 0 || d > 9) return false;
        v[i] = d;
    }
    const int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], mo = v[4] * 10 + v[5], d = v[6] * 10 + v[7];
    const int h = v[8] * 10 + v[9], mi = v[10] * 10 + v[11], sec = v[12] * 10 + v[13];
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60) return false;
    const std::int64_t frac_us = utc_fraction(s, n);
    if (frac_us < 0) return false;
    const std::int64_t hour_seconds = cached_days(y, mo, d) * 86400 + h * 3600;
    std::memcpy(last_hour, s, 14);
    last_hour_seconds = hour_seconds;
    out = (hour_seconds + mi * 60 + sec) * kUsPerSecond + frac_us;
    return true;
}

}  // namespace srm::detail
