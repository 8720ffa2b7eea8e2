// The plan: which variants the report has, in what order, and the share
// each is planned to get (per allocation phase); and the SRM test of the
// counts against it. plan_variants() is the one place that turns observed
// counts and a planned allocation into the test's variants, for counts
// given on the command line as for a loaded dataset.
#include "steps_internal.hpp"

#include "srm/arm_labels.hpp"
#include "srm/text.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

namespace srm {

namespace {

bool control_like(const std::string& name) { return is_control_label(name); }

}  // namespace

VariantPlan plan_variants(const std::vector<std::pair<std::string, std::uint64_t>>& observed, const std::optional<Weights>& expected,
                          const std::vector<AllocationPhase>& phases, PlanOrder order, bool planned_must_be_observed)
{
    VariantPlan plan;
    for (const auto& [name, count] : observed) {
        plan.names.push_back(name);
        plan.observed.push_back(count);
    }
    auto add_name = [&](const std::string& n) {
        if (std::find(plan.names.begin(), plan.names.end(), n) != plan.names.end()) return;
        if (planned_must_be_observed) throw InputError("the expected allocation names variant '" + n + "', which has no count");
        plan.names.push_back(n);
        plan.observed.push_back(0);
    };
    if (expected)
        for (const auto& e : *expected) add_name(e.first);
    for (const auto& p : phases)
        for (const auto& w : p.weights) add_name(w.first);
    if (plan.names.empty()) throw InputError("no exposed units in the analysed data");
    if (order == PlanOrder::ByPlan) {
        // As the allocation names them; otherwise a control-like variant first
        // (the one the metrics compare against), the rest by name.
        std::vector<std::string> planned_order;
        if (expected)
            for (const auto& e : *expected) planned_order.push_back(e.first);
        else if (!phases.empty())
            for (const auto& w : phases.front().weights) planned_order.push_back(w.first);
        auto rank = [&](const std::string& n) -> std::pair<int, std::string> {
            const auto it = std::find(planned_order.begin(), planned_order.end(), n);
            if (it != planned_order.end()) return {static_cast<int>(it - planned_order.begin()), ""};
            return {static_cast<int>(planned_order.size()) + (control_like(n) ? 0 : 1), n};
        };
        std::vector<std::size_t> idx(plan.names.size());
        std::iota(idx.begin(), idx.end(), 0);
        std::stable_sort(idx.begin(), idx.end(), [&](auto a, auto b) { return rank(plan.names[a]) < rank(plan.names[b]); });
        VariantPlan sorted;
        for (auto i : idx) {
            sorted.names.push_back(plan.names[i]);
            sorted.observed.push_back(plan.observed[i]);
        }
        plan.names = std::move(sorted.names);
        plan.observed = std::move(sorted.observed);
    }
    const std::size_t k = plan.names.size();
    auto index_of = [&](const std::string& n) {
        return static_cast<std::size_t>(std::find(plan.names.begin(), plan.names.end(), n) - plan.names.begin());
    };
    if (phases.empty()) {
        std::vector<double> w(k, 0.0);
        if (expected) {
            for (const auto& e : *expected) {
                if (!std::isfinite(e.second) || e.second < 0)
                    throw InputError("the expected allocation gives variant '" + e.first + "' a negative or invalid weight");
                w[index_of(e.first)] = e.second;
            }
        } else {
            if (k == 1)
                throw InputError("only one variant ('" + plan.names[0] +
                                 "') in the data, and no expected allocation names the others: give one with --expected");
            std::fill(w.begin(), w.end(), 1.0);
            plan.assumed_equal = true;
        }
        plan.weights.push_back(std::move(w));
    } else {
        for (const auto& p : phases) {
            std::vector<double> w(k, 0.0);
            for (const auto& e : p.weights) w[index_of(e.first)] = e.second;
            plan.weights.push_back(std::move(w));
        }
    }
    return plan;
}

std::size_t control_index(const std::vector<std::string>& names, const std::string& control)
{
    const auto it = std::find(names.begin(), names.end(), control);
    if (it == names.end()) {
        std::string all;
        for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
        throw UsageError("--control names '" + control + "', which is not a variant of the data; the variants are: " + all);
    }
    return static_cast<std::size_t>(it - names.begin());
}

namespace detail {

Plan make_plan(const Dataset& ds, const Tally& tally, const DiagnosisOptions& opt)
{
    std::vector<std::pair<std::string, std::uint64_t>> observed;
    for (std::size_t c = 0; c < ds.variants.size(); ++c)
        if (tally.counts[c] > 0 || (!opt.expected && opt.allocation.empty())) observed.emplace_back(ds.variants[c], tally.counts[c]);
    VariantPlan vp = plan_variants(observed, opt.expected, opt.allocation, PlanOrder::ByPlan, false);
    Plan plan;
    plan.names = std::move(vp.names);
    plan.assumed_equal = vp.assumed_equal;
    plan.j_of_code.assign(ds.variants.size(), -1);
    for (std::size_t c = 0; c < ds.variants.size(); ++c)
        for (std::size_t j = 0; j < plan.k(); ++j)
            if (plan.names[j] == ds.variants[c]) plan.j_of_code[c] = static_cast<int>(j);
    plan.phase_share = std::move(vp.weights);
    assert(plan.phase_share.size() == std::max<std::size_t>(1, opt.allocation.size()));
    if (opt.control) {
        plan.control = control_index(plan.names, *opt.control);
    } else {
        const auto it = std::find_if(plan.names.begin(), plan.names.end(), [](const std::string& n) { return is_control_label(n); });
        if (it != plan.names.end()) plan.control = static_cast<std::size_t>(it - plan.names.begin());
    }
    for (auto& w : plan.phase_share) {
        const double total = std::accumulate(w.begin(), w.end(), 0.0);
        if (total <= 0) throw InputError("the planned allocation gives every variant weight 0");
        for (auto& x : w) x /= total;
    }
    return plan;
}

SrmResult test_plan(const Counts& counts, const Plan& plan, const Tally& tally, const TimeGrid& grid, const SrmOptions& options)
{
    const std::size_t k = plan.k();
    std::vector<double> expected_weight(k, 0.0);
    for (std::size_t p = 0; p < grid.n_phases; ++p)
        for (std::size_t j = 0; j < k; ++j) expected_weight[j] += static_cast<double>(tally.phase_units[p]) * plan.phase_share[p][j];
    if (grid.n_phases == 1 || std::accumulate(tally.phase_units.begin(), tally.phase_units.end(), std::uint64_t{0}) == 0)
        expected_weight = plan.phase_share.back();
    std::vector<VariantInput> in;
    for (std::size_t j = 0; j < k; ++j) in.push_back({plan.names[j], counts.units[j], expected_weight[j]});
    SrmResult r = test_srm(in, options);
    if (grid.n_phases > 1 && r.test == TestKind::ChiSquare) {
        r.test = TestKind::ChiSquarePhased;
        r.method = "Pearson chi-square test against the phased expectation (each allocation phase's units x its planned shares)";
    }
    return r;
}

}  // namespace detail

}  // namespace srm
