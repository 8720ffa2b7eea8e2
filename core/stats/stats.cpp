#include "srm/stats.hpp"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <sstream>

namespace srm {

const char* to_string(Severity s) noexcept
{
    switch (s) {
    case Severity::Ok: return "ok";
    case Severity::Warn: return "warn";
    case Severity::Severe: return "severe";
    }
    return "ok";
}

const char* to_string(TestKind t) noexcept
{
    switch (t) {
    case TestKind::ChiSquare: return "chi_square";
    case TestKind::Exact: return "exact";
    case TestKind::ChiSquarePhased: return "chi_square_phased";
    }
    return "chi_square";
}

Severity classify_log10(double log10_p, const SrmThresholds& t) noexcept
{
    if (log10_p < std::log10(t.severe)) return Severity::Severe;
    if (log10_p < std::log10(t.warn)) return Severity::Warn;
    return Severity::Ok;
}

Severity classify_p(double p, double log10_p, const SrmThresholds& t) noexcept
{
    // Where p is a normal double it decides exactly (a p one ulp below
    // alpha is below it; in log10 the two can round to the same value).
    if (!(p >= std::numeric_limits<double>::min())) return classify_log10(log10_p, t);
    return p < t.severe ? Severity::Severe : p < t.warn ? Severity::Warn : Severity::Ok;
}

namespace {

constexpr double kLn10 = 2.302585092994045684;

double log_sum_exp(double a, double b)
{
    if (a == -std::numeric_limits<double>::infinity()) return b;
    if (b == -std::numeric_limits<double>::infinity()) return a;
    const double m = std::max(a, b);
    return m + std::log1p(std::exp(-std::fabs(a - b)));
}

// log Q(a, x) by the continued fraction of the upper incomplete gamma
// function (modified Lentz), for x > a + 1 where it converges quickly:
// Q(a,x) = x^a e^-x / Gamma(a) * 1/(x+1-a- 1(1-a)/(x+3-a- 2(2-a)/(x+5-a- ...)))
double log_gamma_q_continued_fraction(double a, double x)
{
    constexpr double tiny = 1e-300;
    constexpr double eps = 1e-16;
    double b = x + 1.0 - a;
    double c = 1.0 / tiny;
    double d = 1.0 / b;
    double h = d;
    for (int i = 1; i < 100000; ++i) {
        const double an = -static_cast<double>(i) * (static_cast<double>(i) - a);
        b += 2.0;
        d = an * d + b;
        if (std::fabs(d) < tiny) d = tiny;
        c = b + an / c;
        if (std::fabs(c) < tiny) c = tiny;
        d = 1.0 / d;
        const double delta = d * c;
        h *= delta;
        if (std::fabs(delta - 1.0) < eps) break;
    }
    return a * std::log(x) - x - boost::math::lgamma(a) + std::log(h);
}

double log_binomial_pmf(std::uint64_t i, std::uint64_t n, double log_p, double log_q, double log_n_fact)
{
    const double di = static_cast<double>(i);
    const double dn = static_cast<double>(n);
    return log_n_fact - std::lgamma(di + 1.0) - std::lgamma(dn - di + 1.0) + di * log_p + (dn - di) * log_q;
}

}  // namespace

double chi_square_sf(double x, double df)
{
    if (!(x > 0.0)) return 1.0;
    return boost::math::gamma_q(df / 2.0, x / 2.0);
}

double log_chi_square_sf(double x, double df)
{
    if (!(x > 0.0)) return 0.0;
    const double a = df / 2.0;
    const double z = x / 2.0;
    const double q = boost::math::gamma_q(a, z);
    // Where Q is representable with full relative precision, its log is exact;
    // deep in the tail compute log Q directly so that it never underflows.
    if (q > 1e-280) return std::log(q);
    return log_gamma_q_continued_fraction(a, z);
}

double log_binomial_two_sided(std::uint64_t k, std::uint64_t n, double p)
{
    if (n == 0) return 0.0;
    const double dn = static_cast<double>(n);
    const double np = dn * p;
    if (static_cast<double>(k) == np) return 0.0;
    const double log_p = std::log(p);
    const double log_q = std::log1p(-p);
    const double log_n_fact = std::lgamma(dn + 1.0);
    const boost::math::binomial_distribution<double> binomial(dn, p);
    // Boost's pmf is accurate to a few ulp; the lgamma form (which loses
    // about 1e-9 relative at n ~ 1e6) serves only where the pmf underflows.
    auto lpmf = [&](std::uint64_t i) {
        const double d = boost::math::pdf(binomial, static_cast<double>(i));
        return d > 1e-290 ? std::log(d) : log_binomial_pmf(i, n, log_p, log_q, log_n_fact);
    };
    // Outcomes no more likely than k, with scipy's relative tolerance.
    const double threshold = lpmf(k) + std::log1p(1e-7);

    const auto lower_end = static_cast<std::uint64_t>(std::floor(np));  // pmf rises on [0, lower_end]
    const auto upper_begin = static_cast<std::uint64_t>(std::ceil(np)); // pmf falls on [upper_begin, n]

    double log_total = -std::numeric_limits<double>::infinity();
    // Lower tail: the largest a <= lower_end with pmf(a) <= threshold, then sum [0, a].
    if (lpmf(0) <= threshold) {
        std::uint64_t lo = 0, hi = std::min(lower_end, n);
        while (lo < hi) {  // invariant: pmf(lo) <= threshold
            const std::uint64_t mid = lo + (hi - lo + 1) / 2;
            if (lpmf(mid) <= threshold) lo = mid; else hi = mid - 1;
        }
        for (std::uint64_t i = lo + 1; i-- > 0;) {
            const double term = lpmf(i);
            log_total = log_sum_exp(log_total, term);
            if (term < log_total - 50.0) break;  // terms fall away from the mode
        }
    }
    // Upper tail: the smallest b >= upper_begin with pmf(b) <= threshold, then sum [b, n].
    if (upper_begin <= n && lpmf(n) <= threshold) {
        std::uint64_t lo = upper_begin, hi = n;
        while (lo < hi) {  // invariant: pmf(hi) <= threshold
            const std::uint64_t mid = lo + (hi - lo) / 2;
            if (lpmf(mid) <= threshold) hi = mid; else lo = mid + 1;
        }
        double upper = -std::numeric_limits<double>::infinity();
        for (std::uint64_t i = hi; i <= n; ++i) {
            const double term = lpmf(i);
            upper = log_sum_exp(upper, term);
            if (term < upper - 50.0) break;
        }
        log_total = log_sum_exp(log_total, upper);
    }
    return std::min(0.0, log_total);
}

namespace {

struct Enumerator {
    const std::vector<double>& log_probs;
    double threshold;
    double log_total = -std::numeric_limits<double>::infinity();
    std::vector<double> log_fact;

