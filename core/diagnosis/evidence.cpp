// What the checklist needs from event-level data: units seen in more than
// one variant, force-included units, the assignment -> exposure funnel per
// variant (with its test), when each variant had traffic, and the
// allocation phases.
#include "steps_internal.hpp"

#include "srm/inference.hpp"
#include "srm/timeutil.hpp"

#include <cmath>

namespace srm::detail {

namespace {

// Chi-square test of equal exposure rates after assignment across variants.
void funnel_test(Evidence& ev)
{
    std::vector<double> table;  // (exposed, not exposed) per variant with assignments
    for (const auto& [assigned, exposed] : ev.funnel) {
        if (assigned == 0) continue;
        table.push_back(static_cast<double>(exposed));
        table.push_back(static_cast<double>(assigned - exposed));
    }
    ChiSquareStatistic chi;
    add_independence_statistic(table, table.size() / 2, 2, chi);
    ev.funnel_log10_p = chi_square_log10_sf(chi.statistic, chi.df);
    ev.funnel_p_value = std::pow(10.0, ev.funnel_log10_p);
}

}  // namespace

Evidence gather_evidence(const Dataset& ds, const Tally& tally, const Plan& plan, const DiagnosisOptions& opt)
{
    Evidence ev;
    const std::size_t k = plan.k();
    ev.has_time = ds.has_time;
    ev.has_unit = ds.has_unit;
    ev.has_event = ds.has_event;
    ev.has_inclusion = ds.has_inclusion;
    ev.has_multi_variant = ds.has_multi_variant;
    ev.funnel.assign(k, {0, 0});
    ev.variant_span.assign(k, {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()});
    ev.exposed_units = tally.exposed;
    ev.jumped_units = tally.jumped;
    ev.included_units = tally.included;
    for (std::size_t c = 0; c < ds.variants.size(); ++c) {
        if (plan.j_of_code[c] < 0) continue;
        const auto j = static_cast<std::size_t>(plan.j_of_code[c]);
        ev.funnel[j].first += tally.funnel_assigned[c];
        ev.funnel[j].second += tally.funnel_exposed[c];
        ev.variant_span[j] = tally.span_min[c] <= tally.span_max[c]
                                 ? std::make_pair(to_seconds(tally.span_min[c]), to_seconds(tally.span_max[c]))
                                 : std::make_pair(tally.span_min[c], tally.span_max[c]);
    }
    ev.allocation_phases = opt.allocation.size();
    for (std::size_t p = 1; p < opt.allocation.size(); ++p) ev.allocation_changes.push_back(opt.allocation[p].start);
    funnel_test(ev);
    ev.mirror_column = ds.mirror_column;
    ev.mirror_expected = ds.mirror_expected;
    ev.mirror_rows_disagreeing = ds.mirror_disagreeing_rows;
    ev.mirror_units_disagreeing = tally.disagreed;
    // Rows beyond one per unit (of the rows that count: exposures and assignments).
    const std::uint64_t counted = ds.rows_read - ds.rows_rejected - ds.rows_other_events - ds.rows_outside_window;
    ev.repeated_rows = ds.has_unit && counted > ds.size() ? counted - ds.size() : 0;
    return ev;
}

}  // namespace srm::detail
