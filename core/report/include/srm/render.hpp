// Rendering the report model: the JSON of resources/srm-report.schema.json
// and the reviewer's plain-text report.
#pragma once

#include "srm/report.hpp"

#include <string>

namespace srm {

/// The report as JSON text following resources/srm-report.schema.json (with
/// the reviewer's answers and notes under "review" when there are any).
std::string to_json(const Report& report, int indent = 2, const ReviewerWork& work = {});
/// The report as a reviewer's plain-text summary, with what the report
/// covers and the reviewer's checklist answers and notes.
std::string to_text(const Report& report, const ReviewerWork& work = {});

}  // namespace srm
