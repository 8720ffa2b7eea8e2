#include "srm/logit.hpp"

#include <cmath>

namespace srm::detail {

namespace {

// Solves A x = b (n x n, row-major) by Gaussian elimination with pivoting.
bool solve(std::vector<double> a, std::vector<double>& b, std::size_t n)
{
    for (std::size_t c = 0; c < n; ++c) {
        std::size_t piv = c;
        for (std::size_t r = c + 1; r < n; ++r)
            if (std::fabs(a[r * n + c]) > std::fabs(a[piv * n + c])) piv = r;
        if (std::fabs(a[piv * n + c]) < 1e-300) return false;
        if (piv != c) {
            for (std::size_t k = 0; k < n; ++k) std::swap(a[c * n + k], a[piv * n + k]);
            std::swap(b[c], b[piv]);
        }
        for (std::size_t r = 0; r < n; ++r) {
            if (r == c) continue;
            const double f = a[r * n + c] / a[c * n + c];
            if (f == 0) continue;
            for (std::size_t k = c; k < n; ++k) a[r * n + k] -= f * a[c * n + k];
            b[r] -= f * b[c];
        }
    }
    for (std::size_t c = 0; c < n; ++c) b[c] /= a[c * n + c];
    return true;
}

}  // namespace

// With `intercept` eta has a constant a_j, with `trend` a slope c_j * t.
double fit_offset_logit(const std::vector<Group>& groups, std::size_t k, bool intercept, bool trend, std::vector<double>* params)
{
    const std::size_t q = (intercept ? 1 : 0) + (trend ? 1 : 0);
    auto eta_of = [&](const std::vector<double>& b, std::size_t j, double t) {
        if (j == 0) return 0.0;
        double e = 0;
        std::size_t f = (j - 1) * q;
        if (intercept) e += b[f++];
        if (trend) e += b[f] * t;
        return e;
    };
    const std::size_t m = (k - 1) * q;
    std::vector<double> beta(m, 0.0);
    // The group's fitted shares p_j into `p`; returns the group's total count.
    auto shares = [&](const std::vector<double>& b, const Group& g, std::vector<double>& p) {
        double total = 0, norm = 0;
        for (std::size_t j = 0; j < k; ++j) {
            p[j] = g.theta[j] * std::exp(eta_of(b, j, g.t));
            norm += p[j];
            total += g.n[j];
        }
        for (auto& x : p) x /= norm;
        return total;
    };
    auto loglik = [&](const std::vector<double>& b) {
        double ll = 0;
        std::vector<double> p(k);
        for (const auto& g : groups) {
            if (shares(b, g, p) == 0) continue;
            for (std::size_t j = 0; j < k; ++j)
                if (g.n[j] > 0) ll += g.n[j] * std::log(p[j]);
        }
        return ll;
    };
    double ll = loglik(beta);
    for (int iter = 0; iter < 50; ++iter) {
        std::vector<double> grad(m, 0.0), hess(m * m, 0.0), pi(k);
        for (const auto& g : groups) {
            const double total = shares(beta, g, pi);
            if (total == 0) continue;
            double x[2] = {1.0, g.t};
            if (!intercept) x[0] = g.t;
            for (std::size_t j = 1; j < k; ++j) {
                const double r = g.n[j] - total * pi[j];
                for (std::size_t f = 0; f < q; ++f) grad[(j - 1) * q + f] += r * x[f];
                for (std::size_t l = 1; l < k; ++l) {
                    const double cov = total * ((j == l ? pi[j] : 0.0) - pi[j] * pi[l]);
                    for (std::size_t f = 0; f < q; ++f)
                        for (std::size_t h = 0; h < q; ++h) hess[((j - 1) * q + f) * m + (l - 1) * q + h] += cov * x[f] * x[h];
                }
            }
        }
        std::vector<double> step = grad;
        for (std::size_t i = 0; i < m; ++i) hess[i * m + i] += 1e-9;
        if (!solve(hess, step, m)) break;
        // Damped Newton: halve the step until the likelihood does not fall.
        double scale = 1.0;
        std::vector<double> next(m);
        double next_ll = ll;
        for (int h = 0; h < 30; ++h) {
            for (std::size_t i = 0; i < m; ++i) next[i] = beta[i] + scale * step[i];
            next_ll = loglik(next);
            if (next_ll >= ll - 1e-12) break;
            scale /= 2;
        }
        const double gain = next_ll - ll;
        beta = next;
        ll = std::max(ll, next_ll);
        if (std::fabs(gain) < 1e-9) break;
    }
    if (params) *params = beta;
    return ll;
}

}  // namespace srm::detail