    // Visit every composition of `remaining` units into variants [index, k).
    void visit(std::size_t index, std::uint64_t remaining, double partial)
    {
        const std::size_t k = log_probs.size();
        if (index + 1 == k) {
            const double lp = partial + static_cast<double>(remaining) * log_probs[index] - log_fact[remaining];
            if (lp <= threshold) log_total = log_sum_exp(log_total, lp);
            return;
        }
        for (std::uint64_t x = 0; x <= remaining; ++x)
            visit(index + 1, remaining - x, partial + static_cast<double>(x) * log_probs[index] - log_fact[x]);
    }
};

double log_multinomial_pmf(const std::vector<std::uint64_t>& x, const std::vector<double>& log_probs, double log_n_fact)
{
    double lp = log_n_fact;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double xi = static_cast<double>(x[i]);
        lp += -std::lgamma(xi + 1.0) + (x[i] ? xi * log_probs[i] : 0.0);
    }
    return lp;
}

// Number of outcomes C(n+k-1, k-1), saturating at `cap`.
std::uint64_t outcome_count(std::uint64_t n, std::size_t k, std::uint64_t cap)
{
    double count = 1.0;
    for (std::size_t j = 1; j < k; ++j) {
        count = count * static_cast<double>(n + j) / static_cast<double>(j);
        if (count > static_cast<double>(cap)) return cap + 1;
    }
    return static_cast<std::uint64_t>(std::llround(count));
}

}  // namespace

