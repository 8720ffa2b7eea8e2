// Tallying the units: one pass over the dataset on all cores, counting by
// the dataset's variant codes (the window and segment filters applied), then
// the tally regrouped by the report's variants.
#include "steps_internal.hpp"

#include "srm/parallel.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <thread>

namespace srm::detail {

namespace {

Tally empty_tally(const Dataset& ds, const TimeGrid& g)
{
    const std::size_t codes = ds.variants.size(), nd = ds.dimensions.size(), nm = ds.metrics.size();
    Tally a;
    a.counts.assign(codes, 0);
    a.bins.assign(g.n_bins * codes, 0);
    a.phase_units.assign(g.n_phases, 0);
    a.funnel_assigned.assign(codes, 0);
    a.funnel_exposed.assign(codes, 0);
    a.seg_counts.resize(nd);
    a.seg_phase.resize(nd);
    a.seg_strata.resize(nd);
    a.seg_bins.resize(nd);
    std::uint64_t by_bin = 0;
    for (std::size_t d = 0; d < nd; ++d) {
        const std::size_t values = ds.dimensions[d].values.size();
        const std::uint64_t need = static_cast<std::uint64_t>(values) * (g.n_bins + 1) * codes;
        if (g.have_span && !ds.dimensions[d].excluded && by_bin + need <= kMaxSegmentBins) {
            a.seg_bins[d].assign(need, 0);
            by_bin += need;
        }
        if (g.n_strata[d] > 1) a.seg_strata[d].assign(values * g.n_strata[d] * codes, 0);
        a.seg_counts[d].assign(values * codes, 0);
        a.seg_phase[d].assign(values * g.n_phases, 0);
    }
    a.m_n.assign(nm * codes, 0);
    a.m_sum.assign(nm * codes, 0);
    a.m_sq.assign(nm * codes, 0);
    a.span_min.assign(codes, std::numeric_limits<std::int64_t>::max());
    a.span_max.assign(codes, std::numeric_limits<std::int64_t>::min());
    return a;
}

// Per dimension, where its units are counted. Only used dimensions are
// listed, and no field has the counters' type, so the compiler need not
// reload them after each increment.
struct DimTarget {
    std::uint32_t dim, strata;
    bool by_bin;            // slots are bins (and one for no time), not strata
    std::uint64_t* counts;  // (code * strata + slot) * variants + variant
    std::uint64_t* phases;  // code * phases + phase, or null
};

std::vector<DimTarget> dim_targets(const Dataset& ds, const TimeGrid& g, Tally& a)
{
    std::vector<DimTarget> out;
    for (std::size_t d = 0; d < ds.dimensions.size(); ++d) {
        if (ds.dimensions[d].excluded) continue;
        if (!a.seg_bins[d].empty())
            out.push_back({static_cast<std::uint32_t>(d), static_cast<std::uint32_t>(g.n_bins + 1), true, a.seg_bins[d].data(), nullptr});
        else
            out.push_back({static_cast<std::uint32_t>(d), static_cast<std::uint32_t>(g.n_strata[d]), false,
                           g.n_strata[d] > 1 ? a.seg_strata[d].data() : a.seg_counts[d].data(), g.n_phases > 1 ? a.seg_phase[d].data() : nullptr});
    }
    return out;
}

// The bin of a first-exposure time: by multiplication (no division per
// unit), then the rounding corrected at exact bin edges.
[[gnu::always_inline]] inline std::size_t bin_of(std::int64_t ft, std::int64_t bin0_us, std::int64_t bin_us, double inv_bin_us)
{
    const std::int64_t rel = ft - bin0_us;
    auto b = static_cast<std::int64_t>(static_cast<double>(rel) * inv_bin_us);
    if (b * bin_us > rel) --b;
    else if ((b + 1) * bin_us <= rel) ++b;
    return static_cast<std::size_t>(b);
}

// One increment per used dimension: by bin where the dimension is counted
// by bin (its strata, phases and totals are summed from them), by stratum
// where there are strata (the totals are their sums), else the totals; and
// the phase totals.
[[gnu::always_inline]] inline void count_dimensions(const DimTarget* t, const DimTarget* end, const std::uint16_t* codes, std::size_t bin,
                                                    std::size_t stratum, std::size_t phase, std::size_t c, std::size_t nv_codes,
                                                    std::size_t n_phases, std::uint64_t w)
{
    for (; t != end; ++t) {
        const std::size_t code = codes[t->dim];
        if (code == kNoCode) continue;
        const std::size_t slot = t->by_bin ? bin : (t->strata > 1 ? stratum : 0);
        t->counts[(code * t->strata + slot) * nv_codes + c] += w;
        if (t->phases) t->phases[code * n_phases + phase] += w;
    }
}

[[gnu::always_inline]] inline void add_metrics(Tally& a, const double* values, std::size_t nm, std::size_t nv_codes, std::size_t c, std::uint64_t w)
{
    for (std::size_t m = 0; m < nm; ++m) {
        const double v = values[m];
        a.m_n[m * nv_codes + c] += static_cast<double>(w);
        a.m_sum[m * nv_codes + c] += v * static_cast<double>(w);
        a.m_sq[m * nv_codes + c] += v * v * static_cast<double>(w);
    }
}

// The cube's dimensions: fewest values first, while the product of their
// radices stays under kMaxCubeProduct (not the filtered segment's dimension).
std::vector<std::uint32_t> cube_candidates(const Dataset& ds, const DiagnosisOptions& opt)
{
    std::vector<std::uint32_t> order;
    for (std::size_t d = 0; d < ds.dimensions.size(); ++d)
        if (!ds.dimensions[d].excluded && !(opt.segment && opt.segment->first == d)) order.push_back(static_cast<std::uint32_t>(d));
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return ds.dimensions[a].values.size() < ds.dimensions[b].values.size(); });
    return order;
}

