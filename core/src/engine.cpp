// The diagnosis engine: Step 1 (time pattern, sequential test), Step 2
// (group metrics), Step 3 (changes near the break), Step 4 (dimensions).
//
// Time pattern. Units are binned by the hour of their first exposure. Within
// a bin the planned shares are theta_bj (from the allocation phase); the
// observed counts n_bj follow a multinomial whose shares are the plan tilted
// by a deviation eta_bj: p_bj ~ theta_bj * exp(eta_bj) (eta = 0 for the first
// variant). Four models of eta are fitted by maximum likelihood:
//   none       eta = 0                                    (0 parameters)
//   from_start eta_j constant                             (k-1)
//   at_point   eta = 0 before tau, eta_j constant after   (k-1, plus tau, searched)
//   gradual    eta_j = c_j * t, t from 0 at the start to 1 (k-1)
// and the one with the lowest BIC (-2 log L + parameters * ln N) is the time
// pattern; at_point reports tau as the change point.
//
// Sequential test. Lindon & Malek's Dirichlet-multinomial mixture: with a
// Dirichlet(c * theta) prior the Bayes factor against the plan is
//   BF_n = G(c) / G(c + n) * prod_j G(c theta_j + x_j) / G(c theta_j) / prod_j theta_j^x_j
// a nonnegative martingale under the plan, so p_n = min(1, min_m 1 / BF_m) is
// an anytime-valid p-value (Ville). It is evaluated at the end of each hour;
// with an allocation history the mixture restarts at each phase and the
// phases' Bayes factors multiply.
#include "srm/diagnosis.hpp"

#include "logit.hpp"
#include "parallel.hpp"
#include "srm/analysis.hpp"
#include "srm/csv.hpp"
#include "srm/timeparse.hpp"
#include "srm/timeutil.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

namespace srm {

namespace {

using detail::Group;
using detail::fit_offset_logit;

constexpr double kLn10 = 2.302585092994045684;
constexpr std::int64_t kUs = 1000000;

std::string lower(std::string s)
{
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string fmt(double v, int decimals)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

double lgamma_d(double x) { return std::lgamma(x); }

std::vector<VariantInput> inputs_with(const std::vector<std::string>& names, const std::vector<std::uint64_t>& counts,
                                      const std::vector<double>& weights)
{
    std::vector<VariantInput> in;
    for (std::size_t j = 0; j < names.size(); ++j) in.push_back({names[j], counts[j], weights[j]});
    return in;
}

double normal_two_sided_p(double z)
{
    return std::erfc(std::fabs(z) / std::sqrt(2.0));
}

}  // namespace

std::vector<double> holm_log10(const std::vector<double>& log10_p)
{
    const std::size_t m = log10_p.size();
    std::vector<std::size_t> order(m);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return log10_p[a] < log10_p[b]; });
    std::vector<double> adjusted(m);
    double running = -std::numeric_limits<double>::infinity();
    for (std::size_t r = 0; r < m; ++r) {
        const std::size_t i = order[r];
        const double adj = std::min(0.0, log10_p[i] + std::log10(static_cast<double>(m - r)));
        running = std::max(running, adj);
        adjusted[i] = running;
    }
    return adjusted;
}

