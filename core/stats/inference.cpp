#include "srm/inference.hpp"

#include "srm/stats.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <numeric>

namespace srm {

Interval wilson_interval(double p, double n, double z)
{
    const double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
    const double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
    return {centre - half, centre + half};
}

Interval t_interval(double mean, double variance, double n, double alpha)
{
    const double se = std::sqrt(variance / n);
    const double tq =
        n > 1 ? boost::math::quantile(boost::math::complement(boost::math::students_t(n - 1), alpha / 2)) : 0.0;
    return {mean - tq * se, mean + tq * se};
}

double two_proportion_z_p(double x0, double n0, double x1, double n1)
{
    const double pooled = (x0 + x1) / (n0 + n1);
    const double se = std::sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / n1));
    if (!(se > 0)) return 1.0;
    const double z = (x1 / n1 - x0 / n0) / se;
    return std::erfc(std::fabs(z) / std::sqrt(2.0));
}

double welch_t_p(double mean0, double var0, double n0, double mean1, double var1, double n1)
{
    const double se2 = var0 / n0 + var1 / n1;
    if (!(se2 > 0)) return 1.0;
    const double t = (mean1 - mean0) / std::sqrt(se2);
    const double df = se2 * se2 / ((var0 / n0) * (var0 / n0) / (n0 - 1) + (var1 / n1) * (var1 / n1) / (n1 - 1));
    return 2 * boost::math::cdf(boost::math::complement(boost::math::students_t(df), std::fabs(t)));
}

double sample_variance(double sum_sq, double mean, double n)
{
    return n > 1 ? std::max(0.0, (sum_sq - n * mean * mean) / (n - 1)) : 0.0;
}

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

double dirichlet_log_bayes_factor_prior(const std::vector<double>& x, const std::vector<double>& theta, const std::vector<double>& alpha)
{
    double n = 0.0, a = 0.0;
    for (std::size_t j = 0; j < x.size(); ++j) {
        n += x[j];
        if (theta[j] > 0) a += alpha[j];
    }
    double lbf = std::lgamma(a) - std::lgamma(a + n);
    for (std::size_t j = 0; j < x.size(); ++j) {
        if (theta[j] > 0) lbf += std::lgamma(alpha[j] + x[j]) - std::lgamma(alpha[j]) - x[j] * std::log(theta[j]);
        else if (x[j] > 0) lbf = std::numeric_limits<double>::infinity();
    }
    return lbf;
}

double dirichlet_log_bayes_factor(const std::vector<double>& x, const std::vector<double>& theta, double c)
{
    std::vector<double> alpha(theta.size());
    for (std::size_t j = 0; j < theta.size(); ++j) alpha[j] = c * theta[j];
    return dirichlet_log_bayes_factor_prior(x, theta, alpha);
}

void add_independence_statistic(const std::vector<double>& table, std::size_t rows, std::size_t cols, ChiSquareStatistic& into)
{
    std::vector<double> row(rows, 0.0), col(cols, 0.0);
    double total = 0;
    for (std::size_t v = 0; v < rows; ++v)
        for (std::size_t j = 0; j < cols; ++j) {
            row[v] += table[v * cols + j];
            col[j] += table[v * cols + j];
            total += table[v * cols + j];
        }
    std::size_t used_rows = 0, used_cols = 0;
    for (double r : row) used_rows += r > 0 ? 1 : 0;
    for (double c : col) used_cols += c > 0 ? 1 : 0;
    if (used_rows < 2 || used_cols < 2) return;
    for (std::size_t v = 0; v < rows; ++v) {
        if (row[v] == 0) continue;
        for (std::size_t j = 0; j < cols; ++j) {
            if (col[j] == 0) continue;
            const double e = row[v] * col[j] / total;
            into.statistic += (table[v * cols + j] - e) * (table[v * cols + j] - e) / e;
        }
    }
    into.df += static_cast<double>((used_rows - 1) * (used_cols - 1));
}

double chi_square_log10_sf(double statistic, double df)
{
    return df > 0 ? log_chi_square_sf(statistic, df) / kLn10 : 0.0;
}

}  // namespace srm
