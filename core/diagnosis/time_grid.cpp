// The time grid of a diagnosis: hourly bins of first exposure (daily for
// tests over two years and for dates without a time of day), the allocation phase of each bin, and the time
// strata of Step 4's independence test.
#include "steps_internal.hpp"

#include "srm/timeutil.hpp"

#include <algorithm>

namespace srm::detail {

TimeGrid make_time_grid(const Dataset& ds, const DiagnosisOptions& opt)
{
    TimeGrid g;
    for (const auto& p : opt.allocation) g.phase_start.push_back(p.start);
    if (g.phase_start.empty()) g.phase_start.push_back(std::numeric_limits<std::int64_t>::min());
    g.n_phases = g.phase_start.size();
    g.have_span = ds.has_time && ds.min_time != kNoTime;
    const std::int64_t tmin = ds.min_time, tmax = ds.max_time;
    g.span_us = g.have_span ? tmax - tmin : 0;
    // Daily bins for tests over two years, and for data whose every time is
    // a midnight (dates without a time of day, a warehouse's day buckets):
    // there an hour says nothing, and a day's point belongs at the day's end.
    bool midnights = g.have_span;
    for (std::size_t i = 0; midnights && i < ds.size(); ++i)
        midnights = ds.first_time[i] == kNoTime || ds.first_time[i] % (86400 * kUs) == 0;
    g.bin_width = g.have_span && ((tmax - tmin) / kUs > 2LL * 366 * 86400 || midnights) ? 86400 : 3600;
    if (g.have_span) {
        const std::int64_t s = to_seconds(tmin);
        g.bin0 = (s >= 0 ? s / g.bin_width : (s - g.bin_width + 1) / g.bin_width) * g.bin_width;
        g.n_bins = static_cast<std::size_t>((to_seconds(tmax) - g.bin0) / g.bin_width + 1);
    }
    auto phase_of = [&](std::int64_t t_sec) {
        std::size_t p = 0;
        while (p + 1 < g.n_phases && g.phase_start[p + 1] <= t_sec) ++p;
        return p;
    };
    g.bin_phase.assign(g.n_bins, 0);
    for (std::size_t b = 0; b < g.n_bins; ++b) g.bin_phase[b] = phase_of(g.bin0 + static_cast<std::int64_t>(b) * g.bin_width);

    // Strata: days (weeks for tests over 120 days), so that a dimension whose
    // mix changes over time (an app version rolling out) is not mistaken for
    // where an imbalance concentrates when the split itself changes over time.
    const std::int64_t stratum_width = g.have_span && (tmax - tmin) / kUs > 120LL * 86400 ? 7 * 86400 : 86400;
    const std::size_t bins_per_stratum = static_cast<std::size_t>(std::max<std::int64_t>(1, stratum_width / g.bin_width));
    const std::size_t n_strata_all = g.n_bins ? (g.n_bins + bins_per_stratum - 1) / bins_per_stratum : 1;
    g.bin_stratum.resize(g.n_bins);
    for (std::size_t b = 0; b < g.n_bins; ++b) g.bin_stratum[b] = static_cast<std::uint32_t>(b / bins_per_stratum);
    // A dimension is stratified only while its table stays small.
    g.n_strata.assign(ds.dimensions.size(), 1);
    for (std::size_t d = 0; d < ds.dimensions.size(); ++d)
        if (ds.dimensions[d].values.size() * n_strata_all * ds.variants.size() <= (std::size_t(1) << 22)) g.n_strata[d] = n_strata_all;
    return g;
}

}  // namespace srm::detail
