// The loader's hot path (internal to ingest): one well-formed record's
// fields into a packed row, one inlined function per column role. A field
// that cannot be read rejects the row with its reason and line.
#pragma once

#include "loader_internal.hpp"
#include "values_internal.hpp"
#include "srm/text.hpp"
#include "srm/timeparse.hpp"
#include "srm/timeparse_fast.hpp"

#include <charconv>
#include <cmath>

namespace srm::detail {

class RowDecoder {
public:
    RowDecoder(const LoadState& s, ChunkOut& c, const char* lo, const char* hi)
        : s_(s), r_(s.roles), c_(c), lo_(lo), hi_(hi), nd_(s.ds.dimensions.size()), nm_(s.ds.metrics.size()),
          events_(4096), dim_codes_(nd_), metric_vals_(nm_), combos_(1 + nd_), combo_codes_(1 + nd_)
    {
    }

    /// A record with the expected number of fields at f. `plain`: the fields
    /// are views into the input, one after the other (the combination cache
    /// may key on their bytes).
    [[gnu::always_inline]] void take(std::uint64_t line, const std::string_view* f, bool plain)
    {
        std::string_view variant = trim(f[static_cast<std::size_t>(r_.variant)]);
        // Aggregated counts from the warehouse: the variant first assigned
        // (a row without a variant: units assigned, never exposed).
        std::string_view assigned;
        if (r_.assigned_variant >= 0) {
            assigned = trim(f[static_cast<std::size_t>(r_.assigned_variant)]);
            if (is_missing(assigned)) assigned = {};
        }
        const bool assigned_only = !assigned.empty() && is_missing(variant);
        if (assigned_only) {
            variant = assigned;
            plain = false;  // the codes are not those of the fields' bytes
        } else if (is_missing(variant)) {
            return reject(line, RejectReason::MissingVariant, variant.empty() ? "empty variant" : "missing variant '" + std::string(variant) + "'");
        }
        std::int64_t t = kNoTime;
        if (r_.time >= 0 && !(assigned_only && is_missing(trim(f[static_cast<std::size_t>(r_.time)]))) && !read_time(line, f, t)) return;
        bool multi = false;
        if (r_.multi_variant >= 0 && !read_flag(line, f, r_.multi_variant, multi)) return;
        std::uint64_t key = 0;
        if (r_.unit >= 0 && !read_unit(line, f, key)) return;
        std::uint64_t weight = 1;
        if (r_.count >= 0 && !read_count(line, f, weight)) return;
        const EventKind kind = assigned_only ? EventKind::Assignment : r_.event >= 0 ? read_event(f) : EventKind::Exposure;
        if (nm_ && !read_metrics(line, f)) return;
        if (kind == EventKind::Other) {
            ++c_.other;
            if (r_.unit < 0) return;  // without unit ids nothing else uses the row
        }
        if (t != kNoTime && ((s_.opt.window_start && t < *s_.opt.window_start) || (s_.opt.window_end && t > *s_.opt.window_end))) {
            ++c_.outside;
            return;
        }
        std::uint16_t vcode;
        if (!read_codes(line, f, variant, plain, assigned_only, vcode)) return;
        unsigned char bits = static_cast<unsigned char>(kind);
        if (multi) bits |= kRowMulti;
        std::uint16_t acode = 0;
        if (!assigned.empty() && !assigned_only) {
            acode = c_.variants.code(assigned, lo_, hi_);
            if (acode == kNoCode) return reject(line, RejectReason::TooManyVariants, "more than 255 different variants");
            bits |= kRowAssigned;
        }
        if (r_.inclusion >= 0 && truthy(trim(f[static_cast<std::size_t>(r_.inclusion)]))) bits |= kRowIncluded;
        if (r_.mirror >= 0 && mirror_disagrees(variant, trim(f[static_cast<std::size_t>(r_.mirror)]))) {
            bits |= kRowDisagrees;
            ++c_.disagreeing;
        }
        write(key, t, weight, vcode, bits, acode);
    }

