// Step 1: when did it start? The cumulative exposure timeline, the
// anytime-valid sequential test and the time pattern.
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
// Dirichlet(c * theta) prior the Bayes factor against the plan is a
// nonnegative martingale under the plan, so p_n = min(1, min_m 1 / BF_m) is
// an anytime-valid p-value (Ville). It is evaluated at the end of each hour;
// with an allocation history the mixture restarts at each phase and the
// phases' Bayes factors multiply.
#include "steps_internal.hpp"

#include "srm/text.hpp"

#include "srm/inference.hpp"
#include "srm/logit.hpp"
#include "srm/timeutil.hpp"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <sstream>

namespace srm::detail {

namespace {

std::string fmt(double v, int decimals) { return format_fixed(v, decimals); }

// The planned variants (a positive share in some phase), as indices j.
std::vector<std::size_t> planned_variants(const Plan& plan)
{
    std::vector<std::size_t> planned;
    for (std::size_t j = 0; j < plan.k(); ++j) {
        bool any = false;
        for (const auto& s : plan.phase_share) any = any || s[j] > 0;
        if (any) planned.push_back(j);
    }
    return planned;
}

// The fits of the four models over the bins' groups.
struct PatternFits {
    double ll0 = 0, ll1 = 0, ll2 = -std::numeric_limits<double>::infinity(), ll3 = 0;
    std::size_t tau = 0;
    std::vector<double> const_params, trend_params;
};

class PatternFitter {
public:
    PatternFitter(const Counts& counts, const Plan& plan, const TimeGrid& grid)
        : plan_(plan), grid_(grid), planned_(planned_variants(plan)), kp_(planned_.size()), groups_(grid.n_bins)
    {
        const std::size_t k = plan.k();
        for (std::size_t b = 0; b < grid.n_bins; ++b) {
            groups_[b].n.resize(kp_);
            groups_[b].theta.resize(kp_);
            groups_[b].t = grid.n_bins > 1 ? (static_cast<double>(b) + 0.5) / static_cast<double>(grid.n_bins) : 0.5;
            for (std::size_t a = 0; a < kp_; ++a) {
                groups_[b].n[a] = static_cast<double>(counts.bins[b * k + planned_[a]]);
                groups_[b].theta[a] = std::max(plan.phase_share[grid.bin_phase[b]][planned_[a]], 1e-12);
                n_total_ += groups_[b].n[a];
            }
        }
    }
    std::size_t planned_count() const { return kp_; }
    double units() const { return n_total_; }
    const std::vector<Group>& groups() const { return groups_; }

    PatternFits fit() const
    {
        PatternFits f;
        for (const auto& g : groups_) {
            double nb = 0;
            for (double v : g.n) nb += v;
            if (nb == 0) continue;
            for (std::size_t a = 0; a < kp_; ++a)
                if (g.n[a] > 0) f.ll0 += g.n[a] * std::log(g.theta[a]);
        }
        build_prefix();
        f.ll1 = fit_offset_logit(phase_groups(0, grid_.n_bins), kp_, true, false, &f.const_params);
        // Gradual: the deviation grows linearly from zero at the start.
        f.ll3 = grid_.n_bins >= 3 ? fit_offset_logit(groups_, kp_, false, true, &f.trend_params) : f.ll0;
        // At a point: the plan holds before tau, a constant deviation after
        // it; tau searched over the bins with at least 2 % of the units on
        // each side.
        std::vector<double> plan_prefix(grid_.n_bins + 1, 0.0);
        for (std::size_t b = 0; b < grid_.n_bins; ++b) {
            double ll = 0;
            for (std::size_t a = 0; a < kp_; ++a)
                if (groups_[b].n[a] > 0) ll += groups_[b].n[a] * std::log(groups_[b].theta[a]);
            plan_prefix[b + 1] = plan_prefix[b] + ll;
        }
        double before_units = 0;
        for (std::size_t b = 1; b < grid_.n_bins; ++b) {
            for (double v : groups_[b - 1].n) before_units += v;
            if (before_units < 0.02 * n_total_ || n_total_ - before_units < 0.02 * n_total_) continue;
            const double ll = plan_prefix[b] + fit_offset_logit(phase_groups(b, grid_.n_bins), kp_, true, false);
            if (ll > f.ll2) {
                f.ll2 = ll;
                f.tau = b;
            }
        }
        return f;
    }