// The cube counted with the tally: every value of every dimension, when
// the product of their radices stays under kMaxCubeProduct; else none yet
// (coarse: built after the plan).
Cube cube_shape(const Dataset& ds, const TimeGrid& g, const DiagnosisOptions& opt)
{
    Cube cube;
    cube.codes = ds.variants.size();
    cube.phases = g.n_phases;
    if (!opt.localize) return cube;
    for (const std::uint32_t d : cube_candidates(ds, opt)) {
        const std::uint64_t radix = ds.dimensions[d].values.size() + 1;
        if (cube.product * radix > kMaxCubeProduct) {
            cube = Cube{};
            cube.codes = ds.variants.size();
            cube.phases = g.n_phases;
            cube.coarse = true;
            return cube;
        }
        cube.dims.push_back(d);
        cube.radix.push_back(static_cast<std::uint32_t>(radix));
        cube.stride.push_back(cube.product);
        cube.product *= radix;
    }
    return cube;
}

// One thread's cube: a dense array over every key when the product is
// small, else an open-addressing table of the cells that occur.
class CubeBuilder {
public:
    /// `remap`: per cube dimension, the cube code of each dataset code (the
    /// last entry: a missing value); empty when the codes are the same.
    explicit CubeBuilder(const Cube& shape, const std::vector<std::vector<std::uint32_t>>* remap = nullptr)
        : nd_(shape.dims.size()), codes_(shape.codes), phases_(shape.phases),
          dense_(shape.product <= (1u << 16) && shape.product * shape.codes <= (1u << 18))
    {
        for (std::size_t i = 0; i < nd_; ++i) {
            dims_[i] = shape.dims[i];
            stride_[i] = shape.stride[i];
            missing_[i] = shape.radix[i] - 1;
        }
        remap_ = remap;
        if (dense_) {
            counts_.assign(shape.product * codes_, 0);
            if (phases_ > 1) phase_.assign(shape.product * phases_, 0);
        } else {
            rehash(1024);
        }
    }
    bool active() const { return nd_ > 0; }
    /// The dense cube's key of a unit and its counters, for the tally's
    /// inner loop (raw pointers the compiler need not reload).
    struct DenseView {
        std::size_t nd = 0;
        const std::uint32_t *dims = nullptr, *missing = nullptr;
        const std::uint64_t* stride = nullptr;
        std::uint64_t* counts = nullptr;
    };
    std::optional<DenseView> dense_view()
    {
        if (!active() || !dense_ || phases_ > 1 || remap_) return std::nullopt;
        return DenseView{nd_, dims_, missing_, stride_, counts_.data()};
    }

