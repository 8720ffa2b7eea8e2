// Names of the dataset's enumerations and the column mapping it reports.
#include "srm/dataset.hpp"

namespace srm {

const char* to_string(Shape s) noexcept { return s == Shape::Aggregated ? "aggregated" : "events"; }

const char* to_string(Role r) noexcept
{
    switch (r) {
    case Role::Ignore: return "ignore";
    case Role::Time: return "time";
    case Role::Unit: return "unit";
    case Role::Variant: return "variant";
    case Role::Count: return "count";
    case Role::Event: return "event";
    case Role::Dimension: return "dimension";
    case Role::Metric: return "metric";
    case Role::Inclusion: return "inclusion";
    case Role::Hour: return "hour";
    case Role::Mirror: return "mirror";
    case Role::MultiVariant: return "multi_variant";
    case Role::AssignedVariant: return "assigned_variant";
    }
    return "ignore";
}

ColumnMapping Dataset::mapping() const
{
    ColumnMapping m;
    for (const auto& c : columns) {
        switch (c.role) {
        case Role::Time: m.time = c.name; break;
        case Role::Unit: m.unit = c.name; break;
        case Role::Variant: m.variant = c.name; break;
        case Role::Count: m.count = c.name; break;
        case Role::Event: m.event = c.name; break;
        case Role::MultiVariant: m.multi_variant = c.name; break;
        case Role::AssignedVariant: m.assigned_variant = c.name; break;
        default: break;
        }
    }
    for (const auto& d : dimensions) m.dimensions.push_back(d.name);
    for (const auto& x : metrics) m.metrics.push_back(x.name);
    return m;
}

}  // namespace srm
