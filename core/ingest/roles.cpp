// Column roles: a short driver over named stages, each deciding one role
// from the options, the column names and the profiles of the first rows,
// as a careful analyst reads an unknown export:
//
//   apply_options   what the user said
//   find_variant    by name (checked against the values), else the one column whose values read like arms
//   find_unit       by name, else a column with a different value in nearly every row (a row number is not one)
//   find_time       by name or content: ISO 8601, epoch numbers, or a common date layout (day/month told from
//                   the values), with a separate hour-of-day column added to a date
//   find_count      only without a unit id: by name, else whole numbers with a wide range in rows that are
//                   each one combination of the other columns; several candidates: ask
//   find_event, find_inclusion   by name
//   find_mirror     a column that maps nearly 1:1 onto the variant: not a dimension, a check of its own
//   classify_rest   flags and numbers are metrics, low-cardinality text is a dimension, the rest is ignored
//   decide_shape    events or aggregated counts
#include "roles_internal.hpp"

#include "column_names_internal.hpp"
#include "column_profile_internal.hpp"
#include "time_detect_internal.hpp"
#include "values_internal.hpp"
#include "srm/arm_labels.hpp"
#include "srm/errors.hpp"
#include "srm/text.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace srm::detail {

namespace {

// The names for a message: the first 30 (each shortened), then how many more.
std::string column_list(const std::vector<std::string>& names)
{
    constexpr std::size_t kShown = 30;
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < kShown; ++i) out += (out.empty() ? "" : ", ") + shorten(names[i]);
    if (names.size() > kShown) out += ", ... (" + group_thousands(names.size()) + " columns in all)";
    return out;
}

int find_column(const std::vector<std::string>& names, const std::string& wanted, const char* option)
{
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == wanted) return static_cast<int>(i);
    for (std::size_t i = 0; i < names.size(); ++i)
        if (normalise_name(names[i]) == normalise_name(wanted)) return static_cast<int>(i);
    throw InputError(std::string(option) + " names '" + wanted + "', which is not a column; the columns are: " + column_list(names));
}

std::string quote_values(const ColumnProfile& p, std::size_t n = 3)
{
    std::string out;
    for (std::size_t i = 0; i < p.top.size() && i < n; ++i) out += (i ? ", " : "") + p.top[i].first;
    return out;
}

class RoleFinder {
public:
    RoleFinder(const std::vector<std::string>& names, const std::vector<std::vector<std::string>>& sample, const LoadOptions& options,
               const std::function<std::vector<std::string>(std::size_t)>& more)
        : names_(names), sample_(sample), opt_(options), more_(more), profiles_(profile_columns(names, sample))
    {
        a_.columns.resize(names.size());
        for (std::size_t i = 0; i < names.size(); ++i) a_.columns[i].name = names[i];
    }

    RoleAssignment run()
    {
        apply_options();
        find_variant();
        find_unit();
        find_time();
        find_count();
        find_by_name(Role::Event, a_.event);
        find_by_name(Role::Inclusion, a_.inclusion);
        find_by_name(Role::MultiVariant, a_.multi_variant);
        find_by_name(Role::AssignedVariant, a_.assigned_variant);
        find_mirror();
        classify_rest();
        decide_shape();
        for (std::size_t i = 0; i < names_.size(); ++i) {
            if (a_.columns[i].role == Role::Dimension) a_.dimensions.push_back(static_cast<int>(i));
            if (a_.columns[i].role == Role::Metric) a_.metrics.push_back(static_cast<int>(i));
        }
        return std::move(a_);
    }

private:
    bool is_free(std::size_t col) const { return a_.columns[col].role == Role::Ignore && a_.columns[col].reason.empty(); }
    void set(std::size_t col, Role role, std::string reason)
    {
        a_.columns[col].role = role;
        a_.columns[col].reason = std::move(reason);
    }
    void ignore(std::size_t col, std::string reason, bool warn = true)
    {
        set(col, Role::Ignore, reason);
        if (warn) a_.warnings.push_back({"column_ignored", "column '" + names_[col] + "' is not used: " + reason, names_[col], std::nullopt});
    }
    std::optional<NameHint> hint(std::size_t col) const { return role_by_name(names_[col]); }
    bool named(std::size_t col, Role role) const
    {
        const auto h = hint(col);
        return h && h->role == role;
    }
    std::vector<std::string> values(std::size_t col) const
    {
        std::vector<std::string> out;
        for (const auto& row : sample_)
            if (col < row.size() && !is_missing(row[col])) out.push_back(row[col]);
        return out;
    }
    // Free columns named for `role`, most specific name first.
    std::vector<std::size_t> named_candidates(Role role) const
    {
        std::vector<std::pair<int, std::size_t>> c;
        for (std::size_t i = 0; i < names_.size(); ++i)
            if (is_free(i))
                if (const auto h = hint(i); h && h->role == role) c.emplace_back(h->rank, i);
        std::stable_sort(c.begin(), c.end());
        std::vector<std::size_t> out;
        for (const auto& x : c) out.push_back(x.second);
        return out;
    }

