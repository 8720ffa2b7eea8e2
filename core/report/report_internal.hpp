// The report stage's charts, shared by the document's renderers.
#pragma once

#include "srm/document.hpp"

#include <optional>
#include <string>

namespace srm::detail {

std::optional<DocChart> cumulative_chart(const Timeline& timeline);
std::optional<DocChart> deviation_chart(const Timeline& timeline);
std::optional<DocChart> p_value_chart(const Timeline& timeline, const SrmOptions& options, const std::optional<std::int64_t>& first_alert);
std::optional<DocChart> breakdown_chart(const std::vector<DimensionResult>& dimensions);

/// A segment's severity in words for a reader ("too small"), where the JSON
/// and the text report carry its code ("too_small").
std::string severity_words(SegmentSeverity severity);

}  // namespace srm::detail