    [[gnu::always_inline]] void add(const std::uint16_t* row, std::size_t c, std::size_t phase, std::uint64_t w)
    {
        std::uint64_t key = 0;
        if (remap_) {
            for (std::size_t i = 0; i < nd_; ++i) {
                const auto& m = (*remap_)[i];
                const std::uint32_t v = row[dims_[i]];
                key += m[v == kNoCode ? m.size() - 1 : v] * stride_[i];
            }
        } else {
            for (std::size_t i = 0; i < nd_; ++i) {
                const std::uint32_t v = row[dims_[i]];
                key += (v == kNoCode ? missing_[i] : v) * stride_[i];
            }
        }
        add_key(key, c, phase, w);
    }

    void merge(const CubeBuilder& o)
    {
        if (dense_) {
            for (std::size_t x = 0; x < counts_.size(); ++x) counts_[x] += o.counts_[x];
            for (std::size_t x = 0; x < phase_.size(); ++x) phase_[x] += o.phase_[x];
            return;
        }
        for (std::size_t cell = 0; cell < o.keys_.size(); ++cell) {
            const std::size_t to = slot(o.keys_[cell]);
            for (std::size_t c = 0; c < codes_; ++c) counts_[to * codes_ + c] += o.counts_[cell * codes_ + c];
            if (phases_ > 1)
                for (std::size_t p = 0; p < phases_; ++p) phase_[to * phases_ + p] += o.phase_[cell * phases_ + p];
        }
    }

    // The cells that occur, by key.
    void finish(Cube& cube) const
    {
        std::vector<std::pair<std::uint64_t, std::size_t>> order;
        if (dense_) {
            for (std::size_t key = 0; key * codes_ < counts_.size(); ++key)
                for (std::size_t c = 0; c < codes_; ++c)
                    if (counts_[key * codes_ + c]) {
                        order.emplace_back(key, key);
                        break;
                    }
        } else {
            for (std::size_t cell = 0; cell < keys_.size(); ++cell) order.emplace_back(keys_[cell], cell);
            std::sort(order.begin(), order.end());
        }
        cube.keys.resize(order.size());
        cube.counts.resize(order.size() * codes_);
        if (phases_ > 1) cube.phase.resize(order.size() * phases_);
        for (std::size_t i = 0; i < order.size(); ++i) {
            cube.keys[i] = order[i].first;
            std::copy_n(counts_.begin() + static_cast<std::ptrdiff_t>(order[i].second * codes_), codes_,
                        cube.counts.begin() + static_cast<std::ptrdiff_t>(i * codes_));
            if (phases_ > 1)
                std::copy_n(phase_.begin() + static_cast<std::ptrdiff_t>(order[i].second * phases_), phases_,
                            cube.phase.begin() + static_cast<std::ptrdiff_t>(i * phases_));
        }
    }

private:
    static constexpr std::size_t kMaxDims = 24;  // radices of at least 2 under kMaxCubeProduct = 2^22
    [[gnu::always_inline]] void add_key(std::uint64_t key, std::size_t c, std::size_t phase, std::uint64_t w)
    {
        const std::size_t cell = dense_ ? key : slot(key);
        counts_[cell * codes_ + c] += w;
        if (phases_ > 1) phase_[cell * phases_ + phase] += w;
    }
    // The cell of a key, added when new.
    std::size_t slot(std::uint64_t key)
    {
        std::size_t s = static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_);
        while (true) {
            if (slots_[s] == key + 1) return cell_of_[s];
            if (slots_[s] == 0) break;
            s = (s + 1) & (slots_.size() - 1);
        }
        if ((keys_.size() + 1) * 2 > slots_.size()) {
            rehash(slots_.size() * 2);
            return slot(key);
        }
        slots_[s] = key + 1;
        cell_of_[s] = static_cast<std::uint32_t>(keys_.size());
        keys_.push_back(key);
        counts_.resize(counts_.size() + codes_, 0);
        if (phases_ > 1) phase_.resize(phase_.size() + phases_, 0);
        return keys_.size() - 1;
    }
    void rehash(std::size_t capacity)
    {
        slots_.assign(capacity, 0);
        cell_of_.assign(capacity, 0);
        shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(capacity));
        for (std::size_t cell = 0; cell < keys_.size(); ++cell) {
            std::size_t s = static_cast<std::size_t>((keys_[cell] * 0x9E3779B97F4A7C15ULL) >> shift_);
            while (slots_[s] != 0) s = (s + 1) & (capacity - 1);
            slots_[s] = keys_[cell] + 1;
            cell_of_[s] = static_cast<std::uint32_t>(cell);
        }
    }

    std::size_t nd_, codes_, phases_;
    bool dense_;
    std::uint32_t dims_[kMaxDims] = {}, missing_[kMaxDims] = {};
    std::uint64_t stride_[kMaxDims] = {};
    std::vector<std::uint64_t> counts_, phase_;
    std::vector<std::uint64_t> keys_, slots_;  // slots hold key + 1, 0 = empty
    std::vector<std::uint32_t> cell_of_;
    unsigned shift_ = 54;
    const std::vector<std::vector<std::uint32_t>>* remap_ = nullptr;
};

