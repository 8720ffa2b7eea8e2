// Step 4: the breakdown by dimension. Per dimension and value: units per
// variant, a chi-square test against the plan (each phase's units x its
// shares), the p-value adjusted by Holm across all segments of all
// dimensions, severity (too_small under the minimum), and the segment's share
// of the dimension's absolute excess units. Per dimension a chi-square test
// of independence within each time stratum, summed over the strata, tells
// whether the split differs across its values. The ranked segments are those
// at warn or severe after adjustment, most significant first. Where the
// dimension was counted by bin, each segment carries its timeline and the
// rest's on the report's points.
#include "steps_internal.hpp"

#include "srm/inference.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace srm::detail {

namespace {

// The test of one segment against its phased expectation.
SegmentResult test_segment(const std::string& value, const std::uint64_t* counts, const std::uint64_t* phase_units, const Plan& plan,
                           std::size_t n_phases, const SrmOptions& options, double& abs_excess)
{
    const std::size_t k = plan.k();
    SegmentResult sr;
    sr.value = value;
    sr.counts.assign(counts, counts + k);
    sr.units = std::accumulate(sr.counts.begin(), sr.counts.end(), std::uint64_t{0});
    std::vector<double> expect(k, 0.0);
    for (std::size_t p = 0; p < n_phases; ++p)
        for (std::size_t j = 0; j < k; ++j) expect[j] += static_cast<double>(phase_units[p]) * plan.phase_share[p][j];
    double excess = 0;
    const double units = static_cast<double>(sr.units);
    const double exp_total = std::accumulate(expect.begin(), expect.end(), 0.0);
    for (std::size_t j = 0; j < k; ++j) {
        const double e = exp_total > 0 ? expect[j] / exp_total * units : 0.0;
        excess += std::fabs(static_cast<double>(sr.counts[j]) - e);
        sr.max_deviation_pp = std::max(sr.max_deviation_pp, std::fabs(static_cast<double>(sr.counts[j]) / units -
                                                                      (exp_total > 0 ? expect[j] / exp_total : 0.0)) * 100.0);
    }
    try {
        std::vector<VariantInput> in;
        for (std::size_t j = 0; j < k; ++j) in.push_back({plan.names[j], sr.counts[j], expect[j]});
        const auto r = test_srm(in, options);
        sr.p_value = r.p_value;
        sr.log10_p_value = r.log10_p_value;
    } catch (const InputError&) {
    }
    abs_excess = excess;
    return sr;
}

// The segment's timeline and the rest's (every other unit), from the
// segment's units by bin ([bin * k + j]).
void segment_timelines(const Counts& counts, const Plan& plan, const TimeGrid& grid, const SrmOptions& options, const std::uint64_t* bins,
                       SegmentResult& sr)
{
    timeline_points(bins, plan, grid, nullptr, options, sr.timeline);
    std::vector<std::uint64_t> rest(counts.bins.size());
    for (std::size_t x = 0; x < rest.size(); ++x) rest[x] = counts.bins[x] - bins[x];
    timeline_points(rest.data(), plan, grid, nullptr, options, sr.rest_timeline);
    sr.timeline.variants = sr.rest_timeline.variants = plan.names;
    sr.timeline.expected_share = sr.rest_timeline.expected_share = plan.phase_share.back();
}

// Does the split differ across the dimension's values? A chi-square test of
// independence within each time stratum, summed over the strata (each
// stratum's table has its own margins).
void independence_test(const Dataset& ds, const Tally& tally, const Plan& plan, const TimeGrid& grid, std::size_t d, DimensionResult& dr)
{
    const std::size_t S = grid.n_strata[d], nv = ds.dimensions[d].values.size(), k = plan.k(), codes = ds.variants.size();
    ChiSquareStatistic chi;
    std::vector<double> table(nv * k);
    for (std::size_t st = 0; st < S; ++st) {
        std::fill(table.begin(), table.end(), 0.0);
        for (std::size_t v = 0; v < nv; ++v)
            for (std::size_t c = 0; c < codes; ++c) {
                if (plan.j_of_code[c] < 0) continue;
                const double x = S > 1 ? static_cast<double>(tally.seg_strata[d][(v * S + st) * codes + c])
                                       : static_cast<double>(tally.seg_counts[d][v * codes + c]);
                table[v * k + static_cast<std::size_t>(plan.j_of_code[c])] += x;
            }
        add_independence_statistic(table, nv, k, chi);
    }
    if (chi.df > 0) {
        dr.log10_p_value = chi_square_log10_sf(chi.statistic, chi.df);
        dr.p_value = std::pow(10.0, dr.log10_p_value);
    }
}

// Holm across all segments of all dimensions, severities and the ranking.
std::vector<RankedSegment> adjust_and_rank(std::vector<DimensionResult>& dims, const DiagnosisOptions& opt)
{
    std::vector<std::pair<std::size_t, std::size_t>> seg_index;  // (dimension result, segment)
    std::vector<double> seg_log10;
    for (std::size_t d = 0; d < dims.size(); ++d)
        for (std::size_t s = 0; s < dims[d].segments.size(); ++s) {
            seg_index.emplace_back(d, s);
            seg_log10.push_back(dims[d].segments[s].log10_p_value);
        }
    const auto seg_adj = holm_log10(seg_log10);
    std::vector<RankedSegment> ranked;
    for (std::size_t i = 0; i < seg_index.size(); ++i) {
        auto& dr = dims[seg_index[i].first];
        auto& sr = dr.segments[seg_index[i].second];
        sr.log10_adjusted_p_value = seg_adj[i];
        sr.adjusted_p_value = std::pow(10.0, seg_adj[i]);
        if (sr.units < opt.min_segment_units) sr.severity = SegmentSeverity::TooSmall;
        else sr.severity = segment_severity(classify_log10(seg_adj[i], opt.srm.thresholds));
        if (sr.severity == SegmentSeverity::Warn || sr.severity == SegmentSeverity::Severe)
            ranked.push_back({dr.name, sr.value, sr.adjusted_p_value, sr.log10_adjusted_p_value, sr.share_of_imbalance});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        if (a.log10_adjusted_p_value != b.log10_adjusted_p_value) return a.log10_adjusted_p_value < b.log10_adjusted_p_value;
        return a.share_of_imbalance > b.share_of_imbalance;
    });
    if (ranked.size() > 20) ranked.resize(20);
    return ranked;
}

}  // namespace

