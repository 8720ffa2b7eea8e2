// The names exports give each column role (internal to ingest): one table
// for the header sniffer and the role detection.
#pragma once

#include "srm/dataset.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace srm::detail {

/// Normalised names (normalise_name) for a role, most specific first.
const std::vector<std::string>& names_for(Role role);

/// Whether a header name is one the role detection knows, for any role.
bool is_known_column_name(std::string_view name);

}  // namespace srm::detail