// Which entries count: exposed, first exposed in the window, of the segment.
struct Filter {
    bool windowed, by_segment;
    std::int64_t lo, hi;
    std::size_t seg_dim;
    std::uint16_t seg_code;
    Filter(const Dataset& ds, const DiagnosisOptions& opt)
        : windowed(ds.has_time && (opt.window_start || opt.window_end)), by_segment(opt.segment.has_value()),
          lo(opt.window_start ? *opt.window_start * kUs : std::numeric_limits<std::int64_t>::min()),
          hi(opt.window_end ? *opt.window_end * kUs + (kUs - 1) : std::numeric_limits<std::int64_t>::max()),
          seg_dim(opt.segment ? opt.segment->first : 0), seg_code(opt.segment ? opt.segment->second : 0)
    {
    }
};

// The entries [from, to) into `a`. Raw pointers held in locals: the compiler
// need not reload them after every store into the counters.
void tally_range(const Dataset& ds, const TimeGrid& g, const DiagnosisOptions& opt, std::size_t from, std::size_t to, Tally& a,
                 CubeBuilder& cube)
{
    const bool with_cube = cube.active();
    const auto dense = cube.dense_view();
    const CubeBuilder::DenseView dv = dense.value_or(CubeBuilder::DenseView{});
    const std::size_t nv_codes = ds.variants.size(), nd = ds.dimensions.size(), nm = ds.metrics.size();
    const bool weighted = !ds.weight.empty(), funnel = ds.has_event && !opt.segment;
    const Filter keep(ds, opt);
    const std::int64_t bin0_us = g.bin0 * kUs, bin_us = g.bin_width * kUs;
    const double inv_bin_us = 1.0 / static_cast<double>(bin_us);
    const std::vector<DimTarget> dims = dim_targets(ds, g, a);
    const DimTarget* dt_begin = dims.data();
    const DimTarget* dt_end = dt_begin + dims.size();
    const std::uint8_t* flags_p = ds.flags.data();
    const std::uint8_t* variant_p = ds.variant.data();
    const std::uint8_t* assigned_p = ds.assigned_variant.data();
    const std::int64_t* time_p = ds.first_time.data();
    const std::uint16_t* codes_p = ds.dim_codes.data();
    const std::uint64_t* weight_p = ds.weight.data();
    const double* metric_p = ds.metric_values.data();
    std::uint64_t* counts_p = a.counts.data();
    std::uint64_t* bins_p = a.bins.data();
    std::uint64_t* phase_units_p = a.phase_units.data();
    std::int64_t* smin_p = a.span_min.data();
    std::int64_t* smax_p = a.span_max.data();
    const std::size_t* bin_phase_p = g.bin_phase.data();
    const std::uint32_t* bin_stratum_p = g.bin_stratum.data();
    const std::size_t n_phases = g.n_phases;
    const bool have_span = g.have_span;
    std::uint64_t exposed = 0, jumped = 0, included = 0, disagreed = 0;
    for (std::size_t i = from; i < to; ++i) {
        const std::uint8_t flags = flags_p[i];
        const std::uint64_t w = weighted ? weight_p[i] : 1;
        if (funnel && (flags & kAssigned)) {
            a.funnel_assigned[assigned_p[i]] += w;
            if (flags & kExposed) a.funnel_exposed[assigned_p[i]] += w;
        }
        if (!(flags & kExposed)) continue;
        const std::int64_t ft = time_p[i];
        if (keep.windowed && (ft < keep.lo || ft > keep.hi)) continue;
        const std::uint16_t* codes = codes_p + i * nd;
        if (keep.by_segment && codes[keep.seg_dim] != keep.seg_code) continue;
        const std::size_t c = variant_p[i];
        counts_p[c] += w;
        exposed += w;
        if (flags & kJumped) jumped += w;
        if (flags & kIncluded) included += w;
        if (flags & kDisagreed) disagreed += w;
        std::size_t phase = 0, stratum = 0, bin = g.n_bins;
        if (have_span && ft != kNoTime) {
            const std::size_t bu = bin_of(ft, bin0_us, bin_us, inv_bin_us);
            assert(bu < g.n_bins);
            bin = bu;
            stratum = bin_stratum_p[bu];
            bins_p[bu * nv_codes + c] += w;
            phase = bin_phase_p[bu];
            if (ft < smin_p[c]) smin_p[c] = ft;
            if (ft > smax_p[c]) smax_p[c] = ft;
        }
        phase_units_p[phase] += w;
        count_dimensions(dt_begin, dt_end, codes, bin, stratum, phase, c, nv_codes, n_phases, w);
        if (dense) {
            std::uint64_t key = 0;
            for (std::size_t x = 0; x < dv.nd; ++x) {
                const std::uint32_t v = codes[dv.dims[x]];
                key += (v == kNoCode ? dv.missing[x] : v) * dv.stride[x];
            }
            dv.counts[key * nv_codes + c] += w;
        } else if (with_cube) {
            cube.add(codes, c, phase, w);
        }
        add_metrics(a, metric_p + i * nm, nm, nv_codes, c, w);
    }
    a.exposed = exposed;
    a.jumped = jumped;
    a.included = included;
    a.disagreed = disagreed;
}

