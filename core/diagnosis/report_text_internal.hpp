// Wording shared by the checks and the verdict (internal to the diagnosis).
#pragma once

#include "srm/report.hpp"

#include <optional>
#include <string>

namespace srm::detail {

/// "12.34 %" of a share.
std::string pct(double share, int decimals = 2);
/// "3.5 h" of seconds.
std::string hours(double seconds);

/// Where the imbalance concentrates: the localization's segments when it
/// found them ("browser = Safari"); no concentration when it found the
/// imbalance spread over every segment; without a localization, the
/// dimension whose split differs most clearly across its values
/// (independence p below the severe level) and in it the value holding at
/// least half of the dimension's excess units.
struct Concentration {
    std::string where;       ///< "browser = Safari", "browser = Chrome ∧ sdk_version = 3.2.0 and country = IN"
    std::string share_text;  ///< "90 % of the imbalance"
};
std::optional<Concentration> concentration(const Report& r);

}  // namespace srm::detail
