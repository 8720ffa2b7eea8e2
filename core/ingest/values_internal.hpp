// How exports spell missing values, booleans and numbers in a field
// (internal to ingest).
#pragma once

#include "srm/text.hpp"

#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

namespace srm::detail {

/// Missing-value spellings: empty, NA, N/A, NaN, null, NULL, None, nil, "-".
[[gnu::always_inline]] inline bool is_missing(std::string_view v)
{
    if (v.empty()) return true;
    if (v.size() > 4) return false;
    const char c = v[0];
    if (v.size() == 1) return c == '-';
    if (!(c == 'n' || c == 'N')) return false;
    const std::string l = lower(v);
    return l == "na" || l == "n/a" || l == "nan" || l == "null" || l == "none" || l == "nil";
}

/// true/false, yes/no, t/f, y/n (any case).
inline bool boolean_word(std::string_view v)
{
    if (v.size() > 5) return false;
    const std::string l = lower(v);
    return l == "true" || l == "false" || l == "yes" || l == "no" || l == "t" || l == "f" || l == "y" || l == "n";
}

/// A metric value: a number, a boolean (true/false, yes/no, t/f, y/n) or a
/// missing value (0). False when it is none of these.
inline bool read_metric(std::string_view v, double& out)
{
    out = 0;
    if (is_missing(v)) return true;
    auto [ptr, ec] = std::from_chars(v.data() + (v[0] == '+' ? 1 : 0), v.data() + v.size(), out);
    if (ec == std::errc() && ptr == v.data() + v.size() && std::isfinite(out)) return true;
    if (v.size() <= 5) {
        const std::string l = lower(v);
        if (l == "true" || l == "yes" || l == "t" || l == "y") {
            out = 1;
            return true;
        }
        if (l == "false" || l == "no" || l == "f" || l == "n") {
            out = 0;
            return true;
        }
    }
    return false;
}

}  // namespace srm::detail