Report diagnose_dataset(const Dataset& ds, const DiagnosisOptions& opt)
{
    Report report;
    report.tool_version = SRM_VERSION;
    report.options = opt.srm;
    report.input = summarise_input(ds);
    report.near_change_hours = opt.near_change_hours;
    report.min_segment_units = opt.min_segment_units;
    const std::size_t n_entries = ds.size();
    const bool has_time = ds.has_time;
    auto secs = [](std::int64_t us) { return to_seconds(us); };

    // --- Variants, plan and phases --------------------------------------
    std::vector<std::string> names;
    std::vector<std::int64_t> phase_start;  // seconds
    std::vector<std::vector<std::pair<std::string, double>>> phase_weights;
    if (!opt.allocation.empty()) {
        for (const auto& p : opt.allocation) {
            phase_start.push_back(p.start);
            phase_weights.push_back(p.weights);
        }
    }
    // Traffic span (all exposed units), bins and phases.
    const bool have_span = has_time && ds.min_time != kNoTime;
    const std::int64_t tmin = ds.min_time, tmax = ds.max_time;
    if (have_span) {
        report.window.traffic_start = secs(tmin);
        report.window.traffic_end = secs(tmax);
        report.timeline.traffic_start = secs(tmin);
        report.timeline.traffic_end = secs(tmax);
    }
    report.window.start = opt.window_start;
    report.window.end = opt.window_end;
    if (phase_start.empty()) phase_start.push_back(std::numeric_limits<std::int64_t>::min());
    const std::size_t n_phases = phase_start.size();
    auto phase_of = [&](std::int64_t t_sec) {
        std::size_t p = 0;
        while (p + 1 < n_phases && phase_start[p + 1] <= t_sec) ++p;
        return p;
    };
    const std::size_t nd = ds.dimensions.size(), nm = ds.metrics.size();
    const std::int64_t bin_width = have_span && (tmax - tmin) / kUs > 2LL * 366 * 86400 ? 86400 : 3600;
    const std::int64_t bin0 = have_span ? (secs(tmin) >= 0 ? secs(tmin) / bin_width : (secs(tmin) - bin_width + 1) / bin_width) * bin_width : 0;
    const std::size_t n_bins = have_span ? static_cast<std::size_t>((secs(tmax) - bin0) / bin_width + 1) : 0;
    std::vector<std::size_t> bin_phase(n_bins, 0);
    for (std::size_t b = 0; b < n_bins; ++b) bin_phase[b] = phase_of(bin0 + static_cast<std::int64_t>(b) * bin_width);

    // Time strata for the per-dimension independence test: days (weeks for
    // tests over 120 days), so that a dimension whose mix changes over time
    // (an app version rolling out) is not mistaken for where an imbalance
    // concentrates when the split itself changes over time.
    const std::size_t nv_codes = ds.variants.size();
    const std::int64_t stratum_width = have_span && (tmax - tmin) / kUs > 120LL * 86400 ? 7 * 86400 : 86400;
    const std::size_t bins_per_stratum = static_cast<std::size_t>(std::max<std::int64_t>(1, stratum_width / bin_width));
    const std::size_t n_strata_all = n_bins ? (n_bins + bins_per_stratum - 1) / bins_per_stratum : 1;
    std::vector<std::uint32_t> bin_stratum(n_bins);
    for (std::size_t b = 0; b < n_bins; ++b) bin_stratum[b] = static_cast<std::uint32_t>(b / bins_per_stratum);
    std::vector<std::size_t> n_strata(nd, 1);
    for (std::size_t d = 0; d < nd; ++d)
        if (ds.dimensions[d].values.size() * n_strata_all * nv_codes <= (std::size_t(1) << 22)) n_strata[d] = n_strata_all;

    // --- One pass over the units, by variant code, on all cores ---------
    struct Acc {
        std::vector<std::uint64_t> counts, bins, phase_units, funnel_assigned, funnel_exposed;
        std::vector<std::vector<std::uint64_t>> seg_counts, seg_phase, seg_strata;
        std::vector<double> m_n, m_sum, m_sq;
        std::vector<std::int64_t> span_min, span_max;
        std::uint64_t exposed = 0, jumped = 0, included = 0;
    };
    auto make_acc = [&] {
        Acc a;
        a.counts.assign(nv_codes, 0);
        a.bins.assign(n_bins * nv_codes, 0);
        a.phase_units.assign(n_phases, 0);
        a.funnel_assigned.assign(nv_codes, 0);
        a.funnel_exposed.assign(nv_codes, 0);
        a.seg_counts.resize(nd);
        a.seg_phase.resize(nd);
        a.seg_strata.resize(nd);
        for (std::size_t d = 0; d < nd; ++d) {
            if (n_strata[d] > 1) a.seg_strata[d].assign(ds.dimensions[d].values.size() * n_strata[d] * nv_codes, 0);
            a.seg_counts[d].assign(ds.dimensions[d].values.size() * nv_codes, 0);
            a.seg_phase[d].assign(ds.dimensions[d].values.size() * n_phases, 0);
        }
        a.m_n.assign(nm * nv_codes, 0);
        a.m_sum.assign(nm * nv_codes, 0);
        a.m_sq.assign(nm * nv_codes, 0);
        a.span_min.assign(nv_codes, std::numeric_limits<std::int64_t>::max());
        a.span_max.assign(nv_codes, std::numeric_limits<std::int64_t>::min());
        return a;
    };
    const unsigned n_threads = n_entries > 200000 ? std::max(1u, std::min(8u, std::thread::hardware_concurrency())) : 1u;
    std::vector<Acc> accs(n_threads);
    std::vector<char> dim_used(nd);
    for (std::size_t d = 0; d < nd; ++d) dim_used[d] = !ds.dimensions[d].excluded;
    const bool windowed = has_time && (opt.window_start || opt.window_end);
    const std::int64_t w_lo = opt.window_start ? *opt.window_start * kUs : std::numeric_limits<std::int64_t>::min();
    const std::int64_t w_hi = opt.window_end ? *opt.window_end * kUs + (kUs - 1) : std::numeric_limits<std::int64_t>::max();
    const std::int64_t bin0_us = bin0 * kUs, bin_us = bin_width * kUs;
    const double inv_bin_us = 1.0 / static_cast<double>(bin_us);
    detail::parallel_for(n_threads, n_threads, [&](std::size_t t) {
        Acc a = make_acc();
        const std::size_t from = n_entries * t / n_threads, to = n_entries * (t + 1) / n_threads;
        const bool weighted = !ds.weight.empty(), funnel = ds.has_event && !opt.segment;
        const std::size_t seg_dim = opt.segment ? opt.segment->first : 0;
        const std::uint16_t seg_code = opt.segment ? opt.segment->second : 0;
        const bool by_segment = opt.segment.has_value();
        // Per dimension, where its units are counted. Only used dimensions
        // are listed, and no field has the counters' type, so the compiler
        // need not reload them after each increment.
        struct DimTarget {
            std::uint32_t dim, strata;
            std::uint64_t* counts;  // (code * strata + stratum) * variants + variant
            std::uint64_t* phases;  // code * phases + phase, or null
        };
        std::vector<DimTarget> dims_used;
        for (std::size_t d = 0; d < nd; ++d) {
            if (!dim_used[d]) continue;
            dims_used.push_back({static_cast<std::uint32_t>(d), static_cast<std::uint32_t>(n_strata[d]),
                                 n_strata[d] > 1 ? a.seg_strata[d].data() : a.seg_counts[d].data(),
                                 n_phases > 1 ? a.seg_phase[d].data() : nullptr});
        }
        const DimTarget* dt_begin = dims_used.data();
        const DimTarget* dt_end = dt_begin + dims_used.size();
        // Raw pointers held in locals: the compiler need not reload them
        // after every store into the counters.
        const std::uint8_t* flags_p = ds.flags.data();
        const std::uint8_t* variant_p = ds.variant.data();
        const std::uint8_t* assigned_p = ds.assigned_variant.data();
        const std::int64_t* time_p = ds.first_time.data();
        const std::uint16_t* codes_p = ds.dim_codes.data();
        const std::uint64_t* weight_p = ds.weight.data();
        const float* metric_p = ds.metric_values.data();
        std::uint64_t* counts_p = a.counts.data();
        std::uint64_t* bins_p = a.bins.data();
        std::uint64_t* phase_units_p = a.phase_units.data();
        std::uint64_t* fa_p = a.funnel_assigned.data();
        std::uint64_t* fe_p = a.funnel_exposed.data();
        std::int64_t* smin_p = a.span_min.data();
        std::int64_t* smax_p = a.span_max.data();
        const std::size_t* bin_phase_p = bin_phase.data();
        const std::uint32_t* bin_stratum_p = bin_stratum.data();
        std::uint64_t exposed = 0, jumped = 0, included = 0;
        for (std::size_t i = from; i < to; ++i) {
            const std::uint8_t flags = flags_p[i];
            const std::uint64_t w = weighted ? weight_p[i] : 1;
            if (funnel && (flags & kAssigned)) {
                fa_p[assigned_p[i]] += w;
                if (flags & kExposed) fe_p[assigned_p[i]] += w;
            }
            if (!(flags & kExposed)) continue;
            const std::int64_t ft = time_p[i];
            if (windowed && (ft < w_lo || ft > w_hi)) continue;
            const std::uint16_t* codes = codes_p + i * nd;
            if (by_segment && codes[seg_dim] != seg_code) continue;
            const std::size_t c = variant_p[i];
            counts_p[c] += w;
            exposed += w;
            if (flags & kJumped) jumped += w;
            if (flags & kIncluded) included += w;
            std::size_t phase = 0, stratum = 0;
            if (have_span && ft != kNoTime) {
                // Bin by multiplication (no division per unit), then correct
                // the rounding at exact bin edges.
                const std::int64_t rel = ft - bin0_us;
                auto b = static_cast<std::int64_t>(static_cast<double>(rel) * inv_bin_us);
                if (b * bin_us > rel) --b;
                else if ((b + 1) * bin_us <= rel) ++b;
                const auto bu = static_cast<std::size_t>(b);
                stratum = bin_stratum_p[bu];
                bins_p[bu * nv_codes + c] += w;
                phase = bin_phase_p[bu];
                if (ft < smin_p[c]) smin_p[c] = ft;
                if (ft > smax_p[c]) smax_p[c] = ft;
            }
            phase_units_p[phase] += w;
            for (const DimTarget* t = dt_begin; t != dt_end; ++t) {
                const std::size_t code = codes[t->dim];
                if (code == kNoCode) continue;
                // One increment per dimension: by stratum where there are strata
                // (the segment totals are their sums), else the totals.
                t->counts[(code * t->strata + (t->strata > 1 ? stratum : 0)) * nv_codes + c] += w;
                if (t->phases) t->phases[code * n_phases + phase] += w;
            }
            for (std::size_t m = 0; m < nm; ++m) {
                const double v = metric_p[i * nm + m];
                a.m_n[m * nv_codes + c] += static_cast<double>(w);
                a.m_sum[m * nv_codes + c] += v * static_cast<double>(w);
                a.m_sq[m * nv_codes + c] += v * v * static_cast<double>(w);
            }
        }
        a.exposed = exposed;
        a.jumped = jumped;
        a.included = included;
        accs[t] = std::move(a);
    });
    Acc acc = std::move(accs[0]);
    auto add_into = [](auto& into, const auto& from) {
        for (std::size_t x = 0; x < into.size(); ++x) into[x] += from[x];
    };
    for (std::size_t t = 1; t < accs.size(); ++t) {
        const Acc& o = accs[t];
        add_into(acc.counts, o.counts);
        add_into(acc.bins, o.bins);
        add_into(acc.phase_units, o.phase_units);
        add_into(acc.funnel_assigned, o.funnel_assigned);
        add_into(acc.funnel_exposed, o.funnel_exposed);
        for (std::size_t d = 0; d < nd; ++d) {
            add_into(acc.seg_counts[d], o.seg_counts[d]);
            add_into(acc.seg_phase[d], o.seg_phase[d]);
            add_into(acc.seg_strata[d], o.seg_strata[d]);
        }
        add_into(acc.m_n, o.m_n);
        add_into(acc.m_sum, o.m_sum);
        add_into(acc.m_sq, o.m_sq);
        for (std::size_t c = 0; c < nv_codes; ++c) {
            acc.span_min[c] = std::min(acc.span_min[c], o.span_min[c]);
            acc.span_max[c] = std::max(acc.span_max[c], o.span_max[c]);
        }
        acc.exposed += o.exposed;
        acc.jumped += o.jumped;
        acc.included += o.included;
    }
    for (std::size_t d = 0; d < nd; ++d) {
        if (n_strata[d] <= 1) continue;
        const std::size_t S = n_strata[d];
        for (std::size_t v = 0; v < ds.dimensions[d].values.size(); ++v)
            for (std::size_t st = 0; st < S; ++st)
                for (std::size_t c = 0; c < nv_codes; ++c) acc.seg_counts[d][v * nv_codes + c] += acc.seg_strata[d][(v * S + st) * nv_codes + c];
    }
    const std::vector<std::uint64_t>& code_counts = acc.counts;

    for (std::size_t c = 0; c < ds.variants.size(); ++c)
        if (code_counts[c] > 0 || (!opt.expected && opt.allocation.empty())) names.push_back(ds.variants[c]);
    auto add_name = [&](const std::string& n) {
        if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    };
    if (opt.expected)
        for (const auto& e : *opt.expected) add_name(e.first);
    for (const auto& pw : phase_weights)
        for (const auto& w : pw) add_name(w.first);
    if (names.empty()) throw InputError("no exposed units in the analysed data");
    // Order: as the allocation names them; otherwise a control-like variant
    // first (the one the metrics compare against), the rest by name.
    {
        std::vector<std::string> planned_order;
        if (opt.expected)
            for (const auto& e : *opt.expected) planned_order.push_back(e.first);
        else if (!phase_weights.empty())
            for (const auto& w : phase_weights.front()) planned_order.push_back(w.first);
        auto rank = [&](const std::string& n) -> std::pair<int, std::string> {
            const auto it = std::find(planned_order.begin(), planned_order.end(), n);
            if (it != planned_order.end()) return {static_cast<int>(it - planned_order.begin()), ""};
            const std::string l = lower(n);
            const bool control = l == "control" || l == "baseline" || l == "original" || l == "default" || l == "a" || l == "off";
            return {static_cast<int>(planned_order.size()) + (control ? 0 : 1), n};
        };
        std::stable_sort(names.begin(), names.end(), [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
    }
    const std::size_t k = names.size();
    std::vector<int> j_of_code(ds.variants.size(), -1);
    for (std::size_t c = 0; c < ds.variants.size(); ++c)
        for (std::size_t j = 0; j < k; ++j)
            if (names[j] == ds.variants[c]) j_of_code[c] = static_cast<int>(j);

    // Planned shares per phase over `names`.
    std::vector<std::vector<double>> phase_share;
    bool assumed_equal = false;
    if (phase_weights.empty()) {
        std::vector<double> w(k, 0.0);
        if (opt.expected) {
            for (const auto& e : *opt.expected)
                for (std::size_t j = 0; j < k; ++j)
                    if (names[j] == e.first) {
                        if (!std::isfinite(e.second) || e.second < 0)
                            throw InputError("the expected allocation gives variant '" + e.first + "' a negative or invalid weight");
                        w[j] = e.second;
                    }
        } else {
            if (k == 1)
                throw InputError("only one variant ('" + names[0] +
                                 "') in the data, and no expected allocation names the others: give one with --expected");
            std::fill(w.begin(), w.end(), 1.0);
            assumed_equal = true;
        }
        phase_share.push_back(w);
    } else {
        for (const auto& pw : phase_weights) {
            std::vector<double> w(k, 0.0);
            for (const auto& e : pw)
                for (std::size_t j = 0; j < k; ++j)
                    if (names[j] == e.first) w[j] = e.second;
            phase_share.push_back(w);
        }
    }
    for (auto& w : phase_share) {
        const double total = std::accumulate(w.begin(), w.end(), 0.0);
        if (total <= 0) throw InputError("the planned allocation gives every variant weight 0");
        for (auto& x : w) x /= total;
    }

    // --- Counts by report variant (j) -------------------------------------
    std::vector<std::uint64_t> counts(k, 0), bins(n_bins * k, 0);
    const std::vector<std::uint64_t>& phase_units = acc.phase_units;
    std::vector<std::vector<std::uint64_t>> seg_counts(nd);
    if (n_phases == 1)  // one phase: a segment's phase total is its unit count
        for (std::size_t d = 0; d < nd; ++d)
            for (std::size_t v = 0; v < ds.dimensions[d].values.size(); ++v)
                for (std::size_t c = 0; c < nv_codes; ++c) acc.seg_phase[d][v] += acc.seg_counts[d][v * nv_codes + c];
    const auto& seg_phase = acc.seg_phase;
    std::vector<double> m_n(nm * k, 0), m_sum(nm * k, 0), m_sq(nm * k, 0);
    Evidence& ev = report.evidence;
    ev.has_time = ds.has_time;
    ev.has_unit = ds.has_unit;
    ev.has_event = ds.has_event;
    ev.has_inclusion = ds.has_inclusion;
    ev.funnel.assign(k, {0, 0});
    ev.variant_span.assign(k, {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()});
    ev.exposed_units = acc.exposed;
    ev.jumped_units = acc.jumped;
    ev.included_units = acc.included;
    for (std::size_t d = 0; d < nd; ++d) seg_counts[d].assign(ds.dimensions[d].values.size() * k, 0);
    for (std::size_t c = 0; c < nv_codes; ++c) {
        if (j_of_code[c] < 0) continue;
        const auto j = static_cast<std::size_t>(j_of_code[c]);
        counts[j] += acc.counts[c];
        ev.funnel[j].first += acc.funnel_assigned[c];
        ev.funnel[j].second += acc.funnel_exposed[c];
        ev.variant_span[j] = acc.span_min[c] <= acc.span_max[c] ? std::make_pair(secs(acc.span_min[c]), secs(acc.span_max[c]))
                                                               : std::make_pair(acc.span_min[c], acc.span_max[c]);
        for (std::size_t b = 0; b < n_bins; ++b) bins[b * k + j] += acc.bins[b * nv_codes + c];
        for (std::size_t d = 0; d < nd; ++d)
            for (std::size_t v = 0; v < ds.dimensions[d].values.size(); ++v)
                seg_counts[d][v * k + j] += acc.seg_counts[d][v * nv_codes + c];
        for (std::size_t m = 0; m < nm; ++m) {
            m_n[m * k + j] += acc.m_n[m * nv_codes + c];
            m_sum[m * k + j] += acc.m_sum[m * nv_codes + c];
            m_sq[m * k + j] += acc.m_sq[m * nv_codes + c];
        }
    }
    ev.allocation_phases = opt.allocation.size();
    for (std::size_t p = 1; p < opt.allocation.size(); ++p) ev.allocation_changes.push_back(opt.allocation[p].start);

    // --- The SRM test (phased when there is an allocation history) --------
    std::vector<double> expected_weight(k, 0.0);
    for (std::size_t p = 0; p < n_phases; ++p)
        for (std::size_t j = 0; j < k; ++j) expected_weight[j] += static_cast<double>(phase_units[p]) * phase_share[p][j];
    if (n_phases == 1 || std::accumulate(phase_units.begin(), phase_units.end(), std::uint64_t{0}) == 0)
        expected_weight = phase_share.back();
    report.srm = test_srm(inputs_with(names, counts, expected_weight), opt.srm);
    if (n_phases > 1 && report.srm.test == TestKind::ChiSquare) {
        report.srm.test = TestKind::ChiSquarePhased;
        report.srm.method = "Pearson chi-square test against the phased expectation (each allocation phase's units x its planned shares)";
    }
    report.input.expected_assumed_equal = assumed_equal;

    // --- Step 1: timeline, sequential test, time pattern -----------------
    Timeline& tl = report.timeline;
    tl.variants = names;
    tl.expected_share = phase_share.back();
    std::vector<double> seq_log10(n_bins, 0.0);
    if (n_bins > 0) {
        // Sequential test per hour, restarting the mixture at each phase.
        SequentialTest& sq = report.sequential;
        sq.applicable = true;
        sq.concentration = opt.dirichlet_concentration;
        const double c = opt.dirichlet_concentration;
        double done_log_bf = 0.0, best_log_bf = 0.0;
        std::size_t cur_phase = bin_phase[0];
        std::vector<double> x(k, 0.0);
        for (std::size_t b = 0; b < n_bins; ++b) {
            if (bin_phase[b] != cur_phase) {
                // close the phase: keep its Bayes factor, restart the mixture
                double lbf = 0.0, n = 0.0;
                const auto& th = phase_share[cur_phase];
                for (std::size_t j = 0; j < k; ++j) n += x[j];
                lbf = lgamma_d(c) - lgamma_d(c + n);
                for (std::size_t j = 0; j < k; ++j) {
                    if (th[j] > 0) lbf += lgamma_d(c * th[j] + x[j]) - lgamma_d(c * th[j]) - x[j] * std::log(th[j]);
                    else if (x[j] > 0) lbf = std::numeric_limits<double>::infinity();
                }
                done_log_bf += lbf;
                std::fill(x.begin(), x.end(), 0.0);
                cur_phase = bin_phase[b];
            }
            double n = 0.0;
            for (std::size_t j = 0; j < k; ++j) {
                x[j] += static_cast<double>(bins[b * k + j]);
                n += x[j];
            }
            const auto& th = phase_share[cur_phase];
            double lbf = lgamma_d(c) - lgamma_d(c + n);
            for (std::size_t j = 0; j < k; ++j) {
                if (th[j] > 0) lbf += lgamma_d(c * th[j] + x[j]) - lgamma_d(c * th[j]) - x[j] * std::log(th[j]);
                else if (x[j] > 0) lbf = std::numeric_limits<double>::infinity();
            }
            best_log_bf = std::max(best_log_bf, done_log_bf + lbf);
            seq_log10[b] = std::isinf(best_log_bf) ? -1e300 : std::min(0.0, -best_log_bf / kLn10);
            if (!sq.first_alert && seq_log10[b] < std::log10(opt.srm.thresholds.warn))
                sq.first_alert = bin0 + static_cast<std::int64_t>(b + 1) * bin_width;
        }
        sq.log10_p_value = n_bins ? std::max(seq_log10.back(), -1e300) : 0.0;
        sq.p_value = std::pow(10.0, sq.log10_p_value);

        // Display points: hourly for spans up to three days, else daily.
        const bool hourly = bin_width == 3600 && (tmax - tmin) / kUs <= 3 * 86400;
        tl.resolution = hourly ? "hour" : "day";
        const std::int64_t step = hourly ? 3600 : 86400;
        std::vector<std::uint64_t> cum(k, 0), fresh(k, 0);
        std::vector<double> cum_expected(k, 0.0);
        SrmOptions point_options = opt.srm;
        point_options.exact_below_expected = 0;  // the path uses the chi-square approximation
        for (std::size_t b = 0; b < n_bins; ++b) {
            const std::int64_t start = bin0 + static_cast<std::int64_t>(b) * bin_width;
            double nb = 0;
            for (std::size_t j = 0; j < k; ++j) {
                cum[j] += bins[b * k + j];
                fresh[j] += bins[b * k + j];
                nb += static_cast<double>(bins[b * k + j]);
            }
            for (std::size_t j = 0; j < k; ++j) cum_expected[j] += nb * phase_share[bin_phase[b]][j];
            const std::int64_t end = start + bin_width;
            if (b + 1 != n_bins && end % step != 0) continue;
            TimelinePoint pt;
            pt.time = end;
            pt.new_units = fresh;
            pt.cumulative = cum;
            pt.sequential_log10_p = seq_log10[b];
            std::uint64_t total = std::accumulate(cum.begin(), cum.end(), std::uint64_t{0});
            std::size_t planned_with_units = 0;
            for (std::size_t j = 0; j < k; ++j) planned_with_units += cum_expected[j] > 0 ? 1 : 0;
            if (total > 0 && planned_with_units >= 2) {
                try {
                    const auto r = test_srm(inputs_with(names, cum, cum_expected), point_options);
                    pt.p_value = r.p_value;
                    pt.log10_p_value = r.log10_p_value;
                } catch (const InputError&) {
                }
            }
            tl.points.push_back(std::move(pt));
            std::fill(fresh.begin(), fresh.end(), 0);
        }

        // Time pattern over the planned variants.
        std::vector<std::size_t> planned;
        for (std::size_t j = 0; j < k; ++j) {
            bool any = false;
            for (const auto& s : phase_share) any = any || s[j] > 0;
            if (any) planned.push_back(j);
        }
        const std::size_t kp = planned.size();
        std::vector<Group> groups(n_bins);
        double n_total = 0;
        for (std::size_t b = 0; b < n_bins; ++b) {
            groups[b].n.resize(kp);
            groups[b].theta.resize(kp);
            groups[b].t = n_bins > 1 ? (static_cast<double>(b) + 0.5) / static_cast<double>(n_bins) : 0.5;
            for (std::size_t a = 0; a < kp; ++a) {
                groups[b].n[a] = static_cast<double>(bins[b * k + planned[a]]);
                groups[b].theta[a] = std::max(phase_share[bin_phase[b]][planned[a]], 1e-12);
                n_total += groups[b].n[a];
            }
        }
        TimePattern& tp = report.time_pattern;
        if (kp >= 2 && n_total > 0) {
            double ll0 = 0;
            for (const auto& g : groups) {
                double nb = 0;
                for (double v : g.n) nb += v;
                if (nb == 0) continue;
                for (std::size_t a = 0; a < kp; ++a)
                    if (g.n[a] > 0) ll0 += g.n[a] * std::log(g.theta[a]);
            }
            // Constant offsets need only the counts per allocation phase:
            // prefix sums make every candidate change point cheap.
            std::vector<double> prefix((n_bins + 1) * n_phases * kp, 0.0);
            for (std::size_t b = 0; b < n_bins; ++b) {
                std::copy_n(prefix.begin() + static_cast<std::ptrdiff_t>(b * n_phases * kp), n_phases * kp,
                            prefix.begin() + static_cast<std::ptrdiff_t>((b + 1) * n_phases * kp));
                for (std::size_t a = 0; a < kp; ++a) prefix[((b + 1) * n_phases + bin_phase[b]) * kp + a] += groups[b].n[a];
            }
            auto phase_groups = [&](std::size_t from, std::size_t to) {
                std::vector<Group> out;
                for (std::size_t p = 0; p < n_phases; ++p) {
                    Group g;
                    g.n.resize(kp);
                    g.theta.resize(kp);
                    double total = 0;
                    for (std::size_t a = 0; a < kp; ++a) {
                        g.n[a] = prefix[(to * n_phases + p) * kp + a] - prefix[(from * n_phases + p) * kp + a];
                        g.theta[a] = std::max(phase_share[p][planned[a]], 1e-12);
                        total += g.n[a];
                    }
                    if (total > 0) out.push_back(std::move(g));
                }
                return out;
            };
            std::vector<double> const_params;
            const double ll1 = fit_offset_logit(phase_groups(0, n_bins), kp, true, false, &const_params);
            // Gradual: the deviation grows linearly from zero at the start.
            std::vector<double> trend_params;
            const double ll3 = n_bins >= 3 ? fit_offset_logit(groups, kp, false, true, &trend_params) : ll0;
            // At a point: the plan holds before tau, a constant deviation
            // after it; tau searched over the bins with at least 2 % of the
            // units on each side.
            std::vector<double> plan_prefix(n_bins + 1, 0.0);
            for (std::size_t b = 0; b < n_bins; ++b) {
                double ll = 0;
                for (std::size_t a = 0; a < kp; ++a)
                    if (groups[b].n[a] > 0) ll += groups[b].n[a] * std::log(groups[b].theta[a]);
                plan_prefix[b + 1] = plan_prefix[b] + ll;
            }
            double ll2 = -std::numeric_limits<double>::infinity();
            std::size_t tau = 0;
            double before_units = 0;
            for (std::size_t b = 1; b < n_bins; ++b) {
                for (double v : groups[b - 1].n) before_units += v;
                if (before_units < 0.02 * n_total || n_total - before_units < 0.02 * n_total) continue;
                const double ll = plan_prefix[b] + fit_offset_logit(phase_groups(b, n_bins), kp, true, false);
                if (ll > ll2) {
                    ll2 = ll;
                    tau = b;
                }
            }
            const double lnN = std::log(n_total);
            const double p = static_cast<double>(kp - 1);
            tp.bic_none = -2 * ll0;
            tp.bic_constant = -2 * ll1 + p * lnN;
            tp.bic_trend = -2 * ll3 + p * lnN;
            tp.bic_step = std::isfinite(ll2) ? -2 * ll2 + (p + 1) * lnN : std::numeric_limits<double>::infinity();
            const double best = std::min({tp.bic_none, tp.bic_constant, tp.bic_step, tp.bic_trend});
            auto share_text = [&](const std::vector<double>& eta, const Group& g) {
                // planned variant shares implied by offsets eta at a group's plan
                std::vector<double> w(kp);
                double norm = 0;
                for (std::size_t a = 0; a < kp; ++a) {
                    w[a] = g.theta[a] * std::exp(a == 0 ? 0.0 : eta[a - 1]);
                    norm += w[a];
                }
                std::string s;
                for (std::size_t a = 0; a < kp; ++a)
                    s += (a ? ", " : "") + names[planned[a]] + " " + fmt(100.0 * w[a] / norm, 2) + " %";
                return s;
            };
            std::ostringstream e;
            if (best == tp.bic_none) {
                tp.kind = "none";
                e << "The split follows the plan throughout: no model of a deviation fits better once its parameters are "
                     "paid for (BIC).";
            } else if (best == tp.bic_constant) {
                tp.kind = "from_start";
                tp.change_point = bin0;
                e << "The split is off the plan from the start and stays off by the same amount (" << share_text(const_params, groups.front())
                  << "): a constant offset fits best.";
            } else if (best == tp.bic_step) {
                tp.kind = "at_point";
                tp.change_point = bin0 + static_cast<std::int64_t>(tau) * bin_width;
                std::vector<double> pl(kp - 1, 0.0), pr;
                fit_offset_logit(phase_groups(tau, n_bins), kp, true, false, &pr);
                e << "The split follows the plan until " << format_iso8601(*tp.change_point) << " (" << share_text(pl, groups.front())
                  << "), then changes to " << share_text(pr, groups.back()) << " (likelihood-ratio statistic against no change "
                  << fmt(2 * (ll2 - ll0), 1) << ").";
            } else {
                tp.kind = "gradual";
                std::vector<double> at0(kp - 1), at1(kp - 1);
                for (std::size_t a = 0; a + 1 < kp; ++a) {
                    at0[a] = 0.0;
                    at1[a] = trend_params[a];
                }
                e << "The split drifts steadily away from the plan: at the start " << share_text(at0, groups.front())
                  << ", at the end " << share_text(at1, groups.back()) << " (a linear trend fits best).";
            }
            e << " BIC: none " << fmt(tp.bic_none, 1) << ", from_start " << fmt(tp.bic_constant, 1) << ", at_point "
              << fmt(tp.bic_step, 1) << ", gradual " << fmt(tp.bic_trend, 1) << ".";
            tp.evidence = e.str();
        } else {
            tp.kind = "not_applicable";
            tp.evidence = "Fewer than two planned variants have units over time.";
        }
    } else {
        report.time_pattern.kind = "not_applicable";
        report.time_pattern.evidence = ds.has_time ? "No exposure has a time." : "Needs a time column.";
    }

    // --- Step 2: group metrics -------------------------------------------
    if (nm > 0 && ds.shape == Shape::Events) {
        std::vector<double> metric_log10;
        for (std::size_t m = 0; m < nm; ++m) {
            GroupMetric gm;
            gm.metric = ds.metrics[m].name;
            gm.binary = ds.metrics[m].binary;
            gm.test = gm.binary ? "two-proportion z-test against " + names[0] : "Welch's t-test against " + names[0];
            for (std::size_t j = 0; j < k; ++j) {
                MetricVariant mv;
                mv.name = names[j];
                const double n = m_n[m * k + j];
                mv.n = static_cast<std::uint64_t>(n);
                if (n > 0) {
                    mv.rate = m_sum[m * k + j] / n;
                    if (gm.binary) {
                        // Wilson score interval.
                        const double z = 1.959963984540054, p = mv.rate;
                        const double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
                        const double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
                        mv.ci_low = centre - half;
                        mv.ci_high = centre + half;
                    } else {
                        const double var = n > 1 ? std::max(0.0, (m_sq[m * k + j] - n * mv.rate * mv.rate) / (n - 1)) : 0.0;
                        const double se = std::sqrt(var / n);
                        const double tq = n > 1 ? boost::math::quantile(boost::math::complement(boost::math::students_t(n - 1), 0.025)) : 0.0;
                        mv.ci_low = mv.rate - tq * se;
                        mv.ci_high = mv.rate + tq * se;
                    }
                }
                gm.variants.push_back(mv);
            }
            std::vector<double> pair_log10;
            const double n0 = m_n[m * k + 0];
            for (std::size_t j = 1; j < k; ++j) {
                const double n1 = m_n[m * k + j];
                if (n0 < 2 || n1 < 2) continue;
                double p = 1.0;
                if (gm.binary) {
                    const double x0 = m_sum[m * k], x1 = m_sum[m * k + j];
                    const double pooled = (x0 + x1) / (n0 + n1);
                    const double se = std::sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / n1));
                    p = se > 0 ? normal_two_sided_p((x1 / n1 - x0 / n0) / se) : 1.0;
                } else {
                    const double m0 = m_sum[m * k] / n0, m1 = m_sum[m * k + j] / n1;
                    const double v0 = std::max(0.0, (m_sq[m * k] - n0 * m0 * m0) / (n0 - 1));
                    const double v1 = std::max(0.0, (m_sq[m * k + j] - n1 * m1 * m1) / (n1 - 1));
                    const double se2 = v0 / n0 + v1 / n1;
                    if (se2 > 0) {
                        const double t = (m1 - m0) / std::sqrt(se2);
                        const double df = se2 * se2 / ((v0 / n0) * (v0 / n0) / (n0 - 1) + (v1 / n1) * (v1 / n1) / (n1 - 1));
                        p = 2 * boost::math::cdf(boost::math::complement(boost::math::students_t(df), std::fabs(t)));
                    }
                }
                pair_log10.push_back(std::log10(std::max(p, 1e-300)));
            }
            const auto adj = holm_log10(pair_log10);
            const double best = adj.empty() ? 0.0 : *std::min_element(adj.begin(), adj.end());
            gm.p_value = std::pow(10.0, best);
            metric_log10.push_back(best);
            report.group_metrics.push_back(std::move(gm));
        }
        const auto adj = holm_log10(metric_log10);
        for (std::size_t m = 0; m < nm; ++m) {
            report.group_metrics[m].adjusted_p_value = std::pow(10.0, adj[m]);
            report.group_metrics[m].flag = adj[m] < std::log10(opt.metric_alpha);
        }
    }

    // --- Step 3: changes near the break ----------------------------------
    for (const auto& c : opt.changes) {
        ChangeResult r;
        r.change = c;
        if (report.time_pattern.change_point && report.time_pattern.kind != "none") {
            r.distance_seconds = static_cast<double>(c.time - *report.time_pattern.change_point);
            r.near_change_point = std::fabs(*r.distance_seconds) <= opt.near_change_hours * 3600.0;
        }
        report.changes.push_back(std::move(r));
    }

    // --- Step 4: dimensions ----------------------------------------------
    SrmOptions seg_options = opt.srm;
    seg_options.exact_below_expected = 0;  // segments: chi-square; small ones are marked too_small
    std::vector<std::pair<std::size_t, std::size_t>> seg_index;  // (dimension result, segment)
    std::vector<double> seg_log10;
    for (std::size_t d = 0; d < nd; ++d) {
        if (ds.dimensions[d].excluded || (opt.segment && opt.segment->first == d)) continue;
        DimensionResult dr;
        dr.name = ds.dimensions[d].name;
        const std::size_t nv = ds.dimensions[d].values.size();
        double abs_total = 0;
        std::vector<double> abs_excess;
        for (std::size_t v = 0; v < nv; ++v) {
            SegmentResult sr;
            sr.value = ds.dimensions[d].values[v];
            sr.counts.assign(seg_counts[d].begin() + static_cast<std::ptrdiff_t>(v * k),
                             seg_counts[d].begin() + static_cast<std::ptrdiff_t>((v + 1) * k));
            sr.units = std::accumulate(sr.counts.begin(), sr.counts.end(), std::uint64_t{0});
            if (sr.units == 0) continue;
            std::vector<double> expect(k, 0.0);
            for (std::size_t p = 0; p < n_phases; ++p)
                for (std::size_t j = 0; j < k; ++j)
                    expect[j] += static_cast<double>(seg_phase[d][v * n_phases + p]) * phase_share[p][j];
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
                const auto r = test_srm(inputs_with(names, sr.counts, expect), seg_options);
                sr.p_value = r.p_value;
                sr.log10_p_value = r.log10_p_value;
            } catch (const InputError&) {
            }
            abs_excess.push_back(excess);
            abs_total += excess;
            dr.segments.push_back(std::move(sr));
        }
        for (std::size_t s = 0; s < dr.segments.size(); ++s)
            dr.segments[s].share_of_imbalance = abs_total > 0 ? abs_excess[s] / abs_total : 0.0;
        // Independence: does the split differ across the values? A chi-square
        // test of independence within each time stratum, summed over the
        // strata (each stratum's table has its own margins).
        {
            const std::size_t S = n_strata[d], nv = ds.dimensions[d].values.size();
            double chi2 = 0, df = 0;
            std::vector<double> table(nv * k);
            for (std::size_t st = 0; st < S; ++st) {
                std::fill(table.begin(), table.end(), 0.0);
                for (std::size_t v = 0; v < nv; ++v)
                    for (std::size_t c = 0; c < nv_codes; ++c) {
                        if (j_of_code[c] < 0) continue;
                        const double x = S > 1 ? static_cast<double>(acc.seg_strata[d][(v * S + st) * nv_codes + c])
                                               : static_cast<double>(acc.seg_counts[d][v * nv_codes + c]);
                        table[v * k + static_cast<std::size_t>(j_of_code[c])] += x;
                    }
                std::vector<double> row(nv, 0.0), col(k, 0.0);
                double total = 0;
                for (std::size_t v = 0; v < nv; ++v)
                    for (std::size_t j = 0; j < k; ++j) {
                        row[v] += table[v * k + j];
                        col[j] += table[v * k + j];
                        total += table[v * k + j];
                    }
                std::size_t rows = 0, cols = 0;
                for (double r : row) rows += r > 0 ? 1 : 0;
                for (double c : col) cols += c > 0 ? 1 : 0;
                if (rows < 2 || cols < 2) continue;
                for (std::size_t v = 0; v < nv; ++v) {
                    if (row[v] == 0) continue;
                    for (std::size_t j = 0; j < k; ++j) {
                        if (col[j] == 0) continue;
                        const double e = row[v] * col[j] / total;
                        chi2 += (table[v * k + j] - e) * (table[v * k + j] - e) / e;
                    }
                }
                df += static_cast<double>((rows - 1) * (cols - 1));
            }
            if (df > 0) {
                dr.log10_p_value = log_chi_square_sf(chi2, df) / kLn10;
                dr.p_value = std::pow(10.0, dr.log10_p_value);
            }
        }
        std::sort(dr.segments.begin(), dr.segments.end(), [](const auto& a, const auto& b) { return a.units > b.units; });
        report.dimensions.push_back(std::move(dr));
    }
    for (std::size_t d = 0; d < report.dimensions.size(); ++d)
        for (std::size_t s = 0; s < report.dimensions[d].segments.size(); ++s) {
            seg_index.emplace_back(d, s);
            seg_log10.push_back(report.dimensions[d].segments[s].log10_p_value);
        }
    const auto seg_adj = holm_log10(seg_log10);
    for (std::size_t i = 0; i < seg_index.size(); ++i) {
        auto& dr = report.dimensions[seg_index[i].first];
        auto& sr = dr.segments[seg_index[i].second];
        sr.log10_adjusted_p_value = seg_adj[i];
        sr.adjusted_p_value = std::pow(10.0, seg_adj[i]);
        if (sr.units < opt.min_segment_units) sr.severity = "too_small";
        else sr.severity = to_string(classify_log10(seg_adj[i], opt.srm.thresholds));
        if (sr.severity == "warn" || sr.severity == "severe")
            report.ranked_segments.push_back({dr.name, sr.value, sr.adjusted_p_value, sr.log10_adjusted_p_value, sr.share_of_imbalance});
    }
    std::stable_sort(report.ranked_segments.begin(), report.ranked_segments.end(), [](const auto& a, const auto& b) {
        if (a.log10_adjusted_p_value != b.log10_adjusted_p_value) return a.log10_adjusted_p_value < b.log10_adjusted_p_value;
        return a.share_of_imbalance > b.share_of_imbalance;
    });
    if (report.ranked_segments.size() > 20) report.ranked_segments.resize(20);

    diagnose(report);
    return report;
}

}  // namespace srm