    void apply_options()
    {
        struct Explicit {
            const std::optional<std::string>& value;
            const char* option;
            Role role;
            int* slot;
        };
        const Explicit explicit_roles[] = {
            {opt_.variant_col, "--variant-col", Role::Variant, &a_.variant},
            {opt_.unit_col, "--unit-col", Role::Unit, &a_.unit},
            {opt_.time_col, "--time-col", Role::Time, &a_.time},
            {opt_.hour_col, "--hour-col", Role::Hour, &a_.hour},
            {opt_.count_col, "--count-col", Role::Count, &a_.count},
            {opt_.event_col, "--event-col", Role::Event, &a_.event},
            {opt_.inclusion_col, "--inclusion-col", Role::Inclusion, &a_.inclusion},
            {opt_.multi_variant_col, "--multi-variant-col", Role::MultiVariant, &a_.multi_variant},
            {opt_.assigned_variant_col, "--assigned-variant-col", Role::AssignedVariant, &a_.assigned_variant},
        };
        for (const auto& e : explicit_roles) {
            if (!e.value) continue;
            const auto col = static_cast<std::size_t>(find_column(names_, *e.value, e.option));
            if (!is_free(col)) throw InputError(std::string(e.option) + " names '" + *e.value + "', which already has a role");
            *e.slot = static_cast<int>(col);
            set(col, e.role, "chosen by the user");
        }
        if (opt_.time_format) {
            try {
                a_.time_format.emplace(*opt_.time_format, opt_.time_year);
            } catch (const std::invalid_argument& e) {
                throw InputError(e.what());
            }
        }
        for (const auto& [list, option, role] : {std::tuple{&opt_.dimensions, "--dimensions", Role::Dimension},
                                                 std::tuple{&opt_.metrics, "--metrics", Role::Metric}}) {
            if (!*list) continue;
            for (const auto& name : **list) {
                const auto col = static_cast<std::size_t>(find_column(names_, name, option));
                if (!is_free(col)) throw InputError(std::string(option) + " names '" + name + "', which already has a role");
                set(col, role, "chosen by the user");
            }
        }
    }

    // A variant column has a handful of values, not one per row.
    bool plausible_variant(const ColumnProfile& p) const
    {
        return p.seen > 0 && p.distinct >= 1 && p.distinct <= 255 && !(p.distinct > 20 && p.distinct_share() > 0.2) && p.iso < p.seen;
    }

    // Values that read like arms: all of them, or a control among them, or
    // "No X" beside "A X", "B X" (No E-Mail, Mens E-Mail, Womens E-Mail).
    static bool arm_like(const ColumnProfile& p)
    {
        if (p.distinct < 2 || p.distinct > 20) return false;
        if (p.arm_like == p.distinct) return true;
        if (p.control_like >= 1 && p.arm_like * 2 >= p.distinct) return true;
        for (const auto& [value, n] : p.top) {
            const std::string v = normalise_name(value);
            if (v.rfind("no_", 0) != 0) continue;
            const std::string what = v.substr(3);
            std::size_t sharing = 0;
            for (const auto& [other, m] : p.top) {
                const std::string o = normalise_name(other);
                sharing += o.size() > what.size() && o.compare(o.size() - what.size(), what.size(), what) == 0 ? 1 : 0;
            }
            if (sharing + 1 == p.distinct) return true;
        }
        return false;
    }

