// Tallying the units: one pass over the dataset on all cores, counting by
// the dataset's variant codes (the window and segment filters applied), then
// the tally regrouped by the report's variants.
#include "steps_internal.hpp"

#include "srm/parallel.hpp"

#include <algorithm>
#include <cassert>
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
    for (std::size_t d = 0; d < nd; ++d) {
        if (g.n_strata[d] > 1) a.seg_strata[d].assign(ds.dimensions[d].values.size() * g.n_strata[d] * codes, 0);
        a.seg_counts[d].assign(ds.dimensions[d].values.size() * codes, 0);
        a.seg_phase[d].assign(ds.dimensions[d].values.size() * g.n_phases, 0);
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
    std::uint64_t* counts;  // (code * strata + stratum) * variants + variant
    std::uint64_t* phases;  // code * phases + phase, or null
};

std::vector<DimTarget> dim_targets(const Dataset& ds, const TimeGrid& g, Tally& a)
{
    std::vector<DimTarget> out;
    for (std::size_t d = 0; d < ds.dimensions.size(); ++d) {
        if (ds.dimensions[d].excluded) continue;
        out.push_back({static_cast<std::uint32_t>(d), static_cast<std::uint32_t>(g.n_strata[d]),
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

// One increment per used dimension: by stratum where there are strata (the
// segment totals are their sums), else the totals; and the phase totals.
[[gnu::always_inline]] inline void count_dimensions(const DimTarget* t, const DimTarget* end, const std::uint16_t* codes, std::size_t stratum,
                                                    std::size_t phase, std::size_t c, std::size_t nv_codes, std::size_t n_phases, std::uint64_t w)
{
    for (; t != end; ++t) {
        const std::size_t code = codes[t->dim];
        if (code == kNoCode) continue;
        t->counts[(code * t->strata + (t->strata > 1 ? stratum : 0)) * nv_codes + c] += w;
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
void tally_range(const Dataset& ds, const TimeGrid& g, const DiagnosisOptions& opt, std::size_t from, std::size_t to, Tally& a)
{
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
        std::size_t phase = 0, stratum = 0;
        if (have_span && ft != kNoTime) {
            const std::size_t bu = bin_of(ft, bin0_us, bin_us, inv_bin_us);
            assert(bu < g.n_bins);
            stratum = bin_stratum_p[bu];
            bins_p[bu * nv_codes + c] += w;
            phase = bin_phase_p[bu];
            if (ft < smin_p[c]) smin_p[c] = ft;
            if (ft > smax_p[c]) smax_p[c] = ft;
        }
        phase_units_p[phase] += w;
        count_dimensions(dt_begin, dt_end, codes, stratum, phase, c, nv_codes, n_phases, w);
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
    std::vector<Tally> parts(n_threads);
    parallel_for(n_threads, n_threads, [&](std::size_t t) {
        Tally a = empty_tally(ds, g);
        tally_range(ds, g, opt, n * t / n_threads, n * (t + 1) / n_threads, a);
        parts[t] = std::move(a);
    });
    Tally acc = std::move(parts[0]);
    for (std::size_t t = 1; t < parts.size(); ++t) merge_into(acc, parts[t]);
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

Counts count_by_variant(const Dataset& ds, const Tally& tally, const Plan& plan, const TimeGrid& g)
{
    const std::size_t k = plan.k(), codes = ds.variants.size(), nd = ds.dimensions.size(), nm = ds.metrics.size();
    Counts out;
    out.units.assign(k, 0);
    out.bins.assign(g.n_bins * k, 0);
    out.segments.resize(nd);
    for (std::size_t d = 0; d < nd; ++d) out.segments[d].assign(ds.dimensions[d].values.size() * k, 0);
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
        for (std::size_t m = 0; m < nm; ++m) {
            out.m_n[m * k + j] += tally.m_n[m * codes + c];
            out.m_sum[m * k + j] += tally.m_sum[m * codes + c];
            out.m_sq[m * k + j] += tally.m_sq[m * codes + c];
        }
    }
    return out;
}

}  // namespace srm::detail