void add_into(std::vector<std::uint64_t>& into, const std::vector<std::uint64_t>& from)
{
    for (std::size_t x = 0; x < into.size(); ++x) into[x] += from[x];
}
void add_into(std::vector<double>& into, const std::vector<double>& from)
{
    for (std::size_t x = 0; x < into.size(); ++x) into[x] += from[x];
}

void merge_into(Tally& acc, const Tally& o)
{
    add_into(acc.counts, o.counts);
    add_into(acc.bins, o.bins);
    add_into(acc.phase_units, o.phase_units);
    add_into(acc.funnel_assigned, o.funnel_assigned);
    add_into(acc.funnel_exposed, o.funnel_exposed);
    for (std::size_t d = 0; d < acc.seg_counts.size(); ++d) {
        add_into(acc.seg_counts[d], o.seg_counts[d]);
        add_into(acc.seg_phase[d], o.seg_phase[d]);
        add_into(acc.seg_strata[d], o.seg_strata[d]);
        add_into(acc.seg_bins[d], o.seg_bins[d]);
    }
    add_into(acc.m_n, o.m_n);
    add_into(acc.m_sum, o.m_sum);
    add_into(acc.m_sq, o.m_sq);
    for (std::size_t c = 0; c < acc.span_min.size(); ++c) {
        acc.span_min[c] = std::min(acc.span_min[c], o.span_min[c]);
        acc.span_max[c] = std::max(acc.span_max[c], o.span_max[c]);
    }
    acc.exposed += o.exposed;
    acc.jumped += o.jumped;
    acc.included += o.included;
    acc.disagreed += o.disagreed;
}

}  // namespace