    // Constant offsets need only the counts per allocation phase: prefix
    // sums make every candidate change point cheap. The groups of bins
    // [from, to), one per phase with units.
    std::vector<Group> phase_groups(std::size_t from, std::size_t to) const
    {
        const std::size_t P = grid_.n_phases;
        std::vector<Group> out;
        for (std::size_t p = 0; p < P; ++p) {
            Group g;
            g.n.resize(kp_);
            g.theta.resize(kp_);
            double total = 0;
            for (std::size_t a = 0; a < kp_; ++a) {
                g.n[a] = prefix_[(to * P + p) * kp_ + a] - prefix_[(from * P + p) * kp_ + a];
                g.theta[a] = std::max(plan_.phase_share[p][planned_[a]], 1e-12);
                total += g.n[a];
            }
            if (total > 0) out.push_back(std::move(g));
        }
        return out;
    }

    // The planned variants' shares implied by offsets eta at a group's plan.
    std::string share_text(const std::vector<double>& eta, const Group& g) const
    {
        std::vector<double> w(kp_);
        double norm = 0;
        for (std::size_t a = 0; a < kp_; ++a) {
            w[a] = g.theta[a] * std::exp(a == 0 ? 0.0 : eta[a - 1]);
            norm += w[a];
        }
        std::string s;
        for (std::size_t a = 0; a < kp_; ++a) s += (a ? ", " : "") + plan_.names[planned_[a]] + " " + fmt(100.0 * w[a] / norm, 2) + " %";
        return s;
    }

private:
    void build_prefix() const
    {
        const std::size_t P = grid_.n_phases, n_bins = grid_.n_bins;
        prefix_.assign((n_bins + 1) * P * kp_, 0.0);
        for (std::size_t b = 0; b < n_bins; ++b) {
            std::copy_n(prefix_.begin() + static_cast<std::ptrdiff_t>(b * P * kp_), P * kp_,
                        prefix_.begin() + static_cast<std::ptrdiff_t>((b + 1) * P * kp_));
            for (std::size_t a = 0; a < kp_; ++a) prefix_[((b + 1) * P + grid_.bin_phase[b]) * kp_ + a] += groups_[b].n[a];
        }
    }

