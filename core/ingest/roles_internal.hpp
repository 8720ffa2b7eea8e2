// Column role detection (internal to the loader).
#pragma once

#include "srm/ingest.hpp"
#include "srm/timeformat.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace srm::detail {

struct RoleAssignment {
    std::vector<ColumnInfo> columns;
    Shape shape = Shape::Events;
    int time = -1, unit = -1, variant = -1, count = -1, event = -1, inclusion = -1;
    int hour = -1;    ///< an hour of day (0-23) added to a date-only time column
    int mirror = -1;
    int multi_variant = -1, assigned_variant = -1;  ///< aggregated counts only (Role::MultiVariant, Role::AssignedVariant)  ///< a column that names the arm in its own words (landing_page = old_page/new_page)
    /// The time column's layout when it is not ISO 8601 or epoch numbers.
    std::optional<TimestampFormat> time_format;
    /// For the mirror column: the value each variant should show.
    std::vector<std::pair<std::string, std::string>> mirror_expected;
    /// What a reviewer must know about the roles given (input.warnings).
    std::vector<InputWarning> warnings;
    std::vector<int> dimensions, metrics;
};

/// Gives each column a role from the options, its name and the sample's content.
/// Throws InputError when no variant column can be found or an option names
/// an unknown column.
/// `more_values(col)` gives a column's values beyond the sample (the rest of
/// the first window), where the first rows cannot tell day from month.
RoleAssignment assign_roles(const std::vector<std::string>& names, const std::vector<std::vector<std::string>>& sample,
                            const LoadOptions& options,
                            const std::function<std::vector<std::string>(std::size_t)>& more_values = {});

enum class EventKind : std::uint8_t { Exposure, Assignment, Other };
EventKind classify_event(std::string_view value);

/// true / 1 / yes / y / t (case-insensitive).
bool truthy(std::string_view value);

}  // namespace srm::detail