    void reject(std::uint64_t line, RejectReason why, std::string message)
    {
        ++c_.rejected.total;
        const auto w = static_cast<std::size_t>(why);
        ++c_.rejected.counts[w];
        if (c_.rejected.first[w] == Rejections::kNone) c_.rejected.first[w] = line;
        if (c_.rejected.kept.size() < s_.opt.max_errors_kept) c_.rejected.kept.emplace_back(line, std::move(message));
    }

private:
    [[gnu::always_inline]] bool read_time(std::uint64_t line, const std::string_view* f, std::int64_t& t)
    {
        const std::string_view ts = f[static_cast<std::size_t>(r_.time)];
        bool ok;
        if (r_.time_format) ok = r_.time_format->parse(trim(ts), t);
        else ok = parse_fixed_iso(ts, t) || parse_timestamp(ts, t);
        if (!ok) {
            if (is_missing(trim(ts)))
                reject(line, RejectReason::MissingTime, trim(ts).empty() ? std::string("empty time") : "missing time '" + std::string(trim(ts)) + "'");
            else reject(line, RejectReason::BadTime, "unparsable time '" + shorten(ts) + "'");
            return false;
        }
        if (r_.hour >= 0) {
            const std::string_view hs = trim(f[static_cast<std::size_t>(r_.hour)]);
            unsigned h = 0;
            auto [ptr, ec] = std::from_chars(hs.data(), hs.data() + hs.size(), h);
            if (ec != std::errc() || ptr != hs.data() + hs.size() || h > 23) {
                reject(line, RejectReason::BadHour, "hour '" + shorten(hs) + "' is not an hour of the day (0-23)");
                return false;
            }
            t += static_cast<std::int64_t>(h) * 3600 * kUsPerSecond;
        }
        return true;
    }

    [[gnu::always_inline]] bool read_unit(std::uint64_t line, const std::string_view* f, std::uint64_t& key)
    {
        const std::string_view unit = trim(f[static_cast<std::size_t>(r_.unit)]);
        if (is_missing(unit)) {
            reject(line, RejectReason::MissingUnit, unit.empty() ? "empty unit id" : "missing unit id '" + std::string(unit) + "'");
            return false;
        }
        key = hash_id(unit, lo_, hi_);
        return true;
    }

    bool read_count(std::uint64_t line, const std::string_view* f, std::uint64_t& weight)
    {
        const std::string_view cs = trim(f[static_cast<std::size_t>(r_.count)]);
        auto [ptr, ec] = std::from_chars(cs.data(), cs.data() + cs.size(), weight);
        if (ec == std::errc() && ptr == cs.data() + cs.size() && !cs.empty()) return true;
        double dv = 0;
        auto [p2, ec2] = std::from_chars(cs.data(), cs.data() + cs.size(), dv);
        if (ec2 == std::errc() && p2 == cs.data() + cs.size() && dv >= 0 && dv == std::floor(dv) && dv < 1.8e19) {
            weight = static_cast<std::uint64_t>(dv);
            return true;
        }
        reject(line, RejectReason::BadCount,
               ec == std::errc::result_out_of_range ? "count '" + shorten(cs) + "' is too large (over 2^64)"
                                                    : "count '" + shorten(cs) + "' is not a whole number of units (0 or more)");
        return false;
    }

    // A 0/1 flag (also true/false, yes/no); anything else rejects the row.
    bool read_flag(std::uint64_t line, const std::string_view* f, int col, bool& on)
    {
        const std::string_view v = trim(f[static_cast<std::size_t>(col)]);
        on = truthy(v);
        if (on || v.empty() || v == "0" || lower(v) == "false" || lower(v) == "no" || lower(v) == "f" || lower(v) == "n") return true;
        reject(line, RejectReason::BadFlag,
               "'" + s_.ds.columns[static_cast<std::size_t>(col)].name + "' has '" + shorten(v) + "', not 0 or 1");
        return false;
    }

    EventKind read_event(const std::string_view* f)
    {
        const std::string_view v = trim(f[static_cast<std::size_t>(r_.event)]);
        const std::uint16_t ec = events_.code(v);
        if (ec == kNoCode) return classify_event(v);
        while (event_kind_of_.size() <= ec) event_kind_of_.push_back(classify_event(events_.values()[event_kind_of_.size()]));
        return event_kind_of_[ec];
    }