    void find_variant()
    {
        if (a_.variant >= 0) return;
        for (std::size_t col : named_candidates(Role::Variant)) {
            if (!plausible_variant(profiles_[col])) continue;
            a_.variant = static_cast<int>(col);
            set(col, Role::Variant, "by name");
            return;
        }
        std::vector<std::size_t> found;
        for (std::size_t i = 0; i < names_.size(); ++i)
            if (is_free(i) && arm_like(profiles_[i]) && profiles_[i].missing * 10 <= profiles_[i].seen + profiles_[i].missing) found.push_back(i);
        if (found.size() == 1) {
            a_.variant = static_cast<int>(found.front());
            set(found.front(), Role::Variant, "by content: its values read like arms (" + quote_values(profiles_[found.front()]) + ")");
            return;
        }
        if (found.size() > 1) {
            std::vector<std::string> which;
            for (auto i : found) which.push_back(names_[i]);
            throw InputError("more than one column could be the variant (" + column_list(which) + "): name it with --variant-col");
        }
        // A column named as the variant that was passed over: say why, not that none is named so.
        for (std::size_t col : named_candidates(Role::Variant)) {
            const auto& p = profiles_[col];
            if (p.seen == 0) continue;
            throw InputError("no usable variant column: '" + names_[col] + "' is named like one, but its first rows hold " + std::to_string(p.distinct) +
                             (p.distinct > 255 ? " different values (at most 255 variants are read)" : " different values, nearly one per row: an id, not arms") +
                             "; if it is the variant column, give --variant-col " + names_[col]);
        }
        throw InputError("no usable variant column: none is named like a variant (variant, variation, arm, group, bucket, ...) or "
                         "holds arm labels (control, treatment, ...); name it with --variant-col. The columns are: " +
                         column_list(names_));
    }

    // A unit id: a different value in (nearly) every row, not a number with
    // a fraction, not a time, not a row number.
    bool id_like(const ColumnProfile& p, double share) const
    {
        return p.seen >= 2 && !p.row_number && p.distinct_share() >= share && !(p.is_numeric() && !p.is_integer()) && p.iso < p.seen &&
               !p.is_flag();
    }

    void find_unit()
    {
        if (a_.unit >= 0) return;
        // By name: the most specific name whose values can be ids.
        for (std::size_t col : named_candidates(Role::Unit)) {
            const auto& p = profiles_[col];
            if (p.seen == 0 || p.row_number || p.iso == p.seen) continue;
            // Decimals are not ids, unless a unit's own name says so (GA4's
            // user_pseudo_id is 1197596843.1673515099).
            if (p.is_numeric() && !p.is_integer() && hint(col)->rank >= 1000) continue;
            // An identifier named only by its pattern (*_id) is the unit when its
            // values are mostly distinct; market_id with 10 values groups units.
            if (hint(col)->rank >= 1000 && p.distinct_share() < 0.5) continue;
            a_.unit = static_cast<int>(col);
            set(col, Role::Unit, "by name");
            return;
        }
        // By content: the column with a different value in nearly every row.
        // Times are distinct too: a column that reads as times (epoch
        // numbers, 13/03/2026 10:00) is the unit only when no other can be.
        std::optional<std::size_t> best, best_time;
        for (std::size_t i = 0; i < names_.size(); ++i) {
            if (!is_free(i) || !id_like(profiles_[i], 0.9) || profiles_[i].seen < 20) continue;
            if (const auto h = hint(i); h && h->role != Role::Unit) continue;  // named for another role
            if (profiles_[i].is_numeric() && !is_id_name(names_[i]) && profiles_[i].min_len != profiles_[i].max_len) continue;
            const auto& p = profiles_[i];
            auto& pick = reads_as_times(values(i), p.integer == p.seen) ? best_time : best;
            if (!pick || p.distinct_share() > profiles_[*pick].distinct_share()) pick = i;
        }
        if (!best) best = best_time;
        if (best) {
            a_.unit = static_cast<int>(*best);
            set(*best, Role::Unit, "by content: a different value in nearly every row (" + std::to_string(profiles_[*best].distinct) +
                                       " in the first " + std::to_string(profiles_[*best].seen) + " rows)");
        }
    }