Tally tally_units(const Dataset& ds, const TimeGrid& g, const DiagnosisOptions& opt)
{
    const std::size_t n = ds.size(), codes = ds.variants.size();
    const unsigned n_threads = n > 200000 ? std::max(1u, std::min(8u, std::thread::hardware_concurrency())) : 1u;
    const Cube shape = cube_shape(ds, g, opt);
    std::vector<Tally> parts(n_threads);
    std::vector<std::unique_ptr<CubeBuilder>> cubes(n_threads);
    parallel_for(n_threads, n_threads, [&](std::size_t t) {
        Tally a = empty_tally(ds, g);
        cubes[t] = std::make_unique<CubeBuilder>(shape);
        tally_range(ds, g, opt, n * t / n_threads, n * (t + 1) / n_threads, a, *cubes[t]);
        parts[t] = std::move(a);
    });
    Tally acc = std::move(parts[0]);
    for (std::size_t t = 1; t < parts.size(); ++t) {
        merge_into(acc, parts[t]);
        cubes[0]->merge(*cubes[t]);
    }
    acc.cube = shape;
    if (cubes[0]->active()) cubes[0]->finish(acc.cube);
    // Dimensions counted by bin: their strata, phases and totals (a unit
    // without a time in stratum 0 and phase 0, as the others count it).
    for (std::size_t d = 0; d < ds.dimensions.size(); ++d) {
        if (acc.seg_bins[d].empty()) continue;
        const std::size_t S = g.n_strata[d], slots = g.n_bins + 1;
        for (std::size_t v = 0; v < ds.dimensions[d].values.size(); ++v)
            for (std::size_t b = 0; b < slots; ++b)
                for (std::size_t c = 0; c < codes; ++c) {
                    const std::uint64_t x = acc.seg_bins[d][(v * slots + b) * codes + c];
                    if (x == 0) continue;
                    const bool timed = b < g.n_bins;
                    if (S > 1) acc.seg_strata[d][(v * S + (timed ? g.bin_stratum[b] : 0)) * codes + c] += x;
                    else acc.seg_counts[d][v * codes + c] += x;
                    if (g.n_phases > 1) acc.seg_phase[d][v * g.n_phases + (timed ? g.bin_phase[b] : 0)] += x;
                }
    }
    // Segment totals: the sums of their strata.
    for (std::size_t d = 0; d < ds.dimensions.size(); ++d) {
        const std::size_t S = g.n_strata[d];
        if (S <= 1) continue;
        for (std::size_t v = 0; v < ds.dimensions[d].values.size(); ++v)
            for (std::size_t st = 0; st < S; ++st)
                for (std::size_t c = 0; c < codes; ++c) acc.seg_counts[d][v * codes + c] += acc.seg_strata[d][(v * S + st) * codes + c];
    }
    // One phase: a segment's phase total is its unit count.
    if (g.n_phases == 1)
        for (std::size_t d = 0; d < ds.dimensions.size(); ++d)
            for (std::size_t v = 0; v < ds.dimensions[d].values.size(); ++v)
                for (std::size_t c = 0; c < codes; ++c) acc.seg_phase[d][v] += acc.seg_counts[d][v * codes + c];
    return acc;
}

