#include "srm/timeparse.hpp"

#include "srm/timeutil.hpp"
#include "srm/timeparse_fast.hpp"

#include <cmath>
#include <cstring>

namespace srm {

namespace {

using detail::cached_days;
using detail::days_in_month;
using detail::digit;
using detail::kUsPerSecond;
using detail::parse_fixed_iso;

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

bool parse_timestamp(std::string_view text, std::int64_t& out) noexcept
{
    const std::string_view s = trim(text);
    if (parse_fixed_iso(s, out)) return true;
    std::optional<std::int64_t> slow;
    if (s.size() >= 10 && digit(s[0]) && (s[4] == '-' || s[4] == '/'))
        slow = parse_iso(s);
    else if (!s.empty())
        slow = parse_epoch(s);
    if (!slow) return false;
    out = *slow;
    return true;
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) noexcept
{
    std::int64_t t = 0;
    if (!parse_timestamp(text, t)) return std::nullopt;
    return t;
}

bool looks_like_iso_time(std::string_view text) noexcept
{
    const std::string_view s = trim(text);
    return s.size() >= 10 && digit(s[0]) && (s[4] == '-' || s[4] == '/') && parse_iso(s).has_value();
}

}  // namespace srm