    // The reading of a time column, asking for --time-format where the
    // values cannot tell day from month.
    std::optional<TimeReading> reading_of(std::size_t col, double share = 1.0)
    {
        const std::vector<std::string> vals = values(col);
        if (vals.empty()) return std::nullopt;
        if (a_.time_format) {
            const bool all = std::all_of(vals.begin(), vals.end(), [&](const std::string& v) { return a_.time_format->parse(v).has_value(); });
            if (!all) return std::nullopt;
            return TimeReading{a_.time_format, !a_.time_format->has_time_of_day(), "times as " + a_.time_format->layout()};
        }
        // Numbers may be epoch times when enough of the values are whole
        // numbers: all of them, or (for a column named as the time) the share
        // asked for, the other values being bad times rejected row by row.
        const auto& p = profiles_[col];
        const bool whole_numbers = p.seen > 0 && static_cast<double>(p.integer) >= share * static_cast<double>(p.seen);
        TimeDetection d = detect_time(vals, whole_numbers, share);
        if (!d.ambiguous.empty() && more_) {
            if (const auto layout = resolve_day_month(d.ambiguous, more_(col))) {
                const TimestampFormat f(*layout);
                d.reading = TimeReading{f, !f.has_time_of_day(), "dates as " + *layout + " (the order of day and month told from the values)"};
                d.ambiguous.clear();
            }
        }
        if (!d.ambiguous.empty())
            throw InputError("the dates in '" + names_[col] + "' (such as '" + vals.front() + "') could be day/month or month/day: give " +
                             "--time-format '" + d.ambiguous[0] + "' or --time-format '" + d.ambiguous[1] + "'");
        return d.reading;
    }

    void take_time(std::size_t col, TimeReading r, const std::string& why)
    {
        a_.time = static_cast<int>(col);
        if (!is_free(col) && a_.columns[col].role == Role::Time) a_.columns[col].reason += "; " + r.how;
        else set(col, Role::Time, why + ": " + r.how);
        a_.time_format = r.format;
        if (r.format)
            a_.warnings.push_back({"time_format", "'" + names_[col] + "' is read as " + r.how, names_[col], std::nullopt});
        if (r.date_only) find_hour(col);
    }

    void find_time()
    {
        if (a_.time >= 0) {
            const auto col = static_cast<std::size_t>(a_.time);
            const auto r = reading_of(col);
            if (!r) throw InputError("--time-col names '" + names_[col] + "', but its values are not times (such as '" + quote_values(profiles_[col], 1) +
                                     "'); give their layout with --time-format");
            take_time(col, *r, "chosen by the user");
            return;
        }
        // A column named as the time may hold some bad values (rejected row by row).
        for (std::size_t col : named_candidates(Role::Time))
            if (const auto r = reading_of(col, 0.5)) return take_time(col, *r, "by name");
        for (std::size_t i = 0; i < names_.size(); ++i) {
            if (!is_free(i) || profiles_[i].seen == 0 || named(i, Role::Hour)) continue;
            // A column named for another role ("users", "user_id") is not a time because its numbers look like epoch ones.
            if (named(i, Role::Count) || named(i, Role::Unit) || named(i, Role::Variant) || named(i, Role::Metric)) continue;
            const auto& p = profiles_[i];
            if (p.is_numeric() && !(p.is_integer() && (p.epoch == p.seen || (p.min >= 19000101 && p.max <= 21001231)))) continue;
            if (const auto r = reading_of(i)) return take_time(i, *r, "by content");
        }
    }

