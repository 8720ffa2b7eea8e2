// Step 2: group-level metrics. Per metric and variant the rate with its
// Wilson interval (0/1 metrics, per unit "any") or the mean with its t
// interval; each variant against the control (by name or --control) by a
// two-proportion z-test or Welch's t-test, Holm within the metric and again
// across metrics; flagged below alpha.
#include "steps_internal.hpp"

#include "srm/inference.hpp"

#include <algorithm>
#include <cmath>

namespace srm::detail {

namespace {

MetricVariant metric_variant(const std::string& name, bool binary, double n, double sum, double sum_sq)
{
    MetricVariant mv;
    mv.name = name;
    mv.n = static_cast<std::uint64_t>(n);
    if (n > 0) {
        mv.rate = sum / n;
        const Interval ci = binary ? wilson_interval(mv.rate, n) : t_interval(mv.rate, sample_variance(sum_sq, mv.rate, n), n);
        mv.ci_low = ci.low;
        mv.ci_high = ci.high;
    }
    return mv;
}

// log10 of the smallest Holm-adjusted p of the variants against the control c.
double against_control_log10(bool binary, const double* n, const double* sum, const double* sum_sq, std::size_t k, std::size_t c)
{
    std::vector<double> pair_log10;
    const double n0 = n[c];
    for (std::size_t j = 0; j < k; ++j) {
        if (j == c) continue;
        const double n1 = n[j];
        if (n0 < 2 || n1 < 2) continue;
        double p = 1.0;
        if (binary) {
            p = two_proportion_z_p(sum[c], n0, sum[j], n1);
        } else {
            const double m0 = sum[c] / n0, m1 = sum[j] / n1;
            p = welch_t_p(m0, sample_variance(sum_sq[c], m0, n0), n0, m1, sample_variance(sum_sq[j], m1, n1), n1);
        }
        pair_log10.push_back(std::log10(std::max(p, 1e-300)));
    }
    const auto adj = holm_log10(pair_log10);
    return adj.empty() ? 0.0 : *std::min_element(adj.begin(), adj.end());
}

}  // namespace

std::vector<GroupMetric> step2_group_metrics(const Dataset& ds, const Counts& counts, const Plan& plan, double alpha)
{
    std::vector<GroupMetric> out;
    const std::size_t nm = ds.metrics.size(), k = plan.k();
    if (nm == 0 || ds.shape != Shape::Events) return out;
    std::vector<double> metric_log10;
    for (std::size_t m = 0; m < nm; ++m) {
        GroupMetric gm;
        gm.metric = ds.metrics[m].name;
        gm.binary = ds.metrics[m].binary;
        const std::string& control = plan.names[plan.control];
        gm.test = gm.binary ? "two-proportion z-test against " + control : "Welch's t-test against " + control;
        const double* n = counts.m_n.data() + m * k;
        const double* sum = counts.m_sum.data() + m * k;
        const double* sum_sq = counts.m_sq.data() + m * k;
        for (std::size_t j = 0; j < k; ++j) gm.variants.push_back(metric_variant(plan.names[j], gm.binary, n[j], sum[j], sum_sq[j]));
        const double best = against_control_log10(gm.binary, n, sum, sum_sq, k, plan.control);
        gm.p_value = std::pow(10.0, best);
        metric_log10.push_back(best);
        out.push_back(std::move(gm));
    }
    const auto adj = holm_log10(metric_log10);
    for (std::size_t m = 0; m < nm; ++m) {
        out[m].adjusted_p_value = std::pow(10.0, adj[m]);
        out[m].flag = adj[m] < std::log10(alpha);
    }
    return out;
}

}  // namespace srm::detail
