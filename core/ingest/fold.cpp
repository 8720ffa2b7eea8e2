// Phase c and the end of the loader: rows folded into the per-partition
// unit tables (each unit's first exposure, its variant and dimensions, its
// assignment, flags and metric sums), or appended as entries when there are
// no unit ids; then the tables moved into the dataset's arrays.
#include "loader_internal.hpp"

#include "srm/parallel.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <limits>

namespace srm::detail {

namespace {

// Per chunk, pointers to its local->global code maps (variant, then each dimension).
std::vector<const std::uint16_t*> remap_pointers(const ChunkRemap& r)
{
    std::vector<const std::uint16_t*> out;
    for (const auto& m : r) out.push_back(m.data());
    return out;
}

}  // namespace

namespace {

// What folding one row needs, in plain values the compiler keeps in registers.
struct FoldContext {
    RowLayout at;
    std::size_t nd, nm, moff;
    bool narrow;
    const std::uint16_t* vmap;
    const std::uint16_t* const* dmaps;
};

// One row into its unit's record: the first exposure (earliest time; ties
// keep file order) sets the variant and dimensions, the first assignment the
// assigned variant; flags and metric sums accumulate.
[[gnu::always_inline]] inline void fold_row(unsigned char* r, const unsigned char* row, const FoldContext& c)
{
    const std::uint8_t kind_bits = row[c.at.kind];
    const auto kind = static_cast<EventKind>(kind_bits & 0x0F);
    // The row's included and disagreeing bits are the unit's, one place lower.
    static_assert(kRowIncluded >> 1 == kIncluded && kRowDisagrees >> 1 == kDisagreed);
    std::uint8_t flags = static_cast<std::uint8_t>(r[UnitTable::kFlagsOff] | ((kind_bits & (kRowIncluded | kRowDisagrees)) >> 1));
    const auto var = static_cast<std::uint8_t>(c.vmap[row[c.at.variant]]);
    if (kind == EventKind::Exposure) {
        std::int64_t t0, t;
        std::memcpy(&t0, r + UnitTable::kTimeOff, 8);
        std::memcpy(&t, row + c.at.time, 8);
        bool take = false;
        if (!(flags & kExposed)) {
            take = true;
            flags |= kExposed;
        } else {
            if (r[UnitTable::kVarOff] != var) flags |= kJumped;
            take = t < t0;  // earlier exposure later in the file; ties keep file order
        }
        if (take) {
            std::memcpy(r + UnitTable::kTimeOff, &t, 8);
            r[UnitTable::kVarOff] = var;
            for (std::size_t d = 0; d < c.nd; ++d) {
                std::uint16_t local;
                std::memcpy(&local, row + c.at.dim + 2 * d, 2);
                UnitTable::set_dim(r, d, local == kNoCode ? kNoCode : c.dmaps[d][local], c.narrow);
            }
        }
    } else if (kind == EventKind::Assignment) {
        if (!(flags & kAssigned)) r[UnitTable::kAssignedOff] = var;
        flags |= kAssigned;
    }
    r[UnitTable::kFlagsOff] = flags;
    for (std::size_t m = 0; m < c.nm; ++m) {
        double acc, v;
        std::memcpy(&acc, r + c.moff + 8 * m, 8);
        std::memcpy(&v, row + c.at.metric + 8 * m, 8);
        acc += v;
        std::memcpy(r + c.moff + 8 * m, &acc, 8);
    }
}

// The records of rows [i, stop) into slot[], probing all before any update
// (room reserved so no record moves) with the slots kDist rows on prefetched.
[[gnu::always_inline]] inline void probe_group(UnitTable& table, const RowBuf& b, std::size_t key_off, std::size_t stride, std::size_t i,
                                               std::size_t stop, std::size_t n, unsigned char** slot)
{
    constexpr std::size_t kDist = 16;  // rows to look ahead: prefetch their slots
    table.ensure_room(stop - i);
    UnitTable::Cursor cur = table.cursor();
    const unsigned char* rows = b.row(0, stride) + key_off;
    for (std::size_t j = i + kDist; j < std::min(n, stop + kDist); ++j) {
        std::uint64_t ahead;
        std::memcpy(&ahead, rows + j * stride, 8);
        cur.prefetch(ahead);
    }
    for (std::size_t j = i; j < stop; ++j) {
        std::uint64_t key;
        std::memcpy(&key, rows + j * stride, 8);
        slot[j - i] = cur.find_or_insert(key);
        assert(slot[j - i] != nullptr);
    }
    table.commit(cur);
}

}  // namespace

void fold_partition(LoadState& s, std::size_t part, std::vector<ChunkOut>& chunks, const std::vector<ChunkRemap>& remaps)
{
    UnitTable& table = *s.tables[part];
    const std::size_t stride = s.layout.stride;
    FoldContext c{s.layout, s.ds.dimensions.size(), s.ds.metrics.size(), table.metric_off(), table.narrow(), nullptr, nullptr};
    for (std::size_t k = 0; k < chunks.size(); ++k) {
        RowBuf& b = chunks[k].parts[part];
        const auto maps = remap_pointers(remaps[k]);
        c.vmap = maps[0];
        c.dmaps = maps.data() + 1;
        const std::size_t n = b.rows;
        // In groups: first the slots of a group's rows (the probes), then their updates.
        constexpr std::size_t kGroup = 16;
        unsigned char* slot[kGroup];
        for (std::size_t i = 0; i < n; i += kGroup) {
            const std::size_t stop = std::min(n, i + kGroup);
            probe_group(table, b, c.at.key, stride, i, stop, n, slot);
            for (std::size_t j = i; j < stop; ++j) fold_row(slot[j - i], b.row(j, stride), c);
        }
        b.clear();
    }
}

// Phase c without unit ids: every row is an entry (weighted when aggregated).
void append_rows(LoadState& s, std::vector<ChunkOut>& chunks, const std::vector<ChunkRemap>& remaps)
{
    Dataset& ds = s.ds;
    const RowLayout& layout = s.layout;
    const auto& roles = s.roles;
    const std::size_t nd = ds.dimensions.size(), nm = ds.metrics.size();
    for (std::size_t k = 0; k < chunks.size(); ++k) {
        RowBuf& b = chunks[k].parts[0];
        const auto maps = remap_pointers(remaps[k]);
        for (std::size_t i = 0; i < b.rows; ++i) {
            const unsigned char* row = b.row(i, layout.stride);
            const auto kind = static_cast<EventKind>(row[layout.kind] & 0x0F);
            const auto var = static_cast<std::uint8_t>(maps[0][row[layout.variant]]);
            std::uint8_t flags = static_cast<std::uint8_t>((row[layout.kind] & (kRowIncluded | kRowDisagrees)) >> 1);
            if (row[layout.kind] & kRowDisagrees) flags |= kDisagreed;
            flags |= kind == EventKind::Assignment ? kAssigned : kExposed;
            // Warehouse aggregates: exposed units also assigned (to their own
            // variant or another), and units exposed in more than one variant.
            std::uint8_t assigned = kind == EventKind::Assignment ? var : 0;
            if (row[layout.kind] & kRowAssigned) {
                flags |= kAssigned;
                assigned = static_cast<std::uint8_t>(maps[0][row[layout.assigned]]);
            }
            if (row[layout.kind] & kRowMulti) flags |= kJumped;
            std::int64_t t;
            std::memcpy(&t, row + layout.time, 8);
            ds.first_time.push_back(t);
            ds.variant.push_back(kind == EventKind::Assignment ? 0 : var);
            ds.assigned_variant.push_back(assigned);
            ds.flags.push_back(flags);
            if (roles.count >= 0) {
                std::uint64_t w;
                std::memcpy(&w, row + layout.weight, 8);
                ds.weight.push_back(w);
            }
            for (std::size_t d = 0; d < nd; ++d) {
                std::uint16_t local;
                std::memcpy(&local, row + layout.dim + 2 * d, 2);
                ds.dim_codes.push_back(local == kNoCode ? kNoCode : maps[1 + d][local]);
            }
            for (std::size_t m = 0; m < nm; ++m) {
                double v;
                std::memcpy(&v, row + layout.metric + 8 * m, 8);
                ds.metric_values.push_back(v);
            }
        }
        b.clear();
    }
}

void move_tables_into_dataset(LoadState& s)
{
    Dataset& ds = s.ds;
    auto& tables = s.tables;
    const std::size_t nd = ds.dimensions.size(), nm = ds.metrics.size();
    std::vector<std::size_t> offset(tables.size() + 1, 0);
    for (std::size_t p = 0; p < tables.size(); ++p) offset[p + 1] = offset[p] + tables[p]->size();
    const std::size_t units = offset.back();
    auto size_column = [units](auto& column, std::size_t per_unit) {
        column.resize(units * per_unit);  // uninitialised: no page is touched here
    };
    size_column(ds.first_time, 1);
    size_column(ds.variant, 1);
    size_column(ds.assigned_variant, 1);
    size_column(ds.flags, 1);
    size_column(ds.dim_codes, nd);
    size_column(ds.metric_values, nm);
    std::vector<std::int64_t> lo(tables.size(), kNoTime), hi(tables.size(), kNoTime);
    parallel_for(tables.size(), s.threads, [&](std::size_t p) {
        UnitTable& t = *tables[p];
        std::size_t at = offset[p];
        std::int64_t span_lo = std::numeric_limits<std::int64_t>::max(), span_hi = kNoTime;
        for (std::size_t i = 0; i < t.capacity(); ++i) {
            if (!t.used(i)) continue;
            const unsigned char* r = t.record(i);
            std::int64_t time;
            std::memcpy(&time, r + UnitTable::kTimeOff, 8);
            const std::uint8_t flags = r[UnitTable::kFlagsOff];
            ds.first_time[at] = time;
            ds.variant[at] = r[UnitTable::kVarOff];
            ds.assigned_variant[at] = r[UnitTable::kAssignedOff];
            ds.flags[at] = flags;
            if ((flags & kExposed) && time != kNoTime) {
                span_lo = std::min(span_lo, time);
                span_hi = std::max(span_hi, time);
            }
            for (std::size_t d = 0; d < nd; ++d) ds.dim_codes[at * nd + d] = t.dim(r, d);
            for (std::size_t m = 0; m < nm; ++m) std::memcpy(&ds.metric_values[at * nm + m], r + t.metric_off() + 8 * m, 8);
            ++at;
        }
        if (span_hi != kNoTime) {
            lo[p] = span_lo;
            hi[p] = span_hi;
        }
        tables[p].reset();
    });
    tables.clear();
    for (std::size_t p = 0; p < lo.size(); ++p) {
        if (lo[p] == kNoTime) continue;
        if (ds.min_time == kNoTime || lo[p] < ds.min_time) ds.min_time = lo[p];
        if (ds.max_time == kNoTime || hi[p] > ds.max_time) ds.max_time = hi[p];
    }
}

void finish_dictionaries(LoadState& s)
{
    Dataset& ds = s.ds;
    ds.variants = s.global_variants.values();
    for (std::size_t d = 0; d < ds.dimensions.size(); ++d) {
        auto& info = ds.dimensions[d];
        info.values = s.global_dims[d].values();
        // Past the cap in one chunk (excluded while merging) or in the
        // merged dictionary: the count stops one past the cap.
        if (s.global_dims[d].overflow()) info.excluded = true;
        info.distinct = info.values.size() + (info.excluded ? 1 : 0);
    }
    // Binary metrics: per unit "any" (the sum capped at 1).
    const std::size_t nm = ds.metrics.size();
    for (std::size_t m = 0; m < nm; ++m)
        if (ds.metrics[m].binary && ds.has_unit)
            for (std::size_t i = 0; i < ds.size(); ++i) {
                double& v = ds.metric_values[i * nm + m];
                if (v > 1.0) v = 1.0;
            }
}

}  // namespace srm::detail