    // Small whole numbers 0-23 beside a date are its hour of day.
    void find_hour(std::size_t date_col)
    {
        auto hours = [&](std::size_t i) {
            const auto& p = profiles_[i];
            return p.is_integer() && p.min >= 0 && p.max <= 23 && p.seen > 0;
        };
        if (a_.hour >= 0) {
            if (!hours(static_cast<std::size_t>(a_.hour)))
                throw InputError("--hour-col names '" + names_[static_cast<std::size_t>(a_.hour)] + "', which does not hold hours 0-23");
        } else {
            for (std::size_t col : named_candidates(Role::Hour))
                if (hours(col)) {
                    a_.hour = static_cast<int>(col);
                    set(col, Role::Hour, "by name: the hour of day of '" + names_[date_col] + "'");
                    break;
                }
            for (std::size_t i : {date_col + 1, date_col - 1}) {
                if (a_.hour >= 0 || i >= names_.size() || !is_free(i) || !hours(i) || profiles_[i].distinct < 2) continue;
                a_.hour = static_cast<int>(i);
                set(i, Role::Hour, "by content: hours 0-23 beside the date '" + names_[date_col] + "'");
            }
        }
        if (a_.hour >= 0) {
            a_.columns[date_col].reason += ", with the hour from '" + names_[static_cast<std::size_t>(a_.hour)] + "'";
            a_.warnings.push_back({"time_from_date_and_hour",
                                   "the time is '" + names_[date_col] + "' plus the hour of day in '" + names_[static_cast<std::size_t>(a_.hour)] + "'",
                                   names_[date_col], std::nullopt});
        }
    }

    // Whether rows are each one combination of the variant, time and text
    // columns (aggregated counts) rather than repeating (one row a unit).
    bool rows_are_combinations() const
    {
        std::set<std::string> keys;
        for (const auto& row : sample_) {
            std::string key;
            for (std::size_t i = 0; i < names_.size() && i < row.size(); ++i) {
                const auto& p = profiles_[i];
                const bool grouping = static_cast<int>(i) == a_.variant || static_cast<int>(i) == a_.time || static_cast<int>(i) == a_.hour ||
                                      (!p.is_numeric() && p.distinct <= opt_.max_dimension_values);
                if (grouping) key += row[i] + '\x1f';
            }
            keys.insert(key);
        }
        return !sample_.empty() && keys.size() * 10 >= sample_.size() * 9;
    }

    bool wide_whole_numbers(std::size_t i) const
    {
        const auto& p = profiles_[i];
        return p.is_integer() && p.min >= 0 && p.max >= 10 && p.distinct >= 3 && p.max >= 10 * std::max(p.min, 1.0) && !p.row_number &&
               !is_id_name(names_[i]);
    }

    void find_count()
    {
        if (a_.count >= 0 || a_.unit >= 0 || opt_.shape == Shape::Events) return;
        // By name: unit counts before exposure counts.
        std::optional<std::size_t> best;
        int best_rank = 99;
        for (std::size_t col : named_candidates(Role::Count)) {
            const auto& p = profiles_[col];
            const auto rank = count_name_rank(names_[col]);
            // A negative count does not make the column something else: its rows are rejected (and reported) as bad counts.
            if (!rank || p.numeric * 2 < p.seen || *rank >= best_rank) continue;
            best = col;
            best_rank = *rank;
        }
        if (best) {
            a_.count = static_cast<int>(*best);
            set(*best, Role::Count, "by name");
            return;
        }
        std::vector<std::size_t> candidates;
        for (std::size_t i = 0; i < names_.size(); ++i)
            if (is_free(i) && wide_whole_numbers(i) && !named(i, Role::Metric)) candidates.push_back(i);
        if (candidates.empty() || (!rows_are_combinations() && opt_.shape != Shape::Aggregated)) return;
        if (candidates.size() > 1) {
            std::vector<std::string> which;
            for (auto i : candidates) which.push_back(names_[i]);
            throw InputError("the rows look like aggregated counts, but more than one column could hold the units (" + column_list(which) +
                             "): name it with --count-col, or give --shape events if each row is one unit");
        }
        a_.count = static_cast<int>(candidates.front());
        set(candidates.front(), Role::Count, "by content: whole numbers with a wide range in rows that are each one combination");
    }