Cube build_coarse_cube(const Dataset& ds, const TimeGrid& g, const DiagnosisOptions& opt, const std::vector<std::vector<double>>& gain)
{
    Cube cube;
    cube.codes = ds.variants.size();
    cube.phases = g.n_phases;
    cube.coarse = true;
    const auto order = cube_candidates(ds, opt);
    // Whole dimensions while they fit, then an equal share of what is left
    // for each of the others: its most deviating values, the rest pooled.
    std::vector<std::vector<std::uint32_t>> remap;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const std::uint32_t d = order[i];
        const std::size_t values = ds.dimensions[d].values.size();
        const double room = static_cast<double>(kMaxCubeProduct) / static_cast<double>(cube.product);
        const auto share = static_cast<std::size_t>(std::floor(std::pow(room, 1.0 / static_cast<double>(order.size() - i))));
        const std::size_t kept = std::min(values, share >= 2 ? share - 1 : 0);  // kept values + one for the pool and missing values
        if (kept < 2) {
            cube.left_out.push_back(d);
            continue;
        }
        std::vector<std::uint16_t> by_gain(values);
        std::iota(by_gain.begin(), by_gain.end(), std::uint16_t{0});
        std::stable_sort(by_gain.begin(), by_gain.end(), [&](std::uint16_t a, std::uint16_t b) { return gain[d][a] > gain[d][b]; });
        by_gain.resize(kept);
        std::sort(by_gain.begin(), by_gain.end());
        std::vector<std::uint32_t> m(values + 1, static_cast<std::uint32_t>(kept));  // pooled: code `kept`, like a missing value
        for (std::size_t x = 0; x < kept; ++x) m[by_gain[x]] = static_cast<std::uint32_t>(x);
        remap.push_back(std::move(m));
        cube.value_of.push_back(kept == values ? std::vector<std::uint16_t>{} : by_gain);
        cube.dims.push_back(d);
        cube.radix.push_back(static_cast<std::uint32_t>(kept + 1));
        cube.stride.push_back(cube.product);
        cube.product *= kept + 1;
    }
    std::sort(cube.left_out.begin(), cube.left_out.end());
    if (cube.dims.empty()) return cube;
    const std::size_t n = ds.size();
    const unsigned n_threads = n > 200000 ? std::max(1u, std::min(8u, std::thread::hardware_concurrency())) : 1u;
    std::vector<std::unique_ptr<CubeBuilder>> cubes(n_threads);
    parallel_for(n_threads, n_threads, [&](std::size_t t) {
        auto builder = std::make_unique<CubeBuilder>(cube, &remap);
        const Filter keep(ds, opt);
        const std::int64_t bin0_us = g.bin0 * kUs, bin_us = g.bin_width * kUs;
        const double inv_bin_us = 1.0 / static_cast<double>(bin_us);
        const std::size_t nd = ds.dimensions.size();
        for (std::size_t i = n * t / n_threads, end = n * (t + 1) / n_threads; i < end; ++i) {
            if (!(ds.flags[i] & kExposed)) continue;
            const std::int64_t ft = ds.first_time[i];
            if (keep.windowed && (ft < keep.lo || ft > keep.hi)) continue;
            const std::uint16_t* codes = ds.dim_codes.data() + i * nd;
            if (keep.by_segment && codes[keep.seg_dim] != keep.seg_code) continue;
            const std::size_t phase = g.have_span && ft != kNoTime ? g.bin_phase[bin_of(ft, bin0_us, bin_us, inv_bin_us)] : 0;
            builder->add(codes, ds.variant[i], phase, ds.weight_of(i));
        }
        cubes[t] = std::move(builder);
    });
    for (std::size_t t = 1; t < n_threads; ++t) cubes[0]->merge(*cubes[t]);
    cubes[0]->finish(cube);
    return cube;
}

