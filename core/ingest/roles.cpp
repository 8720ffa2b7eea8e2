#include "roles_internal.hpp"

#include "column_names_internal.hpp"
#include "srm/errors.hpp"
#include "srm/text.hpp"
#include "srm/timeparse.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <set>

namespace srm::detail {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& n)
{
    return std::find(list.begin(), list.end(), n) != list.end();
}

std::string column_list(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

int find_column(const std::vector<std::string>& names, const std::string& wanted, const char* option)
{
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == wanted) return static_cast<int>(i);
    for (std::size_t i = 0; i < names.size(); ++i)
        if (normalise_name(names[i]) == normalise_name(wanted)) return static_cast<int>(i);
    throw InputError(std::string(option) + " names '" + wanted + "', which is not a column; the columns are: " +
                     column_list(names));
}

}  // namespace

EventKind classify_event(std::string_view value)
{
    const std::string v = normalise_name(value);
    if (v.find("assign") != std::string::npos) return EventKind::Assignment;
    if (v.find("expos") != std::string::npos || v.find("view") != std::string::npos ||
        v.find("impression") != std::string::npos || v.find("trigger") != std::string::npos)
        return EventKind::Exposure;
    return EventKind::Other;
}

bool truthy(std::string_view value)
{
    const std::string v = normalise_name(value);
    return v == "1" || v == "true" || v == "yes" || v == "y" || v == "t";
}

