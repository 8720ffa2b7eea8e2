// Step 3: deployments and configuration changes near the break. Each change's
// distance to the change point; near within the configured hours.
#include "steps_internal.hpp"

#include <cmath>

namespace srm::detail {

std::vector<ChangeResult> step3_changes(const std::vector<ChangeEntry>& changes, const TimePattern& pattern, double near_hours)
{
    std::vector<ChangeResult> out;
    for (const auto& c : changes) {
        ChangeResult r;
        r.change = c;
        if (pattern.change_point && pattern.kind != PatternKind::None) {
            r.distance_seconds = static_cast<double>(c.time - *pattern.change_point);
            r.near_change_point = std::fabs(*r.distance_seconds) <= near_hours * 3600.0;
        }
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace srm::detail