ExactMultinomial exact_multinomial(const std::vector<std::uint64_t>& observed,
                                   const std::vector<double>& probabilities,
                                   const SrmOptions& options)
{
    std::uint64_t n = 0;
    for (auto v : observed) n += v;
    std::vector<double> log_probs;
    for (double p : probabilities) log_probs.push_back(std::log(p));
    const double log_n_fact = std::lgamma(static_cast<double>(n) + 1.0);
    const double threshold = log_multinomial_pmf(observed, log_probs, log_n_fact) + std::log1p(1e-7);

    ExactMultinomial out;
    if (outcome_count(n, observed.size(), options.enumeration_limit) <= options.enumeration_limit) {
        Enumerator e{log_probs, threshold - log_n_fact, -std::numeric_limits<double>::infinity(), {}};
        e.log_fact.resize(n + 1);
        for (std::uint64_t i = 0; i <= n; ++i) e.log_fact[i] = std::lgamma(static_cast<double>(i) + 1.0);
        e.visit(0, n, 0.0);
        out.log_p_value = std::min(0.0, e.log_total + log_n_fact);
        out.p_value = std::exp(out.log_p_value);
        return out;
    }
    // Monte Carlo: draw multinomial outcomes by sequential binomials.
    std::mt19937_64 rng(options.seed);
    const std::uint64_t samples = std::max<std::uint64_t>(options.monte_carlo_samples, 1000);
    std::uint64_t hits = 0;
    std::vector<std::uint64_t> x(observed.size());
    for (std::uint64_t s = 0; s < samples; ++s) {
        std::uint64_t left = n;
        double mass = 1.0;
        for (std::size_t i = 0; i + 1 < x.size(); ++i) {
            const double q = std::clamp(probabilities[i] / mass, 0.0, 1.0);
            std::binomial_distribution<std::uint64_t> draw(left, q);
            x[i] = left ? draw(rng) : 0;
            left -= x[i];
            mass -= probabilities[i];
        }
        x.back() = left;
        if (log_multinomial_pmf(x, log_probs, log_n_fact) <= threshold) ++hits;
    }
    // (hits + 1) / (samples + 1): a valid Monte Carlo p-value, never zero.
    out.monte_carlo = true;
    out.samples = samples;
    out.p_value = (static_cast<double>(hits) + 1.0) / (static_cast<double>(samples) + 1.0);
    out.log_p_value = std::log(out.p_value);
    out.standard_error = std::sqrt(out.p_value * (1.0 - out.p_value) / static_cast<double>(samples));
    return out;
}

