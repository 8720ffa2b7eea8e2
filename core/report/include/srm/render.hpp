// Rendering the report model: the JSON of resources/srm-report.schema.json
// and the reviewer's plain-text report.
#pragma once

#include "srm/report.hpp"

#include <string>

namespace srm {

/// The report as JSON text following resources/srm-report.schema.json.
std::string to_json(const Report& report, int indent = 2);
/// The report as a reviewer's plain-text summary.
std::string to_text(const Report& report);

}  // namespace srm
