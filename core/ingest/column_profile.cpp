#include "column_profile_internal.hpp"

#include "values_internal.hpp"
#include "srm/arm_labels.hpp"
#include "srm/text.hpp"
#include "srm/timeparse.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace srm::detail {

namespace {

ColumnProfile profile_one(const std::string& name, std::size_t col, const std::vector<std::vector<std::string>>& sample)
{
    ColumnProfile p;
    p.name = name;
    p.norm = normalise_name(name);
    p.index = col;
    std::unordered_map<std::string, std::size_t> counts;
    bool first = true, rising = true;
    double previous = 0;
    for (const auto& row : sample) {
        if (col >= row.size()) continue;
        const std::string& v = row[col];
        if (is_missing(v)) {
            ++p.missing;
            rising = false;
            continue;
        }
        ++p.seen;
        ++counts[v];
        p.min_len = first ? v.size() : std::min(p.min_len, v.size());
        p.max_len = std::max(p.max_len, v.size());
        double x = 0;
        if (parse_number(v, &x)) {
            ++p.numeric;
            if (x == 0 || x == 1) ++p.zero_one;
            const bool whole = std::isfinite(x) && x == std::trunc(x) && v.find_first_of(".eE") == std::string::npos;  // no cast: x may not fit an integer
            if (whole) ++p.integer;
            if (whole && x >= 1e9 && x < 1e20) ++p.epoch;
            if (!first && !(whole && x == previous + 1)) rising = false;
            p.min = first ? x : std::min(p.min, x);
            p.max = first ? x : std::max(p.max, x);
            previous = x;
        } else {
            rising = false;
            if (boolean_word(v)) ++p.boolean_words;
            if (looks_like_iso_time(v)) {
                ++p.iso;
                if (v.size() == 10) ++p.iso_date_only;
            }
        }
        first = false;
    }
    p.distinct = counts.size();
    // A row number counts from 0 or 1 (a pandas index, a record number).
    p.row_number = rising && p.seen >= 10 && p.is_integer() && (p.min == 0 || p.min == 1);
    std::vector<std::pair<std::string, std::size_t>> all(counts.begin(), counts.end());
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    if (all.size() > 64) all.resize(64);
    p.top = std::move(all);
    if (p.distinct <= 64)
        for (const auto& [value, n] : p.top) {
            if (looks_like_arm_label(value)) ++p.arm_like;
            if (is_control_label(value)) ++p.control_like;
        }
    return p;
}

}  // namespace

std::vector<ColumnProfile> profile_columns(const std::vector<std::string>& names, const std::vector<std::vector<std::string>>& sample)
{
    std::vector<ColumnProfile> out;
    for (std::size_t i = 0; i < names.size(); ++i) out.push_back(profile_one(names[i], i, sample));
    return out;
}

}  // namespace srm::detail