namespace {

// Throws InputError for variants the test cannot take; returns the planned
// weights' sum.
double validate_variants(const std::vector<VariantInput>& variants)
{
    if (variants.empty()) throw InputError("no variants given: the SRM test needs at least two variants");
    std::set<std::string> names;
    double weight_sum = 0.0;
    std::size_t planned = 0;
    std::uint64_t total = 0;
    for (const auto& v : variants) {
        if (v.name.empty()) throw InputError("a variant has an empty name");
        if (!names.insert(v.name).second) throw InputError("variant '" + v.name + "' is listed twice");
        if (!std::isfinite(v.weight) || v.weight < 0.0)
            throw InputError("variant '" + v.name + "' has an invalid planned weight (weights must be finite and not negative)");
        if (v.weight > 0.0) {
            ++planned;
            weight_sum += v.weight;
        }
        total += v.observed;
    }
    if (variants.size() < 2)
        throw InputError("only one variant ('" + variants.front().name +
                         "'): the SRM test compares at least two variants; name the others in the expected allocation");
    if (planned < 2) throw InputError("fewer than two variants have a positive planned weight: nothing to compare the split against");
    if (total == 0) throw InputError("no units were observed in any variant");
    return weight_sum;
}

// The natural log of the p-value of the planned variants' counts: exact
// below the configured expected count, else Pearson's chi-square.
double log_p_of(SrmResult& r, const std::vector<std::uint64_t>& obs, const std::vector<double>& probs, std::uint64_t planned_units,
                double min_expected, const SrmOptions& options)
{
    if (planned_units == 0) {
        r.chi_square_p_value = 1.0;
        r.method = "no units in the planned variants";
        return 0.0;  // no planned units: nothing in the planned variants contradicts the plan
    }
    const double log_chi = log_chi_square_sf(r.statistic, r.df);
    r.chi_square_p_value = std::exp(log_chi);
    if (!(min_expected < options.exact_below_expected)) {
        r.test = TestKind::ChiSquare;
        r.method = "Pearson chi-square goodness-of-fit test";
        return log_chi;
    }
    r.test = TestKind::Exact;
    std::ostringstream m;
    double log_p = 0.0;
    if (obs.size() == 2) {
        log_p = log_binomial_two_sided(obs[0], planned_units, probs[0]);
        m << "exact binomial test (two-sided)";
    } else {
        const auto e = exact_multinomial(obs, probs, options);
        log_p = e.log_p_value;
        r.monte_carlo_se = e.standard_error;
        if (e.monte_carlo)
            m << "exact multinomial test by Monte Carlo (" << e.samples << " samples, seed " << options.seed << ", standard error "
              << e.standard_error << ")";
        else
            m << "exact multinomial test (all outcomes enumerated)";
    }
    m << ", because an expected count is below " << options.exact_below_expected;
    r.method = m.str();
    return log_p;
}

}  // namespace

SrmResult test_srm(const std::vector<VariantInput>& variants, const SrmOptions& options)
{
    const double weight_sum = validate_variants(variants);
    SrmResult r;
    std::uint64_t planned_units = 0;
    for (const auto& v : variants) {
        r.units += v.observed;
        if (v.weight > 0.0) planned_units += v.observed;
    }
    std::vector<std::uint64_t> obs;
    std::vector<double> probs;
    double min_expected = std::numeric_limits<double>::infinity();
    double chi2 = 0.0;
    for (const auto& v : variants) {
        VariantResult vr;
        vr.name = v.name;
        vr.observed = v.observed;
        vr.weight = v.weight;
        vr.expected_share = v.weight / weight_sum;
        vr.expected = static_cast<double>(planned_units) * vr.expected_share;
        // Shares among the planned variants (units of an unplanned one are
        // a finding of their own, as a share of all units).
        const std::uint64_t base = v.weight > 0.0 ? planned_units : r.units;
        vr.observed_share = base ? static_cast<double>(v.observed) / static_cast<double>(base) : 0.0;
        vr.deviation_pp = (vr.observed_share - vr.expected_share) * 100.0;
        r.max_abs_deviation_pp = std::max(r.max_abs_deviation_pp, std::fabs(vr.deviation_pp));
        if (v.weight > 0.0) {
            obs.push_back(v.observed);
            probs.push_back(vr.expected_share);
            min_expected = std::min(min_expected, vr.expected);
            if (vr.expected > 0.0) {
                const double diff = static_cast<double>(v.observed) - vr.expected;
                chi2 += diff * diff / vr.expected;
            }
        } else if (v.observed > 0) {
            vr.unplanned = true;
            std::ostringstream f;
            f << "variant '" << v.name << "' was planned at 0 % of traffic but received " << v.observed
              << " units: traffic reaches a variant the allocation does not include";
            r.findings.push_back(f.str());
        }
        r.variants.push_back(std::move(vr));
    }
    r.statistic = chi2;
    r.df = static_cast<int>(obs.size()) - 1;
    const double log_p = log_p_of(r, obs, probs, planned_units, min_expected, options);
    r.log10_p_value = std::min(0.0, log_p / kLn10);
    r.p_value = std::clamp(std::exp(log_p), 0.0, 1.0);
    r.severity = classify_p(r.p_value, r.log10_p_value, options.thresholds);
    if (!r.findings.empty()) r.severity = Severity::Severe;
    r.practically_significant = options.min_practical_pp <= 0.0 || r.max_abs_deviation_pp >= options.min_practical_pp;
    return r;
}

}  // namespace srm