    bool read_metrics(std::uint64_t line, const std::string_view* f)
    {
        for (std::size_t m = 0; m < nm_; ++m) {
            const std::string_view ms = trim(f[static_cast<std::size_t>(r_.metrics[m])]);
            double v = 0;
            if (!read_metric(ms, v)) {
                reject(line, RejectReason::BadMetric, "metric '" + s_.ds.metrics[m].name + "' has '" + shorten(ms) + "', not a number");
                return false;
            }
            if (v != 0 && v != 1) c_.metric_nonbinary[m] = true;
            metric_vals_[m] = v;
        }
        return true;
    }

    // The variant's and dimensions' codes: from the combination cache when
    // the fields' bytes were seen before, else from the dictionaries.
    // `assigned_only`: a warehouse row of units never exposed, whose NULL
    // dimensions are no value (the query leaves them empty): they must not
    // count towards --max-dimension-values.
    [[gnu::always_inline]] bool read_codes(std::uint64_t line, const std::string_view* f, std::string_view variant, bool plain,
                                           bool assigned_only, std::uint16_t& vcode)
    {
        const bool by_combo = plain && s_.combo_lo >= 0 && combos_.active();
        std::string_view span;
        std::uint64_t span_hash = 0;
        if (by_combo) {
            const char* from = f[static_cast<std::size_t>(s_.combo_lo)].data();
            const std::string_view last = f[static_cast<std::size_t>(s_.combo_hi)];
            span = std::string_view(from, static_cast<std::size_t>(last.data() + last.size() - from));
            span_hash = ComboCache::hash(span.data(), span.size(), hi_);
            if (const std::uint16_t* cached = combos_.find(span, span_hash, hi_)) {
                vcode = cached[0];
                copy_codes(dim_codes_.data(), cached + 1, nd_);
                return true;
            }
        }
        vcode = c_.variants.code(variant, lo_, hi_);
        if (vcode == kNoCode) {
            reject(line, RejectReason::TooManyVariants,
                   "more than 255 different variants: is '" + s_.ds.columns[static_cast<std::size_t>(r_.variant)].name +
                       "' really the variant column?");
            return false;
        }
        for (std::size_t d = 0; d < nd_; ++d) {
            const std::string_view v = trim(f[static_cast<std::size_t>(r_.dimensions[d])]);
            dim_codes_[d] = assigned_only && is_missing(v) ? kNoCode : c_.dims[d].code(v, lo_, hi_);
        }
        if (by_combo) {
            combo_codes_[0] = vcode;
            std::copy(dim_codes_.begin(), dim_codes_.end(), combo_codes_.begin() + 1);
            combos_.insert(span, span_hash, combo_codes_.data());
        }
        return true;
    }

    // Whether the mirror column shows another arm's value than the variant's.
    bool mirror_disagrees(std::string_view variant, std::string_view shown) const
    {
        for (const auto& [name, value] : s_.mirror_expected)
            if (name == variant) return value != shown;
        return false;
    }

    [[gnu::always_inline]] void write(std::uint64_t key, std::int64_t t, std::uint64_t weight, std::uint16_t vcode, unsigned char bits,
                                       std::uint16_t acode)
    {
        const RowLayout& at = s_.layout;
        unsigned char* r = c_.parts[r_.unit >= 0 ? (key >> (64 - kPartitionBits)) : 0].append(at.stride);
        if (r_.unit >= 0) std::memcpy(r + at.key, &key, 8);
        std::memcpy(r + at.time, &t, 8);
        if (r_.count >= 0) std::memcpy(r + at.weight, &weight, 8);
        if (nm_) std::memcpy(r + at.metric, metric_vals_.data(), 8 * nm_);
        copy_codes(r + at.dim, dim_codes_.data(), nd_);
        r[at.variant] = static_cast<unsigned char>(vcode);
        r[at.kind] = bits;
        if (at.assigned) r[at.assigned] = static_cast<unsigned char>(acode);
    }

    const LoadState& s_;
    const RoleAssignment& r_;
    ChunkOut& c_;
    const char* lo_;  // [lo, hi): memory that may be read around a field
    const char* hi_;
    std::size_t nd_, nm_;
    LocalDict events_;
    std::vector<EventKind> event_kind_of_;  // by local event code
    std::vector<std::uint16_t> dim_codes_;
    std::vector<double> metric_vals_;
    ComboCache combos_;
    std::vector<std::uint16_t> combo_codes_;
};

}  // namespace srm::detail