std::vector<std::vector<std::uint64_t>> pattern_bins(const Dataset& ds, const TimeGrid& g, const Plan& plan, const DiagnosisOptions& opt,
                                                     const std::vector<Pattern>& patterns)
{
    const std::size_t n = ds.size(), k = plan.k(), nd = ds.dimensions.size(), np = patterns.size();
    const std::size_t cells = g.n_bins * k;
    if (!g.have_span || np == 0) return std::vector<std::vector<std::uint64_t>>(np, std::vector<std::uint64_t>(cells, 0));
    const unsigned n_threads = n > 200000 ? std::max(1u, std::min(8u, std::thread::hardware_concurrency())) : 1u;
    // Per dimension a pattern names: for each of its codes (the last entry:
    // a missing value) the patterns it satisfies, one bit each.
    if (np > 64) throw std::logic_error("pattern_bins takes at most 64 patterns");
    const std::uint64_t all = np == 64 ? ~0ULL : (1ULL << np) - 1;
    std::vector<std::pair<std::size_t, std::vector<std::uint64_t>>> masks;
    for (std::size_t p = 0; p < np; ++p)
        for (const auto& [d, code] : patterns[p]) {
            auto it = std::find_if(masks.begin(), masks.end(), [&, dim = d](const auto& m) { return m.first == dim; });
            if (it == masks.end()) it = masks.insert(masks.end(), {d, std::vector<std::uint64_t>(ds.dimensions[d].values.size() + 1, all)});
            for (std::size_t v = 0; v < it->second.size(); ++v)
                if (v != code) it->second[v] &= ~(1ULL << p);
        }
    std::vector<std::vector<std::uint64_t>> parts(n_threads);
    parallel_for(n_threads, n_threads, [&](std::size_t t) {
        std::vector<std::uint64_t> bins(np * cells, 0);
        const Filter keep(ds, opt);
        const std::int64_t bin0_us = g.bin0 * kUs, bin_us = g.bin_width * kUs;
        const double inv_bin_us = 1.0 / static_cast<double>(bin_us);
        const std::uint16_t* codes_p = ds.dim_codes.data();
        for (std::size_t i = n * t / n_threads, end = n * (t + 1) / n_threads; i < end; ++i) {
            // The dimension codes first: most units match no pattern and
            // need nothing else read.
            const std::uint16_t* codes = codes_p + i * nd;
            std::uint64_t match = all;
            for (const auto& [d, table] : masks) match &= table[codes[d] == kNoCode ? table.size() - 1 : codes[d]];
            if (!match || !(ds.flags[i] & kExposed)) continue;
            const auto p = static_cast<std::size_t>(__builtin_ctzll(match));  // the first pattern that matches
            const std::int64_t ft = ds.first_time[i];
            if (ft == kNoTime || (keep.windowed && (ft < keep.lo || ft > keep.hi))) continue;
            if (keep.by_segment && codes[keep.seg_dim] != keep.seg_code) continue;
            const int j = plan.j_of_code[ds.variant[i]];
            if (j < 0) continue;
            bins[p * cells + bin_of(ft, bin0_us, bin_us, inv_bin_us) * k + static_cast<std::size_t>(j)] += ds.weight_of(i);
        }
        parts[t] = std::move(bins);
    });
    for (std::size_t t = 1; t < n_threads; ++t) add_into(parts[0], parts[t]);
    std::vector<std::vector<std::uint64_t>> out(np);
    for (std::size_t p = 0; p < np; ++p)
        out[p].assign(parts[0].begin() + static_cast<std::ptrdiff_t>(p * cells), parts[0].begin() + static_cast<std::ptrdiff_t>((p + 1) * cells));
    return out;
}

Counts count_by_variant(const Dataset& ds, const Tally& tally, const Plan& plan, const TimeGrid& g)
{
    const std::size_t k = plan.k(), codes = ds.variants.size(), nd = ds.dimensions.size(), nm = ds.metrics.size();
    Counts out;
    out.units.assign(k, 0);
    out.bins.assign(g.n_bins * k, 0);
    out.segments.resize(nd);
    out.segment_bins.resize(nd);
    for (std::size_t d = 0; d < nd; ++d) {
        out.segments[d].assign(ds.dimensions[d].values.size() * k, 0);
        if (!tally.seg_bins[d].empty()) out.segment_bins[d].assign(ds.dimensions[d].values.size() * g.n_bins * k, 0);
    }
    out.m_n.assign(nm * k, 0);
    out.m_sum.assign(nm * k, 0);
    out.m_sq.assign(nm * k, 0);
    for (std::size_t c = 0; c < codes; ++c) {
        if (plan.j_of_code[c] < 0) continue;
        const auto j = static_cast<std::size_t>(plan.j_of_code[c]);
        out.units[j] += tally.counts[c];
        for (std::size_t b = 0; b < g.n_bins; ++b) out.bins[b * k + j] += tally.bins[b * codes + c];
        for (std::size_t d = 0; d < nd; ++d)
            for (std::size_t v = 0; v < ds.dimensions[d].values.size(); ++v)
                out.segments[d][v * k + j] += tally.seg_counts[d][v * codes + c];
        for (std::size_t d = 0; d < nd; ++d) {
            if (out.segment_bins[d].empty()) continue;
            const std::size_t slots = g.n_bins + 1;
            for (std::size_t v = 0; v < ds.dimensions[d].values.size(); ++v)
                for (std::size_t b = 0; b < g.n_bins; ++b)
                    out.segment_bins[d][(v * g.n_bins + b) * k + j] += tally.seg_bins[d][(v * slots + b) * codes + c];
        }
        for (std::size_t m = 0; m < nm; ++m) {
            out.m_n[m * k + j] += tally.m_n[m * codes + c];
            out.m_sum[m * k + j] += tally.m_sum[m * codes + c];
            out.m_sq[m * k + j] += tally.m_sq[m * codes + c];
        }
    }
    return out;
}

}  // namespace srm::detail