    void find_by_name(Role role, int& slot)
    {
        if (slot >= 0) return;
        for (std::size_t col : named_candidates(role)) {
            if (role_by_name(names_[col])->rank >= 1000) continue;
            slot = static_cast<int>(col);
            set(col, role, "by name");
            return;
        }
    }

    // A column whose values map nearly one to one onto the variant's.
    void find_mirror()
    {
        const auto v = static_cast<std::size_t>(a_.variant);
        const auto& vp = profiles_[v];
        if (vp.distinct < 2) return;
        for (std::size_t i = 0; i < names_.size(); ++i) {
            // A column named as a dimension (browser, country) is one, even where
            // a small file happens to split it along the arms.
            if (!is_free(i) || profiles_[i].distinct != vp.distinct || named(i, Role::Dimension)) continue;
            std::map<std::string, std::map<std::string, std::size_t>> pairs;  // variant -> value -> rows
            std::size_t rows = 0;
            for (const auto& row : sample_) {
                if (i >= row.size() || v >= row.size() || is_missing(row[v]) || is_missing(row[i])) continue;
                ++pairs[row[v]][row[i]];
                ++rows;
            }
            std::vector<std::pair<std::string, std::string>> mapping;
            std::set<std::string> used;
            std::size_t agreeing = 0;
            for (const auto& [variant, counts] : pairs) {
                const auto top = std::max_element(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
                mapping.emplace_back(variant, top->first);
                used.insert(top->first);
                agreeing += top->second;
            }
            const bool enough = std::all_of(pairs.begin(), pairs.end(), [](const auto& x) {
                std::size_t n = 0;
                for (const auto& [value, count] : x.second) n += count;
                return n >= 5;
            });
            if (used.size() != pairs.size() || pairs.size() < 2 || !enough || agreeing * 10 < rows * 9) continue;
            a_.mirror = static_cast<int>(i);
            a_.mirror_expected = mapping;
            std::string pairs_text;
            for (const auto& [variant, value] : mapping) pairs_text += (pairs_text.empty() ? "" : ", ") + variant + " = " + value;
            set(i, Role::Mirror, "by content: it names the arm in its own words (" + pairs_text + ")");
            a_.warnings.push_back({"variant_mirror",
                                   "'" + names_[i] + "' mirrors the variant (" + pairs_text +
                                       "): it is not a dimension; rows where it names another arm are counted (variant_column_agreement)",
                                   names_[i], std::nullopt});
            return;
        }
    }

    static bool period_name(const std::string& norm)
    {
        for (const char* w : {"hour", "day", "weekday", "week", "month", "dow", "day_of_week"})
            if (norm == w || (norm.size() > std::char_traits<char>::length(w) &&
                              norm.compare(norm.size() - std::char_traits<char>::length(w), std::string::npos, w) == 0))
                return true;
        return false;
    }

    void classify(std::size_t i)
    {
        const auto& p = profiles_[i];
        const auto h = hint(i);
        const bool dims_open = !opt_.dimensions, metrics_open = !opt_.metrics;
        if (p.seen == 0) return ignore(i, "empty in the first rows", false);
        if (p.row_number) return ignore(i, "a row number (rising by one from row to row)");
        if (is_id_name(names_[i]) && !(h && h->role != Role::Unit && h->rank < 1000))
            return ignore(i, "an identifier (" + std::to_string(p.distinct) + " values in the first rows), not the unit and not a count");
        if (static_cast<int>(i) != a_.time &&
            (p.iso == p.seen || (h && h->role == Role::Time && reads_as_times(values(i), p.integer == p.seen))))  // GA4's event_date 20260301
            return ignore(i, "a second time column");
        const bool named_dimension = h && h->role == Role::Dimension && h->rank < 1000;
        const bool metric_like = !named_dimension && (p.is_flag() || (h && h->role == Role::Metric) ||
                                                      (p.is_numeric() && !(p.is_integer() && period_name(p.norm))));
        if (metric_like) {
            if (metrics_open)
                return set(i, Role::Metric, h && h->role == Role::Metric && h->rank < 1000 ? "by name"
                                            : p.is_flag()                                ? "by content: a flag (0/1, true/false)"
                                                                                         : "by content: numbers");
            return ignore(i, "not listed in --metrics", false);
        }
        const bool low_cardinality = p.distinct <= opt_.max_dimension_values && (p.distinct * 2 <= p.seen || p.distinct <= 3);
        // A column named as a dimension is one; past the cap the loader leaves
        // it out of the breakdown (reported as an excluded dimension).
        if (low_cardinality || named_dimension) {
            if (dims_open) return set(i, Role::Dimension, h && h->role == Role::Dimension ? "by name" : "by content: " + std::to_string(p.distinct) + " distinct values");
            return ignore(i, "not listed in --dimensions", false);
        }
        if (!dims_open) return ignore(i, "not listed in --dimensions", false);
        ignore(i, "too many distinct values for a dimension (" + std::string(p.distinct > opt_.max_dimension_values ? "more than " : "") +
                      std::to_string(std::min<std::size_t>(p.distinct, opt_.max_dimension_values)) + " in the first " + std::to_string(p.seen) + " rows)");
    }

    void classify_rest()
    {
        for (std::size_t i = 0; i < names_.size(); ++i)
            if (is_free(i)) classify(i);
    }

    void decide_shape()
    {
        if (opt_.shape) {
            a_.shape = *opt_.shape;
            if (a_.shape == Shape::Aggregated && a_.count < 0)
                throw InputError("--shape aggregated needs a count column (count, users, units, n, exposures); name it with --count-col");
        } else {
            a_.shape = (a_.count >= 0 && a_.unit < 0) ? Shape::Aggregated : Shape::Events;
        }
        if (a_.shape == Shape::Events && a_.count >= 0) {
            // A count-like column of event-level data is an outcome per row.
            const auto c = static_cast<std::size_t>(a_.count);
            if (opt_.metrics || !profiles_[c].is_numeric()) set(c, Role::Ignore, "a count column is not used for event-level data (each unit counts once)");
            else set(c, Role::Metric, "a number per row of event-level data (not a count of units)");
            a_.count = -1;
        }
        for (int* slot : {&a_.multi_variant, &a_.assigned_variant})
            if (a_.shape == Shape::Events && *slot >= 0) {
                ignore(static_cast<std::size_t>(*slot), "a column of aggregated counts (srm-check --print-sql); event-level data tells it per unit");
                *slot = -1;
            }
        if (a_.shape == Shape::Aggregated && a_.unit >= 0) {
            set(static_cast<std::size_t>(a_.unit), Role::Ignore, "a unit column is not used for aggregated counts");
            a_.unit = -1;
        }
    }

    const std::vector<std::string>& names_;
    const std::vector<std::vector<std::string>>& sample_;
    const LoadOptions& opt_;
    const std::function<std::vector<std::string>(std::size_t)>& more_;
    std::vector<ColumnProfile> profiles_;
    RoleAssignment a_;
};

}  // namespace

EventKind classify_event(std::string_view value)
{
    const std::string v = normalise_name(value);
    if (v.find("assign") != std::string::npos) return EventKind::Assignment;
    if (v.find("expos") != std::string::npos || v.find("view") != std::string::npos || v.find("impression") != std::string::npos ||
        v.find("trigger") != std::string::npos)
        return EventKind::Exposure;
    return EventKind::Other;
}

bool truthy(std::string_view value)
{
    const std::string v = normalise_name(value);
    return v == "1" || v == "true" || v == "yes" || v == "y" || v == "t";
}

RoleAssignment assign_roles(const std::vector<std::string>& names, const std::vector<std::vector<std::string>>& sample,
                            const LoadOptions& options, const std::function<std::vector<std::string>(std::size_t)>& more_values)
{
    return RoleFinder(names, sample, options, more_values).run();
}

}  // namespace srm::detail
