// SRM statistics: the goodness-of-fit test of observed units per variant
// against the planned allocation. No Qt; plain value types only.
#pragma once

#include "srm/errors.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace srm {

enum class Severity { Ok, Warn, Severe };
enum class TestKind { ChiSquare, Exact, ChiSquarePhased };

const char* to_string(Severity s) noexcept;
const char* to_string(TestKind t) noexcept;

struct SrmThresholds {
    double warn = 0.01;     ///< p below this: SRM alert (warn)
    double severe = 0.001;  ///< p below this: severe SRM (red alert)
};

struct SrmOptions {
    SrmThresholds thresholds;
    /// Minimum practical deviation in percentage points of share; 0 = off.
    /// A statistically significant split whose largest deviation is below
    /// this is reported as "not practically significant".
    double min_practical_pp = 0.0;
    /// Use an exact test when any planned expected count is below this.
    double exact_below_expected = 5.0;
    /// Exact multinomial: enumerate when the number of outcomes is at most
    /// this, otherwise estimate by seeded Monte Carlo.
    std::uint64_t enumeration_limit = 4'000'000;
    std::uint64_t monte_carlo_samples = 200'000;
    std::uint64_t seed = 20261123;
};

struct VariantInput {
    std::string name;
    std::uint64_t observed = 0;
    double weight = 0.0;  ///< planned weight, relative (normalised over all variants)
};

struct VariantResult {
    std::string name;
    std::uint64_t observed = 0;
    double weight = 0.0;
    double expected = 0.0;        ///< expected units under the plan
    double observed_share = 0.0;  ///< observed / all units
    double expected_share = 0.0;  ///< planned weight / sum of weights
    double deviation_pp = 0.0;    ///< (observed_share - expected_share) * 100
    bool unplanned = false;       ///< planned at weight 0 but received units
};

struct SrmResult {
    TestKind test = TestKind::ChiSquare;
    std::string method;  ///< human-readable description of the test used
    std::vector<VariantResult> variants;
    std::uint64_t units = 0;
    double statistic = 0.0;  ///< Pearson chi-square (always computed)
    int df = 0;
    double p_value = 1.0;        ///< p of the test used (exact where `test` is Exact)
    double log10_p_value = 0.0;  ///< finite even where p_value underflows
    double chi_square_p_value = 1.0;  ///< asymptotic p, also where the exact test decides
    double monte_carlo_se = 0.0;      ///< standard error of a Monte Carlo exact p (0 otherwise)
    Severity severity = Severity::Ok;
    double max_abs_deviation_pp = 0.0;
    bool practically_significant = true;
    /// Findings beyond the p-value, e.g. traffic in a variant planned at 0 %.
    std::vector<std::string> findings;

    bool srm() const noexcept { return severity != Severity::Ok; }
};

/// Runs the SRM test. Throws InputError for input that cannot be tested.
SrmResult test_srm(const std::vector<VariantInput>& variants, const SrmOptions& options = {});

/// Severity of a p-value given by its log10 (works where p underflows).
Severity classify_log10(double log10_p, const SrmThresholds& t) noexcept;
/// The same from p itself where it is a normal double (exact at alpha),
/// else from log10 p.
Severity classify_p(double p, double log10_p, const SrmThresholds& t) noexcept;

/// Upper tail of the chi-square distribution, P(X >= x), via the regularised
/// upper incomplete gamma Q(df/2, x/2).
double chi_square_sf(double x, double df);
/// Natural log of chi_square_sf, accurate where the value underflows a double.
double log_chi_square_sf(double x, double df);

/// Two-sided exact binomial test of k successes in n with success
/// probability p; outcomes as or less likely than k (scipy's binomtest rule).
/// Returns the natural log of the p-value.
double log_binomial_two_sided(std::uint64_t k, std::uint64_t n, double p);

struct ExactMultinomial {
    double p_value = 1.0;
    double log_p_value = 0.0;
    bool monte_carlo = false;
    std::uint64_t samples = 0;
    double standard_error = 0.0;
};
/// Exact multinomial goodness-of-fit test (probability ordering): the total
/// probability of the outcomes no more likely than the observed one.
ExactMultinomial exact_multinomial(const std::vector<std::uint64_t>& observed,
                                   const std::vector<double>& probabilities,
                                   const SrmOptions& options);

}  // namespace srm