Step4 step4_dimensions(const Dataset& ds, const Tally& tally, const Counts& counts, const Plan& plan, const TimeGrid& grid,
                       const DiagnosisOptions& opt)
{
    Step4 out;
    const std::size_t k = plan.k();
    SrmOptions seg_options = opt.srm;
    seg_options.exact_below_expected = 0;  // segments: chi-square; small ones are marked too_small
    for (std::size_t d = 0; d < ds.dimensions.size(); ++d) {
        if (ds.dimensions[d].excluded || (opt.segment && opt.segment->first == d)) continue;
        DimensionResult dr;
        dr.name = ds.dimensions[d].name;
        dr.timelines = grid.n_bins > 0 && !counts.segment_bins[d].empty();
        double abs_total = 0;
        std::vector<double> abs_excess;
        for (std::size_t v = 0; v < ds.dimensions[d].values.size(); ++v) {
            const std::uint64_t* c = counts.segments[d].data() + v * k;
            if (std::accumulate(c, c + k, std::uint64_t{0}) == 0) continue;
            double excess = 0;
            dr.segments.push_back(test_segment(ds.dimensions[d].values[v], c, tally.seg_phase[d].data() + v * grid.n_phases, plan,
                                               grid.n_phases, seg_options, excess));
            if (dr.timelines) segment_timelines(counts, plan, grid, opt.srm, counts.segment_bins[d].data() + v * grid.n_bins * k, dr.segments.back());
            abs_excess.push_back(excess);
            abs_total += excess;
        }
        for (std::size_t s = 0; s < dr.segments.size(); ++s)
            dr.segments[s].share_of_imbalance = abs_total > 0 ? abs_excess[s] / abs_total : 0.0;
        independence_test(ds, tally, plan, grid, d, dr);
        std::sort(dr.segments.begin(), dr.segments.end(), [](const auto& a, const auto& b) { return a.units > b.units; });
        out.dimensions.push_back(std::move(dr));
    }
    out.ranked = adjust_and_rank(out.dimensions, opt);
    return out;
}

}  // namespace srm::detail