RoleAssignment assign_roles(const std::vector<std::string>& names, const std::vector<std::vector<std::string>>& sample,
                            const LoadOptions& options)
{
    RoleAssignment a;
    a.columns.resize(names.size());
    for (std::size_t i = 0; i < names.size(); ++i) a.columns[i].name = names[i];
    auto set = [&](int col, Role role, std::string reason) {
        a.columns[static_cast<std::size_t>(col)].role = role;
        a.columns[static_cast<std::size_t>(col)].reason = std::move(reason);
    };
    auto free_col = [&](int col) { return a.columns[static_cast<std::size_t>(col)].role == Role::Ignore &&
                                          a.columns[static_cast<std::size_t>(col)].reason.empty(); };

    // 1. Explicit options.
    struct Explicit {
        const std::optional<std::string>& value;
        const char* option;
        Role role;
        int* slot;
    };
    const Explicit explicit_roles[] = {
        {options.variant_col, "--variant-col", Role::Variant, &a.variant},
        {options.unit_col, "--unit-col", Role::Unit, &a.unit},
        {options.time_col, "--time-col", Role::Time, &a.time},
        {options.count_col, "--count-col", Role::Count, &a.count},
        {options.event_col, "--event-col", Role::Event, &a.event},
        {options.inclusion_col, "--inclusion-col", Role::Inclusion, &a.inclusion},
    };
    for (const auto& e : explicit_roles) {
        if (!e.value) continue;
        const int col = find_column(names, *e.value, e.option);
        if (!free_col(col)) throw InputError(std::string(e.option) + " names '" + *e.value + "', which already has a role");
        *e.slot = col;
        set(col, e.role, std::string("set by ") + e.option);
    }
    if (options.dimensions)
        for (const auto& d : *options.dimensions) {
            const int col = find_column(names, d, "--dimensions");
            if (!free_col(col)) throw InputError("--dimensions names '" + d + "', which already has a role");
            set(col, Role::Dimension, "set by --dimensions");
        }
    if (options.metrics)
        for (const auto& m : *options.metrics) {
            const int col = find_column(names, m, "--metrics");
            if (!free_col(col)) throw InputError("--metrics names '" + m + "', which already has a role");
            set(col, Role::Metric, "set by --metrics");
        }

    // 2. By name.
    auto by_name = [&](const std::vector<std::string>& list, Role role, int* slot) {
        if (*slot >= 0) return;
        for (const auto& wanted : list)
            for (std::size_t i = 0; i < names.size(); ++i)
                if (free_col(static_cast<int>(i)) && normalise_name(names[i]) == wanted) {
                    *slot = static_cast<int>(i);
                    set(*slot, role, "by name");
                    return;
                }
    };
    by_name(names_for(Role::Variant), Role::Variant, &a.variant);
    by_name(names_for(Role::Unit), Role::Unit, &a.unit);
    by_name(names_for(Role::Time), Role::Time, &a.time);
    by_name(names_for(Role::Count), Role::Count, &a.count);
    by_name(names_for(Role::Event), Role::Event, &a.event);
    by_name(names_for(Role::Inclusion), Role::Inclusion, &a.inclusion);
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (!free_col(static_cast<int>(i))) continue;
        const std::string n = normalise_name(names[i]);
        if (!options.dimensions && contains(names_for(Role::Dimension), n))
            set(static_cast<int>(i), Role::Dimension, "by name");
        else if (!options.metrics && contains(names_for(Role::Metric), n))
            set(static_cast<int>(i), Role::Metric, "by name");
    }

    // 3. By content, for the rest.
    for (std::size_t i = 0; i < names.size(); ++i) {
        const int col = static_cast<int>(i);
        if (!free_col(col)) continue;
        std::size_t seen = 0, numeric = 0, binary = 0, integer = 0, iso = 0, epochish = 0;
        std::set<std::string> distinct;
        for (const auto& row : sample) {
            if (i >= row.size() || row[i].empty()) continue;
            ++seen;
            double v = 0;
            if (parse_number(row[i], &v)) {
                ++numeric;
                if (v == 0 || v == 1) ++binary;
                if (std::fabs(v) < 9e15 && v == std::floor(v)) ++integer;
                if (v >= 1e9 && v < 1e20) ++epochish;
            } else if (looks_like_iso_time(row[i])) {
                ++iso;
            }
            if (distinct.size() <= options.max_dimension_values) distinct.insert(row[i]);
        }
        if (seen == 0) {
            set(col, Role::Ignore, "by content: empty in the first rows");
        } else if (numeric == seen) {
            if (binary == seen && !options.metrics) {
                set(col, Role::Metric, "by content: 0/1 values");
                a.metrics.push_back(col);
            } else if (a.time < 0 && epochish == seen && integer == seen && !options.time_col) {
                a.time = col;
                set(col, Role::Time, "by content: epoch timestamps");
            } else if (a.count < 0 && a.unit < 0 && integer == seen && options.shape != Shape::Events && !options.count_col) {
                a.count = col;
                set(col, Role::Count, "by content: whole numbers");
            } else if (!options.metrics) {
                set(col, Role::Metric, "by content: numbers");
            } else {
                set(col, Role::Ignore, "not listed in --metrics");
            }
        } else if (iso == seen && a.time < 0 && !options.time_col) {
            a.time = col;
            set(col, Role::Time, "by content: ISO 8601 times");
        } else if (!options.dimensions && distinct.size() <= options.max_dimension_values &&
                   (distinct.size() * 2 <= seen || distinct.size() <= 3)) {
            set(col, Role::Dimension, "by content: " + std::to_string(distinct.size()) + " distinct values");
        } else {
            set(col, Role::Ignore,
                options.dimensions ? std::string("not listed in --dimensions")
                                   : "by content: too many distinct values for a dimension (" +
                                         std::string(distinct.size() > options.max_dimension_values ? "more than " : "") +
                                         std::to_string(distinct.size()) + " in the first " + std::to_string(seen) + " rows)");
        }
    }
    a.dimensions.clear();
    a.metrics.clear();
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (a.columns[i].role == Role::Dimension) a.dimensions.push_back(static_cast<int>(i));
        if (a.columns[i].role == Role::Metric) a.metrics.push_back(static_cast<int>(i));
    }

    if (a.variant < 0)
        throw InputError("no usable variant column: none is named like a variant (variant, variation, arm, group, "
                         "bucket, ...); name it with --variant-col. The columns are: " + column_list(names));

    // 4. Shape.
    if (options.shape) {
        a.shape = *options.shape;
        if (a.shape == Shape::Aggregated && a.count < 0)
            throw InputError("--shape aggregated needs a count column (count, users, units, n, exposures); name it with --count-col");
    } else {
        a.shape = (a.count >= 0 && a.unit < 0) ? Shape::Aggregated : Shape::Events;
    }
    if (a.shape == Shape::Events && a.count >= 0) {
        set(a.count, Role::Ignore, "a count column is not used for event-level data (each unit counts once)");
        a.count = -1;
    }
    if (a.shape == Shape::Aggregated && a.unit >= 0) {
        set(a.unit, Role::Ignore, "a unit column is not used for aggregated counts");
        a.unit = -1;
    }
    return a;
}

}  // namespace srm::detail
