// Names of the report model's enumerations, as the JSON contract spells them.
#include "srm/report.hpp"

namespace srm {

const char* to_string(CheckStatus s) noexcept
{
    switch (s) {
    case CheckStatus::Pass: return "pass";
    case CheckStatus::Warn: return "warn";
    case CheckStatus::Fail: return "fail";
    case CheckStatus::NotApplicable: return "not_applicable";
    case CheckStatus::Manual: return "manual";
    }
    return "not_applicable";
}

const char* to_string(SrmType t) noexcept
{
    switch (t) {
    case SrmType::None: return "none";
    case SrmType::Allocation: return "allocation";
    case SrmType::Tracking: return "tracking";
    case SrmType::Eligibility: return "eligibility";
    case SrmType::SegmentLimited: return "segment_limited";
    case SrmType::Unknown: return "unknown";
    }
    return "unknown";
}

}  // namespace srm
