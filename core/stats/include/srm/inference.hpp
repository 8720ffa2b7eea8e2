// Intervals and tests beyond the SRM test, for the diagnosis steps: the
// Wilson and t intervals and the two-sample tests of Step 2, Holm's
// adjustment, the Dirichlet-multinomial Bayes factor of the sequential
// test, and the chi-square test of independence (Step 4, the funnel).
// Checked against scipy/R values in tests/core/stats/tst_inference.cpp.
#pragma once

#include <cstddef>
#include <vector>

namespace srm {

/// z of a two-sided 95 % interval.
constexpr double kZ95 = 1.959963984540054;
constexpr double kLn10 = 2.302585092994045684;

struct Interval {
    double low = 0.0, high = 0.0;
};

/// Wilson score interval of a proportion p observed over n trials.
Interval wilson_interval(double p, double n, double z = kZ95);

/// Student t interval (two-sided, coverage 1 - alpha) of a mean with sample
/// variance `variance` over n values; a zero-width interval when n < 2.
Interval t_interval(double mean, double variance, double n, double alpha = 0.05);

/// Two-sided p of the pooled two-proportion z-test (x successes of n each);
/// 1 when the pooled standard error is 0.
double two_proportion_z_p(double x0, double n0, double x1, double n1);

/// Two-sided p of Welch's t-test from means, sample variances and sizes;
/// 1 when both variances are 0.
double welch_t_p(double mean0, double var0, double n0, double mean1, double var1, double n1);

/// Sample variance from a sum of squares: max(0, (sum_sq - n mean^2) / (n - 1)).
double sample_variance(double sum_sq, double mean, double n);

/// Holm's step-down adjustment of log10 p-values (returns adjusted log10 p).
std::vector<double> holm_log10(const std::vector<double>& log10_p);

/// Natural log of the Bayes factor of a Dirichlet(c * theta) mixture against
/// the plan theta for counts x (Lindon & Malek):
///   log G(c) - log G(c + n) + sum_j [log G(c theta_j + x_j) - log G(c theta_j) - x_j log theta_j].
/// +infinity when a variant planned at 0 has counts.
double dirichlet_log_bayes_factor(const std::vector<double>& x, const std::vector<double>& theta, double c);
/// The same for any Dirichlet(alpha) prior (alpha_j > 0 where theta_j > 0):
///   log G(sum alpha) - log G(sum alpha + n) + sum_j [log G(alpha_j + x_j) - log G(alpha_j) - x_j log theta_j].
double dirichlet_log_bayes_factor_prior(const std::vector<double>& x, const std::vector<double>& theta, const std::vector<double>& alpha);

/// Pearson's chi-square statistic of independence of a rows x cols table
/// (row-major), added term by term to `into` (so that strata sum in one
/// running total); rows and columns that are all zero are left out, and a
/// table with fewer than two of either adds nothing.
struct ChiSquareStatistic {
    double statistic = 0.0;
    double df = 0.0;
};
void add_independence_statistic(const std::vector<double>& table, std::size_t rows, std::size_t cols, ChiSquareStatistic& into);

/// log10 of the chi-square upper tail, 0 when df is 0.
double chi_square_log10_sf(double statistic, double df);

}  // namespace srm
