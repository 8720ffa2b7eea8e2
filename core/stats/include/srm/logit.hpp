// Multinomial logit with an offset from the planned shares, fitted by damped
// Newton (internal to the diagnosis engine).
#pragma once

#include <cstddef>
#include <vector>

namespace srm::detail {

/// One group of the fit: counts n_j per variant, planned shares theta_j, covariate t.
struct Group {
    std::vector<double> n;
    std::vector<double> theta;
    double t = 0;
};

/// eta_gj = a_j (with `intercept`) + c_j t_g (with `trend`), j >= 1, eta_g0 = 0;
/// p_gj ~ theta_gj exp(eta_gj). Returns the maximised log-likelihood
/// sum n_gj log p_gj and, optionally, the parameters.
double fit_offset_logit(const std::vector<Group>& groups, std::size_t k, bool intercept, bool trend,
                        std::vector<double>* params = nullptr);

}  // namespace srm::detail
