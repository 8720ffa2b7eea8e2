// The report stage's charts, shared by the document's renderers.
#pragma once

#include "srm/document.hpp"

#include <optional>

namespace srm::detail {

std::optional<DocChart> cumulative_chart(const Timeline& timeline);
std::optional<DocChart> deviation_chart(const Timeline& timeline);
std::optional<DocChart> p_value_chart(const Timeline& timeline, const SrmOptions& options, const std::optional<std::int64_t>& first_alert);
std::optional<DocChart> breakdown_chart(const std::vector<DimensionResult>& dimensions);

}  // namespace srm::detail
