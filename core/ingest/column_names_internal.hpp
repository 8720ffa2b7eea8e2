// The names exports give each column role (internal to ingest): one table
// for the header sniffer and the role detection. Names are compared
// normalised (normalise_name: case, spaces and punctuation loosely).
#pragma once

#include "srm/dataset.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace srm::detail {

/// The role a column's name suggests and how specific the name is (0 is
/// the most specific; a pattern such as "*_group" ranks after every exact name).
struct NameHint {
    Role role = Role::Ignore;
    int rank = 0;
};
std::optional<NameHint> role_by_name(std::string_view name);

/// Normalised names of a role, most specific first (exact names only).
const std::vector<std::string>& names_for(Role role);

/// An identifier's name: id, *_id, *id (userid), uuid, guid, *_key, *_uuid.
bool is_id_name(std::string_view name);
/// A name that counts units (users, visitors, ...) rather than exposures
/// or outcomes; rank 0 for units, 1 for exposures (pageviews, impressions).
std::optional<int> count_name_rank(std::string_view name);

/// Whether a header name is one the role detection knows, for any role.
bool is_known_column_name(std::string_view name);

}  // namespace srm::detail