    const Plan& plan_;
    const TimeGrid& grid_;
    std::vector<std::size_t> planned_;
    std::size_t kp_;
    std::vector<Group> groups_;
    double n_total_ = 0;
    mutable std::vector<double> prefix_;
};

}  // namespace

std::vector<double> step1_sequential(const Counts& counts, const Plan& plan, const TimeGrid& grid, double concentration,
                                     const SrmThresholds& thresholds, SequentialTest& sq)
{
    const std::size_t k = plan.k(), n_bins = grid.n_bins;
    std::vector<double> seq_log10(n_bins, 0.0);
    if (n_bins == 0) return seq_log10;
    sq.applicable = true;
    sq.concentration = concentration;
    double done_log_bf = 0.0, best_log_bf = 0.0;
    std::size_t cur_phase = grid.bin_phase[0];
    std::vector<double> x(k, 0.0);
    for (std::size_t b = 0; b < n_bins; ++b) {
        if (grid.bin_phase[b] != cur_phase) {
            // Close the phase: keep its Bayes factor, restart the mixture.
            done_log_bf += dirichlet_log_bayes_factor(x, plan.phase_share[cur_phase], concentration);
            std::fill(x.begin(), x.end(), 0.0);
            cur_phase = grid.bin_phase[b];
        }
        for (std::size_t j = 0; j < k; ++j) x[j] += static_cast<double>(counts.bins[b * k + j]);
        const double lbf = dirichlet_log_bayes_factor(x, plan.phase_share[cur_phase], concentration);
        best_log_bf = std::max(best_log_bf, done_log_bf + lbf);
        seq_log10[b] = std::isinf(best_log_bf) ? -1e300 : std::min(0.0, -best_log_bf / kLn10);
        if (!sq.first_alert && seq_log10[b] < std::log10(thresholds.warn))
            sq.first_alert = grid.bin0 + static_cast<std::int64_t>(b + 1) * grid.bin_width;
    }
    sq.log10_p_value = std::max(seq_log10.back(), -1e300);
    sq.p_value = std::pow(10.0, sq.log10_p_value);
    return seq_log10;
}

void timeline_points(const std::uint64_t* bins, const Plan& plan, const TimeGrid& grid, const std::vector<double>* seq_log10,
                     const SrmOptions& options, Timeline& tl)
{
    const std::size_t k = plan.k();
    // Display points: hourly for spans up to three days, else daily.
    const bool hourly = grid.bin_width == 3600 && grid.span_us / kUs <= 3 * 86400;
    tl.resolution = hourly ? TimeResolution::Hour : TimeResolution::Day;
    const std::int64_t step = hourly ? 3600 : 86400;
    const double z = boost::math::quantile(boost::math::complement(boost::math::normal_distribution<double>(), (1.0 - tl.band_level) / 2));
    std::vector<std::uint64_t> cum(k, 0), fresh(k, 0);
    std::vector<double> cum_expected(k, 0.0), fresh_expected(k, 0.0);
    SrmOptions point_options = options;
    point_options.exact_below_expected = 0;  // the path uses the chi-square approximation
    // Observed minus planned share (pp) and the band's half-width for n units.
    auto deviations = [&](const std::vector<std::uint64_t>& observed, const std::vector<double>& expected, std::vector<double>& dev,
                          std::vector<double>& band) {
        const double n = static_cast<double>(std::accumulate(observed.begin(), observed.end(), std::uint64_t{0}));
        const double e = std::accumulate(expected.begin(), expected.end(), 0.0);
        dev.assign(k, 0.0);
        band.assign(k, 0.0);
        if (n <= 0 || e <= 0) return;
        for (std::size_t j = 0; j < k; ++j) {
            const double q = expected[j] / e;
            dev[j] = (static_cast<double>(observed[j]) / n - q) * 100.0;
            band[j] = z * std::sqrt(q * (1.0 - q) / n) * 100.0;
        }
    };
    for (std::size_t b = 0; b < grid.n_bins; ++b) {
        const std::int64_t start = grid.bin0 + static_cast<std::int64_t>(b) * grid.bin_width;
        double nb = 0;
        for (std::size_t j = 0; j < k; ++j) {
            cum[j] += bins[b * k + j];
            fresh[j] += bins[b * k + j];
            nb += static_cast<double>(bins[b * k + j]);
        }
        for (std::size_t j = 0; j < k; ++j) {
            cum_expected[j] += nb * plan.phase_share[grid.bin_phase[b]][j];
            fresh_expected[j] += nb * plan.phase_share[grid.bin_phase[b]][j];
        }
        const std::int64_t end = start + grid.bin_width;
        if (b + 1 != grid.n_bins && end % step != 0) continue;
        TimelinePoint pt;
        pt.time = end;
        pt.new_units = fresh;
        pt.cumulative = cum;
        pt.expected_cumulative = cum_expected;
        pt.expected_new = fresh_expected;
        deviations(cum, cum_expected, pt.deviation_pp, pt.band_pp);
        deviations(fresh, fresh_expected, pt.new_deviation_pp, pt.new_band_pp);
        if (seq_log10) pt.sequential_log10_p = (*seq_log10)[b];
        const std::uint64_t total = std::accumulate(cum.begin(), cum.end(), std::uint64_t{0});
        std::size_t planned_with_units = 0;
        for (std::size_t j = 0; j < k; ++j) planned_with_units += cum_expected[j] > 0 ? 1 : 0;
        if (total > 0 && planned_with_units >= 2) {
            try {
                std::vector<VariantInput> in;
                for (std::size_t j = 0; j < k; ++j) in.push_back({plan.names[j], cum[j], cum_expected[j]});
                const auto r = test_srm(in, point_options);
                pt.p_value = r.p_value;
                pt.log10_p_value = r.log10_p_value;
            } catch (const InputError&) {
            }
        }
        tl.points.push_back(std::move(pt));
        std::fill(fresh.begin(), fresh.end(), 0);
        std::fill(fresh_expected.begin(), fresh_expected.end(), 0.0);
    }
}

void step1_timeline(const Counts& counts, const Plan& plan, const TimeGrid& grid, const std::vector<double>& seq_log10,
                    const SrmOptions& options, Timeline& tl)
{
    timeline_points(counts.bins.data(), plan, grid, &seq_log10, options, tl);
}

TimePattern step1_time_pattern(const Counts& counts, const Plan& plan, const TimeGrid& grid)
{
    TimePattern tp;
    const PatternFitter fitter(counts, plan, grid);
    const std::size_t kp = fitter.planned_count();
    if (kp < 2 || fitter.units() <= 0) {
        tp.kind = PatternKind::NotApplicable;
        tp.evidence = "Fewer than two planned variants have units over time.";
        return tp;
    }
    const PatternFits f = fitter.fit();
    const double lnN = std::log(fitter.units());
    const double p = static_cast<double>(kp - 1);
    tp.bic_none = -2 * f.ll0;
    tp.bic_constant = -2 * f.ll1 + p * lnN;
    tp.bic_trend = -2 * f.ll3 + p * lnN;
    tp.bic_step = std::isfinite(f.ll2) ? -2 * f.ll2 + (p + 1) * lnN : std::numeric_limits<double>::infinity();
    const double best = std::min({tp.bic_none, tp.bic_constant, tp.bic_step, tp.bic_trend});
    const auto& groups = fitter.groups();
    std::ostringstream e;
    if (best == tp.bic_none) {
        tp.kind = PatternKind::None;
        e << "The split follows the plan throughout: no model of a deviation fits better once its parameters are "
             "paid for (BIC).";
    } else if (best == tp.bic_constant) {
        tp.kind = PatternKind::FromStart;
        tp.change_point = grid.bin0;
        e << "The split is off the plan from the start and stays off by the same amount ("
          << fitter.share_text(f.const_params, groups.front()) << "): a constant offset fits best.";
    } else if (best == tp.bic_step) {
        tp.kind = PatternKind::AtPoint;
        tp.change_point = grid.bin0 + static_cast<std::int64_t>(f.tau) * grid.bin_width;
        std::vector<double> before(kp - 1, 0.0), after;
        fit_offset_logit(fitter.phase_groups(f.tau, grid.n_bins), kp, true, false, &after);
        e << "The split follows the plan until " << format_iso8601(*tp.change_point) << " ("
          << fitter.share_text(before, groups.front()) << "), then changes to " << fitter.share_text(after, groups.back())
          << " (likelihood-ratio statistic against no change " << fmt(2 * (f.ll2 - f.ll0), 1) << ").";
    } else {
        tp.kind = PatternKind::Gradual;
        std::vector<double> at0(kp - 1, 0.0), at1(kp - 1, 0.0);
        for (std::size_t a = 0; a + 1 < kp && a < f.trend_params.size(); ++a) at1[a] = f.trend_params[a];
        e << "The split drifts steadily away from the plan: at the start " << fitter.share_text(at0, groups.front())
          << ", at the end " << fitter.share_text(at1, groups.back()) << " (a linear trend fits best).";
    }
    e << " BIC: none " << fmt(tp.bic_none, 1) << ", from_start " << fmt(tp.bic_constant, 1) << ", at_point "
      << fmt(tp.bic_step, 1) << ", gradual " << fmt(tp.bic_trend, 1) << ".";
    tp.evidence = e.str();
    return tp;
}

}  // namespace srm::detail
